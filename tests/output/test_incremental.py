"""Incremental runs: unchanged files are not read again; duplicates across batches are rejected."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from ingest.ids import make_doc_id
from ingest.output.dataset import SeenIndex, load_seen_index
from ingest.output.layout import open_output
from ingest.output.manifest import drop_known_files
from ingest.output.parquet import RunInfo, write_table
from ingest.output.settle import drop_superseded, reject_run_duplicates, settle_runs
from ingest.output.store import Store
from ingest.read.files import find_input_files
from ingest.run.batches import process_files, write_batch_files

ARTICLE = "A headline for the test\n\n" + "\n\n".join(
    f"Paragraph {i} of an article that is long enough to be a real paragraph of prose, "
    "with a few clauses, a number or two and a full stop at the end."
    for i in range(4)
)


def make_inputs(folder, names_and_texts):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in names_and_texts:
        (folder / name).write_text(text, encoding="utf-8")


def run_batches(inputs, out, batch_size=1):
    run = RunInfo.start()
    files, known = drop_known_files(find_input_files([inputs]), open_output(out))
    for index in range(0, len(files), batch_size):
        batch = files[index : index + batch_size]
        documents, rejects, _ = process_files(batch, SeenIndex())  # as parallel workers see it
        write_batch_files([*documents, *rejects], open_output(out), run, index, files=batch)
    return run, files, known


def test_unchanged_files_are_known_and_not_read(tmp_path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs, [("a.txt", ARTICLE), ("b.txt", ARTICLE.replace("test", "other test"))])
    _, files, known = run_batches(inputs, out)
    assert (len(files), known) == (2, 0)

    _, files, known = run_batches(inputs, out)
    assert (len(files), known) == (0, 2)

    (inputs / "c.txt").write_text(ARTICLE.replace("test", "third test"), encoding="utf-8")
    stat = (inputs / "a.txt").stat()
    os.utime(inputs / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    _, files, known = run_batches(inputs, out)
    assert sorted(f.source for f in files) == ["a.txt", "c.txt"]
    assert known == 1


def test_changed_file_with_same_bytes_is_skipped_by_doc_id(tmp_path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs, [("a.txt", ARTICLE)])
    run_batches(inputs, out)
    stat = (inputs / "a.txt").stat()
    os.utime(inputs / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    files, _ = drop_known_files(find_input_files([inputs]), open_output(out))
    documents, rejects, summary = process_files(files, load_seen_index(open_output(out)))
    assert (documents, rejects, summary.skipped) == ([], [], 1)


def test_duplicates_across_parallel_batches_become_rejects_with_bytes(tmp_path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(
        inputs, [("a.txt", ARTICLE), ("b.txt", ARTICLE + "\n"), ("c.txt", ARTICLE + "\n\n")]
    )
    run, files, _ = run_batches(inputs, out)
    assert ds.dataset(out / "documents", format="parquet").count_rows() == 3

    moved = reject_run_duplicates(open_output(out), run, [run.run_id], files, max_bytes=10_000_000)[
        0
    ]
    assert moved == 2
    (kept,) = ds.dataset(out / "documents", format="parquet").to_table().to_pylist()
    assert kept["source"] == "a.txt"
    rejects = ds.dataset(out / "rejects", format="parquet").to_table().to_pylist()
    assert sorted((r["source"], r["reason"], r["duplicate_of"]) for r in rejects) == [
        ("b.txt", "duplicate", kept["doc_id"]),
        ("c.txt", "duplicate", kept["doc_id"]),
    ]
    for row in rejects:
        assert row["raw"] == (inputs / row["source"]).read_bytes()

    assert (
        reject_run_duplicates(open_output(out), run, [run.run_id], files, max_bytes=10_000_000)[0]
        == 0
    )  # idempotent


def test_a_retried_dedupe_rejects_each_duplicate_once_in_bounded_files(
    tmp_path, monkeypatch
) -> None:
    """The first attempt writes the rejects, removes one duplicate document and dies; the retry
    must neither lose those rejects nor write them again. Files hold at most the byte limit."""
    import ingest.output.settle as dedupe

    inputs, out = tmp_path / "in", tmp_path / "out"
    copies = [(f"{name}.txt", ARTICLE + "\n" * i) for i, name in enumerate("abcde")]
    make_inputs(inputs, copies)
    run, files, _ = run_batches(inputs, out)
    monkeypatch.setattr(dedupe, "DEDUPE_FILE_BYTES", 1)  # one reject per file

    def write_rejects_only(store, table, path):
        if "documents" in path:
            raise OSError("disk full")
        write_table(store, table, path)

    deleted: list[str] = []

    def delete_once(store, path):
        if deleted:
            raise OSError("disk full")
        deleted.append(path)
        Path(path).unlink()

    monkeypatch.setattr(dedupe, "write_table", write_rejects_only)
    monkeypatch.setattr(Store, "delete", delete_once)
    with pytest.raises(OSError, match="disk full"):
        reject_run_duplicates(open_output(out), run, [run.run_id], files, max_bytes=10_000_000)[0]
    assert len(list((out / "rejects").glob("part-*-dedupe-*.parquet"))) == 4
    assert ds.dataset(out / "documents", format="parquet").count_rows() == 4
    monkeypatch.undo()

    settled = settle_runs(open_output(out), run, [run.run_id], files, 10_000_000, force=False)
    assert (settled.repeats, settled.duplicates) == (3, 0)  # the documents already rejected
    (kept,) = ds.dataset(out / "documents", format="parquet").to_table().to_pylist()
    rejects = ds.dataset(out / "rejects", format="parquet").to_table().to_pylist()
    assert sorted(r["source"] for r in rejects) == ["b.txt", "c.txt", "d.txt", "e.txt"]
    assert {r["duplicate_of"] for r in rejects} == {kept["doc_id"]}


def test_same_bytes_twice_in_one_batch_is_a_duplicate_reject(tmp_path) -> None:
    inputs = tmp_path / "in"
    make_inputs(inputs, [("a.txt", ARTICLE), ("b.txt", ARTICLE)])
    documents, rejects, summary = process_files(find_input_files([inputs]), SeenIndex())
    assert [d.source for d in documents] == ["a.txt"]
    assert [(r.source, r.reason, r.duplicate_of) for r in rejects] == [
        ("b.txt", "duplicate", documents[0].doc_id)
    ]
    assert rejects[0].raw == (inputs / "b.txt").read_bytes()
    assert summary.skipped == 0


def test_same_bytes_in_two_parallel_batches_is_settled_after_them(tmp_path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs, [("a.txt", ARTICLE), ("b.txt", ARTICLE)])
    run, files, _ = run_batches(inputs, out)
    assert (
        reject_run_duplicates(open_output(out), run, [run.run_id], files, max_bytes=10_000_000)[0]
        == 1
    )
    (kept,) = ds.dataset(out / "documents", format="parquet").to_table().to_pylist()
    (reject,) = ds.dataset(out / "rejects", format="parquet").to_table().to_pylist()
    assert (kept["source"], reject["source"], reject["duplicate_of"]) == (
        "a.txt",
        "b.txt",
        kept["doc_id"],
    )


def test_a_file_given_twice_is_read_once(tmp_path) -> None:
    make_inputs(tmp_path / "in", [("a.txt", ARTICLE)])
    files = find_input_files([tmp_path / "in", tmp_path / "in" / "a.txt", tmp_path / "in"])
    assert [f.source for f in files] == ["a.txt"]


def test_workers_ignore_what_this_run_already_wrote(tmp_path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs, [("a.txt", ARTICLE)])
    run, _, _ = run_batches(inputs, out)
    assert load_seen_index(open_output(out)).is_known(make_doc_id((inputs / "a.txt").read_bytes()))
    assert not load_seen_index(open_output(out), exclude_runs=[run.run_id]).is_known(
        make_doc_id((inputs / "a.txt").read_bytes())
    )


def test_forced_rerun_replaces_old_records(tmp_path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs, [("a.txt", ARTICLE), ("b.txt", ARTICLE.replace("Paragraph", "Part"))])
    run_batches(inputs, out)
    run = RunInfo.start()
    files = find_input_files([inputs])
    documents, rejects, _ = process_files(
        files, load_seen_index(open_output(out)), skip_known=False
    )
    assert len(documents) == 2
    write_batch_files([*documents, *rejects], open_output(out), run, 0, files=files)
    assert drop_superseded(open_output(out), [run.run_id], force=True) == 2
    rows = ds.dataset(out / "documents", format="parquet").to_table().to_pylist()
    assert sorted(r["source"] for r in rows) == ["a.txt", "b.txt"]
    assert {r["run_id"] for r in rows} == {run.run_id}
    assert drop_superseded(open_output(out), [run.run_id], force=True) == 0
