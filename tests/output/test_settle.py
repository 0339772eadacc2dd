"""Settling: after a run, the output is what an uninterrupted run over the same inputs leaves,
whatever an earlier run left unfinished (issue 17 items 3-6).

``one_run`` does what the flow does, without Prefect: journal entry, batches that see only what
the output held before the settled runs, the settle steps, and the entry removed. A kill is a
run stopped after some batches (``stop_after``): its files stay, and so does its entry.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pyarrow.dataset as ds

from ingest.output.compaction import compact_output
from ingest.output.dataset import load_seen_index
from ingest.output.layout import open_output
from ingest.output.manifest import drop_known_files
from ingest.output.parquet import RunInfo
from ingest.output.runs import RunEntry, begin_run, finish_runs, unfinished_runs
from ingest.output.settle import input_order, settle_runs
from ingest.read.files import find_input_files
from ingest.run.batches import process_files, shard_files, write_batch_files

ARTICLE = "A headline number {n}\n\n" + "\n\n".join(
    f"Paragraph {i} of article {{n}}, which is long enough to be a real paragraph of prose, "
    "with a few clauses, a number or two and a full stop at the end."
    for i in range(4)
)


def article(n: int, tail: str = "") -> str:
    return ARTICLE.format(n=n) + tail


def one_run(
    inputs: Path,
    out: Path,
    *,
    batch_files: int = 2,
    replaces: bool = False,
    force: bool = False,
    stop_after: int | None = None,
    order: list[int] | None = None,
    before_batches: Callable[[], object] | None = None,
) -> RunInfo:
    """A run as the flow makes it; ``stop_after`` batches and it is killed; ``order`` is the
    order in which the batches finish (parallel workers)."""
    output = open_output(out)
    run = RunInfo.start()
    entry = RunEntry(run.run_id, replaces=replaces or force)
    taken_over = begin_run(output, entry)
    settled = (*(e.run_id for e in taken_over), run.run_id)
    found = find_input_files([inputs])
    files = found if force else drop_known_files(found, output)[0]
    batches = shard_files(files, max_files=batch_files, max_bytes=10**9)
    seen = load_seen_index(output, exclude_runs=settled)
    if before_batches is not None:
        before_batches()
    for done, index in enumerate(order or range(len(batches))):
        if stop_after is not None and done >= stop_after:
            return run
        documents, rejects, _ = process_files(
            batches[index], seen.for_batch(), skip_known=not force
        )
        write_batch_files([*documents, *rejects], output, run, index, files=batches[index])
    if stop_after is not None and stop_after >= len(batches):  # killed before settling
        return run
    replacing = entry.replaces or any(e.replaces for e in taken_over)
    settle_runs(output, run, settled, found, 10_000_000, force=replacing)
    finish_runs(output, [*taken_over, entry])
    return run


def records(out: Path) -> tuple[Counter, Counter]:
    """Documents as (source, doc_id) and rejects as (source, reason, duplicate_of), multisets."""

    def rows(table: str, columns: list[str]) -> Counter:
        if not list((out / table).glob("*.parquet")):  # no record of that kind
            return Counter()
        data = ds.dataset(out / table, format="parquet").to_table(columns=columns)
        return Counter(zip(*(data.column(c).to_pylist() for c in columns), strict=True))

    return rows("documents", ["source", "doc_id"]), rows(
        "rejects", ["source", "reason", "duplicate_of"]
    )


def make_corpus(folder: Path) -> Path:
    """Articles, byte-identical copies and same-body copies in later batches, two empty files."""
    folder.mkdir()
    for n in range(8):
        (folder / f"a{n}.txt").write_text(article(n), encoding="utf-8")
    (folder / "b-copy0.txt").write_text(article(0), encoding="utf-8")
    (folder / "c-same3.txt").write_text(article(3, "\n\n\n"), encoding="utf-8")
    (folder / "d-same5.txt").write_text(article(5, "\n"), encoding="utf-8")
    (folder / "e1.txt").write_bytes(b"")
    (folder / "e2.txt").write_bytes(b"")
    return folder


def reference(inputs: Path, tmp_path: Path) -> tuple[Counter, Counter]:
    out = tmp_path / "reference"
    one_run(inputs, out)
    return records(out)


def test_the_uninterrupted_run_keeps_the_first_copy_and_own_reasons(tmp_path) -> None:
    inputs = make_corpus(tmp_path / "in")
    documents, rejects = reference(inputs, tmp_path)
    assert sorted(s for s, _ in documents) == [f"a{n}.txt" for n in range(8)]
    assert sorted((s, r) for s, r, _ in rejects) == [
        ("b-copy0.txt", "duplicate"),
        ("c-same3.txt", "duplicate"),
        ("d-same5.txt", "duplicate"),
        ("e1.txt", "empty_input"),  # not "duplicate" of a record that is not a document
        ("e2.txt", "empty_input"),
    ]


def test_batches_finishing_in_any_order_give_the_same_records(tmp_path) -> None:
    inputs = make_corpus(tmp_path / "in")
    expected = reference(inputs, tmp_path)
    one_run(inputs, tmp_path / "out", order=[6, 5, 4, 3, 2, 1, 0])
    assert records(tmp_path / "out") == expected


def test_any_kill_then_one_complete_run_gives_the_uninterrupted_records(tmp_path) -> None:
    """Killed after each number of batches, in reverse finishing order (the copies first), and
    while settling: then one complete run."""
    inputs = make_corpus(tmp_path / "in")
    expected = reference(inputs, tmp_path)
    for stop_after in range(1, 9):
        out = tmp_path / f"out{stop_after}"
        one_run(inputs, out, stop_after=stop_after, order=[6, 5, 4, 3, 2, 1, 0])
        assert unfinished_runs(open_output(out))  # the killed run's entry is left
        one_run(inputs, out)
        assert records(out) == expected, stop_after
        assert not unfinished_runs(open_output(out))


def test_two_kills_in_a_row_then_one_complete_run(tmp_path) -> None:
    inputs = make_corpus(tmp_path / "in")
    expected = reference(inputs, tmp_path)
    out = tmp_path / "out"
    one_run(inputs, out, stop_after=2, order=[6, 5, 4, 3, 2, 1, 0])
    one_run(inputs, out, stop_after=1, order=[1, 0, 2])
    one_run(inputs, out)
    assert records(out) == expected


def test_a_killed_force_run_is_settled_by_the_next_plain_run(tmp_path) -> None:
    inputs = make_corpus(tmp_path / "in")
    expected = reference(inputs, tmp_path)
    for stop_after in (1, 3, 8):
        out = tmp_path / f"out{stop_after}"
        one_run(inputs, out)
        one_run(inputs, out, force=True, stop_after=stop_after, order=[6, 5, 4, 3, 2, 1, 0])
        one_run(inputs, out)
        assert records(out) == expected, stop_after


def test_a_copy_of_a_recorded_input_under_a_new_name_gets_its_own_record(tmp_path) -> None:
    """It used to be skipped with no record, its bytes being known under another name."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(article(1), encoding="utf-8")
    one_run(inputs, tmp_path / "out")
    (inputs / "z.txt").write_text(article(1), encoding="utf-8")
    one_run(inputs, tmp_path / "out")
    documents, rejects = records(tmp_path / "out")
    (doc_id,) = {d for _, d in documents}
    assert rejects == Counter({("z.txt", "duplicate", doc_id): 1})


def test_an_input_unreadable_then_readable_ends_with_one_record(tmp_path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text(article(1), encoding="utf-8")
    flaky = inputs / "b.txt"
    flaky.write_text(article(2), encoding="utf-8")
    one_run(inputs, tmp_path / "out", before_batches=flaky.unlink)  # gone when read
    assert ("b.txt", "unreadable_input", None) in records(tmp_path / "out")[1]
    flaky.write_text(article(2), encoding="utf-8")
    one_run(inputs, tmp_path / "out")
    documents, rejects = records(tmp_path / "out")
    assert sorted(s for s, _ in documents) == ["a.txt", "b.txt"]
    assert not rejects


def test_an_edited_file_keeps_both_versions_unless_replace_changed(tmp_path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    edited = inputs / "a.txt"
    for out, replaces in ((tmp_path / "both", False), (tmp_path / "latest", True)):
        edited.write_text(article(1), encoding="utf-8")
        one_run(inputs, out)
        edited.write_text(article(2), encoding="utf-8")
        os.utime(edited, ns=(0, edited.stat().st_mtime_ns + 10**9))
        one_run(inputs, out, replaces=replaces)
    assert len(records(tmp_path / "both")[0]) == 2
    (latest,) = records(tmp_path / "latest")[0]
    assert latest[0] == "a.txt"
    body = ds.dataset(tmp_path / "latest" / "documents", format="parquet").to_table()
    assert "article 2" in body.column("body")[0].as_py()


def test_compaction_leaves_an_unsettled_runs_files_for_the_next_run(tmp_path) -> None:
    inputs = make_corpus(tmp_path / "in")
    expected = reference(inputs, tmp_path)
    out = tmp_path / "out"
    killed = one_run(inputs, out, stop_after=4, batch_files=1, order=list(range(12, -1, -1)))
    compact_output(open_output(out))
    assert all(killed.run_id in p.name for p in (out / "documents").glob("*.parquet"))
    one_run(inputs, out)
    assert records(out) == expected


def test_input_order_puts_json_lines_in_line_order() -> None:
    from ingest.read.files import InputFile

    key = input_order([InputFile("x", "x.jsonl", 1, 0), InputFile("y", "a.txt", 1, 0)])
    assert sorted(["a.txt", "x.jsonl#10", "x.jsonl#9"], key=key) == [
        "x.jsonl#9",
        "x.jsonl#10",
        "a.txt",
    ]


def test_a_journal_entry_reads_back_as_written() -> None:
    entry = RunEntry("R", replaces=True)
    assert RunEntry.from_json(entry.to_json()) == entry


def test_the_journal_lists_only_runs_not_finished(tmp_path) -> None:
    output = open_output(tmp_path / "out")
    assert begin_run(output, RunEntry("20260101T000000Z-aaaaaa")) == []
    taken = begin_run(output, RunEntry("20260102T000000Z-bbbbbb", replaces=True))
    assert [e.run_id for e in taken] == ["20260101T000000Z-aaaaaa"]
    finish_runs(output, [*taken, RunEntry("20260102T000000Z-bbbbbb")])
    assert unfinished_runs(output) == []


def test_two_inputs_with_the_same_relative_path_are_told_apart_by_input_root(tmp_path) -> None:
    for name, n in (("one", 1), ("two", 2)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "a.txt").write_text(article(n), encoding="utf-8")
    files = find_input_files([tmp_path / "one", tmp_path / "two"])
    documents, rejects, _ = process_files(files, load_seen_index(open_output(tmp_path / "out")))
    assert rejects == []
    assert [(d.source, d.input_root) for d in documents] == [
        ("a.txt", str(tmp_path / "one")),
        ("a.txt", str(tmp_path / "two")),
    ]
