"""The output handle: where each file goes, which files are a run's, and where the lock lives."""

from __future__ import annotations

from pathlib import Path

import pyarrow.fs as pafs
import pytest
from conftest import write_parquet

from ingest.output.layout import (
    DOCUMENTS,
    JOURNAL,
    MANIFEST,
    REJECTS,
    Output,
    batch_file_name,
    compacted_file_name,
    dedupe_file_name,
    open_output,
    written_by,
)
from ingest.output.parquet import RunInfo, documents_table
from ingest.output.store import Store

RUN = "20261202T010203Z-abc123"
REMOTE = Output(Store(pafs.LocalFileSystem(), "bucket/prefix", "s3://bucket/prefix", "s3"))


def test_a_batch_file_is_named_by_run_and_zero_padded_batch() -> None:
    assert batch_file_name(RUN, 0) == f"part-{RUN}-00000.parquet"
    names = [batch_file_name(RUN, i) for i in (10, 9, 100)]
    assert sorted(names) == [names[1], names[0], names[2]]  # sorting keeps batch order


@pytest.mark.parametrize(
    ("output", "root"),
    [(open_output("out"), "out"), (open_output("file:///tmp/out"), "/tmp/out")],
)
def test_local_paths_are_under_the_folder(output: Output, root: str) -> None:
    assert output.local
    assert output.folder(DOCUMENTS) == f"{root}/documents"
    assert output.batch_file(MANIFEST, RUN, 3) == f"{root}/_manifest/part-{RUN}-00003.parquet"
    assert output.journal_file("k") == f"{root}/_compaction/k.json"
    assert output.lock_file() == Path(root, ".ingest.lock")


def test_object_store_paths_are_keys_under_the_prefix() -> None:
    assert not REMOTE.local
    path = REMOTE.batch_file(REJECTS, RUN, 12)
    assert path == f"bucket/prefix/rejects/part-{RUN}-00012.parquet"
    assert REMOTE.display(path) == f"s3://bucket/prefix/rejects/part-{RUN}-00012.parquet"
    assert REMOTE.file(JOURNAL, "k.json") == "bucket/prefix/_compaction/k.json"
    assert REMOTE.dedupe_file(RUN, ["a"]).startswith(f"bucket/prefix/rejects/part-{RUN}-dedupe-")


def test_a_remote_lock_lives_in_the_users_cache_not_a_shared_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lock_file = REMOTE.lock_file()
    assert lock_file.is_relative_to(tmp_path / "cache" / "ingest" / "locks")
    other = Output(Store(pafs.LocalFileSystem(), "bucket/other", "s3://bucket/other", "s3"))
    assert other.lock_file() != lock_file
    trailing = Output(Store(pafs.LocalFileSystem(), "bucket/prefix/", "s3://bucket/prefix/", "s3"))
    assert trailing.lock_file() == lock_file


def test_dedupe_and_compacted_names_say_whose_they_are() -> None:
    first = dedupe_file_name(RUN, ["b.txt", "a.txt"])
    assert first == dedupe_file_name(RUN, ["a.txt", "b.txt"])  # a retry writes the same name
    assert first != dedupe_file_name(RUN, ["a.txt"])
    assert written_by(first, RUN)
    assert not written_by(compacted_file_name("0a1b2c"), RUN)


def test_a_run_id_is_matched_whole_not_as_a_prefix() -> None:
    assert written_by(f"x/part-{RUN}-00001.parquet", RUN)
    assert not written_by(f"x/part-{RUN}0-00001.parquet", RUN)


def test_table_files_are_listed_by_run(tmp_path) -> None:
    table = documents_table([], RunInfo.start())
    other = "20261201T000000Z-ffffff"
    names = [
        batch_file_name(RUN, 1),
        batch_file_name(RUN, 0),
        batch_file_name(other, 0),
        compacted_file_name("c"),
    ]
    for name in names:
        write_parquet(table, tmp_path / DOCUMENTS, name)
    (tmp_path / DOCUMENTS / f".{names[0]}.tmp").write_bytes(b"unfinished")
    output = open_output(tmp_path)
    listed = [Path(p).name for p in output.files(DOCUMENTS)]
    assert listed == sorted(names)
    assert [Path(p).name for p in output.run_files(DOCUMENTS, RUN)] == sorted(names[:2])
    assert [Path(p).name for p in output.files(DOCUMENTS, exclude_runs=[RUN])] == sorted(names[2:])
    assert output.files(REJECTS) == []
    assert output.journal_files() == []


def test_a_run_finds_its_own_dedupe_files(tmp_path) -> None:
    table = documents_table([], RunInfo.start())
    mine = dedupe_file_name(RUN, ["a.txt"])
    for name in (mine, batch_file_name(RUN, 0), dedupe_file_name("other-run", ["a.txt"])):
        write_parquet(table, tmp_path / REJECTS, name)
    assert [Path(p).name for p in open_output(tmp_path).dedupe_files(RUN)] == [mine]
