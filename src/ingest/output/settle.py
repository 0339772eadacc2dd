"""Settling a run: after its batches, the output holds what an uninterrupted run would leave.

The batches of a run decide alone (each sees what the output held before the run, and its own
inputs), and a killed run leaves its batches' files unsettled (``ingest.output.runs``). The
settle steps run after the batches over the files of the *settled runs*: the run itself and the
interrupted runs it took over. Each step rewrites files atomically and is safe to repeat, so a
kill in the middle is finished by the next run.

1. ``drop_repeated_inputs``: an input recorded by two of the settled runs (a killed run wrote a
   batch but not its manifest entry, so the next run read it again) keeps the newest record.
2. ``reject_run_duplicates``: per body, the copy first in input order is kept; every other
   becomes a ``duplicate`` reject (its bytes read again from disk), and rejects that named a
   document now rejected name the one kept.
3. ``drop_superseded``: records of other runs that the settled runs replace. With ``--force``,
   every older record of an input they read; always, an ``unreadable_input`` reject of an
   input that has been read since.

"Input order" is the order discovery gives (``ingest.read.files.discover_inputs``), with JSON
Lines lines in line order, so the dataset depends on the set of inputs, not on which batch
finished first or where a run was killed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import pyarrow as pa
import pyarrow.compute as pc

from ingest.output.duplicates import chunk_by_bytes, duplicate_reject, read_raw_inputs
from ingest.output.layout import DOCUMENTS, REJECTS, Output, is_dedupe_file, written_by
from ingest.output.parquet import RunInfo, rejects_table, write_table
from ingest.read.files import InputFile

# Raw bytes per file of duplicate rejects: bounds the memory of the step after the batches.
DEDUPE_FILE_BYTES = 32_000_000
UNREAD_REASON = "unreadable_input"  # a reject that a later successful read supersedes

OrderKey = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class Settled:
    """What settling changed: records dropped as repeats, duplicates rejected, older records
    replaced. ``duplicates_of_run`` is how many of the duplicates were the run's own documents."""

    repeats: int = 0
    duplicates: int = 0
    duplicates_of_run: int = 0
    superseded: int = 0


def input_order(files: Sequence[InputFile]) -> Callable[[str], OrderKey]:
    """The sort key of a source in input order: its file's place, then its JSON Lines line.

    Sources of files no longer found sort after every found one, by name.

    >>> from ingest.read.files import InputFile
    >>> key = input_order([InputFile("b", "b.jsonl", 1, 0), InputFile("a", "a.txt", 1, 0)])
    >>> sorted(["a.txt", "b.jsonl#10", "gone.txt", "b.jsonl#2"], key=key)
    ['b.jsonl#2', 'b.jsonl#10', 'a.txt', 'gone.txt']
    """
    place = {file.source: index for index, file in enumerate(files)}
    missing = len(place)

    def key(source: str) -> OrderKey:
        if source in place:
            return (place[source], 0, "")
        path, _, line = source.rpartition("#")
        if path in place and line.isdigit():
            return (place[path], int(line), "")
        return (missing, 0, source)

    return key


def settled_files(
    output: Output, table: str, run_ids: Iterable[str]
) -> list[tuple[str, tuple[str, bool]]]:
    """(path, age) of the settled runs' files of a table, oldest first.

    The age is the run and whether the file holds duplicate rejects: a later run's file is
    newer, and within a run the duplicate-reject files (written after the batches) are newer
    than the batch files. Files of one run's batches are of one age: two inputs of one run with
    the same source (from two INPUT folders) are both kept.
    """
    ids = list(run_ids)
    return [
        (path, (next(r for r in ids if written_by(path, r)), is_dedupe_file(path)))
        for path in output.run_files(table, *ids)
    ]


def rewrite_without(output: Output, path: str, hits: Callable[[pa.Table], pa.Array]) -> int:
    """Rewrite the file at ``path`` without the rows ``hits`` marks; return how many went.

    The file is replaced atomically, or deleted when no row is left.
    """
    store = output.store
    table = store.read_table(path)
    marked = pc.fill_null(hits(table), False)
    count = pc.sum(marked).as_py() or 0
    if not count:
        return 0
    kept = table.filter(pc.invert(marked))
    if kept.num_rows:
        write_table(store, kept, path)
    else:
        store.delete(path)
    return count


def drop_rows(output: Output, path: str, sources: Iterable[str], reason: str | None = None) -> int:
    """Rewrite the file at ``path`` without the rows of ``sources`` (only those with ``reason``)."""
    value_set = pa.array(sorted(set(sources)), pa.string())
    if not len(value_set):
        return 0

    def hits(table: pa.Table) -> pa.Array:
        marked = pc.is_in(table.column("source"), value_set=value_set)
        return marked if reason is None else pc.and_(marked, pc.equal(table["reason"], reason))

    return rewrite_without(output, path, hits)


def drop_repeated_inputs(output: Output, run_ids: Sequence[str]) -> int:
    """Keep only the newest record of each input the settled runs recorded more than once."""
    files = settled_files(output, DOCUMENTS, run_ids) + settled_files(output, REJECTS, run_ids)
    newest: dict[str, tuple[str, bool]] = {}
    held: list[tuple[str, tuple[str, bool], list[str]]] = []
    for path, age in files:
        sources = output.store.read_table(path, columns=["source"]).column("source").to_pylist()
        held.append((path, age, sources))
        for source in sources:
            newest[source] = max(newest.get(source, age), age)
    return sum(
        drop_rows(output, path, (s for s in sources if newest[s] > age))
        for path, age, sources in held
    )


def find_run_duplicates(
    output: Output, run_ids: Sequence[str], order: Callable[[str], OrderKey]
) -> dict[str, list[tuple[str, str, str]]]:
    """Per document file of the settled runs: (doc_id, source, kept doc_id) of repeated bodies.

    Per body, the document whose source comes first in input order is kept.
    """
    rows: list[tuple[str, str, str, str]] = []  # (path, doc_id, source, digest)
    for path, _ in settled_files(output, DOCUMENTS, run_ids):
        table = output.store.read_table(path, columns=["doc_id", "source", "content_sha256"])
        columns = (table.column(c).to_pylist() for c in table.column_names)
        rows.extend((path, *row) for row in zip(*columns, strict=True))
    kept: dict[str, tuple[OrderKey, str, str]] = {}  # digest -> (order, source, doc_id)
    for _, doc_id, source, digest in rows:
        candidate = (order(source), source, doc_id)
        if digest not in kept or candidate < kept[digest]:
            kept[digest] = candidate
    duplicates: dict[str, list[tuple[str, str, str]]] = {}
    for path, doc_id, source, digest in rows:
        _, kept_source, kept_id = kept[digest]
        if source != kept_source:  # another input with the same body (or the same bytes)
            duplicates.setdefault(path, []).append((doc_id, source, kept_id))
    return duplicates


def reject_run_duplicates(
    output: Output,
    run: RunInfo,
    run_ids: Sequence[str],
    files: Sequence[InputFile],
    max_bytes: int,
) -> tuple[int, int]:
    """Move the settled runs' repeated documents to rejects; return (moved, moved of ``run``).

    The rejects are written first, into ``run``'s duplicate-reject files, and the document files
    rewritten after, each atomically: a kill in between leaves a record twice (as a document and
    a newer duplicate reject), which the next run's ``drop_repeated_inputs`` settles. Rejects
    are written in files of at most ``DEDUPE_FILE_BYTES`` of raw bytes (memory stays bounded
    however many duplicates a run has). Only documents whose reject is written are removed (an
    input that vanished since its batch read it stays a document).
    """
    duplicates = find_run_duplicates(output, run_ids, input_order(files))
    if not duplicates:
        return 0, 0
    wanted = {source: kept for rows in duplicates.values() for _, source, kept in rows}
    root_of = {file.source: file.root for file in files}
    rejected: set[str] = set()
    found = read_raw_inputs(files, set(wanted), max_bytes)
    for chunk in chunk_by_bytes(found, DEDUPE_FILE_BYTES):
        rejects = [
            replace(
                duplicate_reject(raw, wanted[raw.source]),
                input_root=root_of.get(raw.source, root_of.get(raw.source.rpartition("#")[0])),
            )
            for raw in chunk
        ]
        sources = [reject.source for reject in rejects]
        path = output.dedupe_file(run.run_id, sources)
        write_table(output.store, rejects_table(rejects, run), path)
        rejected.update(sources)
    repoint_duplicates(output, run_ids, duplicates, rejected)
    moved = of_run = 0
    for path, rows in duplicates.items():
        count = drop_rows(output, path, (s for _, s, _ in rows if s in rejected))
        moved += count
        of_run += count if written_by(path, run.run_id) else 0
    return moved, of_run


def repoint_duplicates(
    output: Output,
    run_ids: Sequence[str],
    duplicates: dict[str, list[tuple[str, str, str]]],
    rejected: set[str],
) -> int:
    """Make the settled runs' duplicate rejects name the kept document, not one now rejected.

    A batch of a killed run may have kept a copy that a later run's batch precedes in input
    order; the rejects that batch wrote of the same body named that copy.
    """
    moved_to = {
        doc_id: kept
        for rows in duplicates.values()
        for doc_id, source, kept in rows
        if source in rejected and doc_id != kept
    }
    if not moved_to:
        return 0
    store = output.store
    changed = 0
    targets = pa.array(sorted(moved_to), pa.string())
    for path, _ in settled_files(output, REJECTS, run_ids):
        column = store.read_table(path, columns=["duplicate_of"]).column("duplicate_of")
        hits = pc.sum(pc.fill_null(pc.is_in(column, value_set=targets), False)).as_py() or 0
        if not hits:
            continue
        table = store.read_table(path)
        index = table.schema.get_field_index("duplicate_of")
        names = [moved_to.get(value, value) for value in table.column(index).to_pylist()]
        table = table.set_column(index, table.field(index), pa.array(names, pa.string()))
        write_table(store, table, path)
        changed += hits
    return changed


def drop_superseded(output: Output, run_ids: Sequence[str], *, force: bool) -> int:
    """Remove, from the other runs' files, the records the settled runs replace.

    With ``force``, every record of an input the settled runs recorded; always, the
    ``unreadable_input`` rejects of such inputs (they could be read after all). The settled runs'
    files are complete before any other file is rewritten (each rewrite atomic), so a kill in
    between leaves an input's old and new record side by side, never neither, and the next run
    repeats the step. Returns how many older records were removed.
    """
    settled = {
        source
        for table in (DOCUMENTS, REJECTS)
        for path, _ in settled_files(output, table, run_ids)
        for source in output.store.read_table(path, columns=["source"]).column("source").to_pylist()
    }
    if not settled:
        return 0
    removed = 0
    for table in (DOCUMENTS, REJECTS) if force else (REJECTS,):
        for path in output.files(table, exclude_runs=run_ids):
            held = output.store.read_table(path, columns=["source"]).column("source").to_pylist()
            drop = [source for source in held if source in settled]
            removed += drop_rows(output, path, drop, reason=None if force else UNREAD_REASON)
    return removed


def settle_runs(
    output: Output,
    run: RunInfo,
    run_ids: Sequence[str],
    files: Sequence[InputFile],
    max_bytes: int,
    *,
    force: bool,
) -> Settled:
    """The three settle steps over the settled runs ``run_ids`` (``run`` among them).

    ``files`` are every input file the run found (not only the ones it read): duplicates are
    read again from them, and their order is input order. ``force`` is whether any of the
    settled runs replaces the records of what it read.
    """
    repeats = drop_repeated_inputs(output, run_ids)
    moved, of_run = reject_run_duplicates(output, run, run_ids, files, max_bytes)
    superseded = drop_superseded(output, run_ids, force=force)
    return Settled(repeats, moved, of_run, superseded)
