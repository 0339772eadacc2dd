"""Compaction keeps the record set; interrupted compactions are settled; one writer at a time."""

from __future__ import annotations

import json
import subprocess
import sys

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from conftest import parquet_files, write_parquet

from ingest.output.compaction import compact_output, conform_to_schema, recover_compactions
from ingest.output.layout import JOURNAL, open_output
from ingest.output.lock import OutputLockedError, output_lock
from ingest.output.parquet import RunInfo, documents_table, rejects_table
from ingest.output.schema import load_schema
from ingest.records import Document, Reject


def document(i: int) -> Document:
    return Document(
        doc_id=f"{i:032x}",
        source=f"s{i}.txt",
        title=f"Title {i}",
        language="en",
        body=f"Body of document {i}.",
        captions=(),
        removed=(),
        encoding="utf-8",
        fixes=(),
        content_sha256=f"{i:064x}",
        input_bytes=i,
        paragraph_count=1,
    )


def small_files_output(tmp_path, files: int = 12):
    run = RunInfo.start()
    for n in range(files):
        docs = [document(n * 10 + k) for k in range(10)]
        write_parquet(documents_table(docs, run), tmp_path / "documents", f"part-{n:03d}.parquet")
        rejects = [Reject(f"bad{n}", "empty_input", "Empty.", b"", doc_id=f"{n:032x}")]
        write_parquet(rejects_table(rejects, run), tmp_path / "rejects", f"part-{n:03d}.parquet")
    return tmp_path


def records(folder) -> list[dict]:
    rows = ds.dataset(folder, format="parquet").to_table().to_pylist()
    return sorted(rows, key=lambda r: (r.get("doc_id") or "", r["source"]))


def test_compaction_merges_files_and_keeps_every_record(tmp_path) -> None:
    out = small_files_output(tmp_path)
    before_docs, before_rejects = records(out / "documents"), records(out / "rejects")
    results = compact_output(open_output(out), target_bytes=10**9)
    assert {r.folder: (r.files_before, r.files_after) for r in results} == {
        "documents": (12, 1),
        "rejects": (12, 1),
        "_manifest": (0, 0),
    }
    assert records(out / "documents") == before_docs
    assert records(out / "rejects") == before_rejects
    (merged,) = parquet_files(out / "documents")
    assert pq.read_schema(merged).metadata[b"ingest.schema_version"] == b"1"
    assert not (out / JOURNAL).exists() or not any((out / JOURNAL).iterdir())


def test_compaction_respects_the_target_size(tmp_path) -> None:
    out = small_files_output(tmp_path)
    size = parquet_files(out / "documents")[0].stat().st_size
    compact_output(open_output(out), target_bytes=size * 4)
    after = parquet_files(out / "documents")
    assert 3 <= len(after) <= 6
    assert len(records(out / "documents")) == 120


def test_interrupted_compaction_with_complete_new_file_is_finished(tmp_path) -> None:
    out = small_files_output(tmp_path, files=3)
    folder = out / "documents"
    old = [p.name for p in parquet_files(folder)]
    table = pa.concat_tables(pq.read_table(folder / name) for name in old)
    write_parquet(table, folder, "part-compacted-x.parquet")
    (out / JOURNAL).mkdir()
    entry = {"id": "x", "folder": "documents", "new": "part-compacted-x.parquet", "old": old}
    (out / JOURNAL / "x.json").write_text(json.dumps(entry))
    assert len(records(folder)) == 60  # a reader in the window sees both: why recovery runs first

    assert recover_compactions(open_output(out)) == 1
    assert [p.name for p in parquet_files(folder)] == ["part-compacted-x.parquet"]
    assert len(records(folder)) == 30


def test_interrupted_compaction_without_new_file_keeps_the_old_files(tmp_path) -> None:
    out = small_files_output(tmp_path, files=3)
    old = [p.name for p in parquet_files(out / "documents")]
    (out / JOURNAL).mkdir()
    entry = {"id": "y", "folder": "documents", "new": "part-compacted-y.parquet", "old": old}
    (out / JOURNAL / "y.json").write_text(json.dumps(entry))
    assert recover_compactions(open_output(out)) == 1
    assert [p.name for p in parquet_files(out / "documents")] == old


def test_an_older_file_without_a_new_column_reads_as_null() -> None:
    schema = load_schema("documents")
    old_schema = pa.schema([f for f in schema if f.name != "author"])
    old = pa.Table.from_pylist([], schema=old_schema)
    conformed = conform_to_schema(old, schema)
    assert conformed.schema.names == schema.names


def test_second_writer_is_refused_with_a_clear_message(tmp_path) -> None:
    with output_lock(open_output(tmp_path), "run"):
        with pytest.raises(OutputLockedError, match=r"is being written by ingest run \(pid \d+"):
            with output_lock(open_output(tmp_path), "compact"):
                pass
    with output_lock(open_output(tmp_path), "compact"):  # released: free again
        pass


def test_lock_held_by_another_process_is_seen(tmp_path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from ingest.output.lock import output_lock\n"
            "from ingest.output.layout import open_output\n"
            f"with output_lock(open_output({str(tmp_path)!r})):\n    print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputLockedError):
            with output_lock(open_output(tmp_path)):
                pass
    finally:
        holder.kill()
        holder.wait()
    with output_lock(open_output(tmp_path)):  # a killed holder leaves no stale lock
        pass


def test_compact_command_on_a_real_folder(tmp_path) -> None:
    out = small_files_output(tmp_path, files=4)
    result = subprocess.run(
        [sys.executable, "-m", "ingest", "compact", str(out), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    payload = {r["folder"]: r["files_after"] for r in json.loads(result.stdout)}
    assert payload["documents"] == 1


def test_compact_command_refuses_a_folder_that_is_not_an_output(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ingest", "compact", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert (
        result.stderr
        == f"ingest: error: not an ingest output folder (no documents/ or rejects/): {tmp_path}\n"
    )


def test_compact_command_on_a_corrupt_file_fails_in_one_line_and_loses_nothing(tmp_path) -> None:
    out = small_files_output(tmp_path, files=3)
    before = records(out / "documents")
    (out / "documents" / "part-garbage.parquet").write_bytes(b"not parquet at all" * 10)
    result = subprocess.run(
        [sys.executable, "-m", "ingest", "compact", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("ingest: error: the compaction failed: ")
    assert len(result.stderr.splitlines()) == 1
    (out / "documents" / "part-garbage.parquet").unlink()
    assert records(out / "documents") == before
