"""The duplicate policy: which inputs repeat which, which record is kept, the reject of the rest.

An input repeats another when its bytes are the same (the same doc_id) or its clean body is the
same (the same ``content_sha256``). The first in input order is kept, as a document; every later
one becomes a ``duplicate`` reject that names the kept document and carries its own raw bytes.

A batch settles what it can see: inputs already in the output (``SeenIndex``) and earlier in the
same batch (``same_bytes_again``, ``keep_or_reject``). Two batches running at once can both keep
the same body; after the batches, ``reject_run_duplicates`` keeps the first copy in input order
and turns each later one into the same ``duplicate`` reject. With ``--force``,
``drop_superseded`` keeps an input's new record and removes its older ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from ingest.output.dataset import SeenIndex
from ingest.output.layout import DOCUMENTS, REJECTS, Output
from ingest.output.parquet import RunInfo, rejects_table, write_table
from ingest.read.files import InputFile, read_input_file
from ingest.records import Document, RawInput, Reject

# Raw bytes per file of duplicate rejects: bounds the memory of the step after the batches.
DEDUPE_FILE_BYTES = 32_000_000


def duplicate_reject(item: RawInput | Reject, kept: str) -> Reject:
    """The ``duplicate`` reject of an input whose body (or bytes) was already kept as ``kept``."""
    detail = f"the same body was already kept as document {kept}"
    return Reject.of(item, "duplicate", detail, duplicate_of=kept)


def same_bytes_again(item: RawInput | Reject, seen: SeenIndex) -> Reject | None:
    """A ``duplicate`` reject when this batch already accounted for the same bytes, else None."""
    if item.doc_id is not None and item.doc_id in seen.doc_ids:
        return duplicate_reject(item, item.doc_id)
    return None


def keep_or_reject(result: Document | Reject, item: RawInput, seen: SeenIndex) -> Document | Reject:
    """``result``, or a ``duplicate`` reject of ``item`` when its body was already kept."""
    if not isinstance(result, Document):
        return result
    kept = seen.kept_for(result.content_sha256)
    if kept is None or kept == result.doc_id:
        return result
    return duplicate_reject(item, kept)


def find_run_duplicates(output: Output, run_id: str) -> dict[str, list[tuple[str, str, str]]]:
    """Per document file of this run: (doc_id, source, kept doc_id) of rows that repeat a body.

    The run's files come in batch order (see ``ingest.output.layout``); the first row with a
    body is kept. Keys are paths inside the output's store.
    """
    store = output.store
    first_seen: dict[str, tuple[str, str]] = {}
    duplicates: dict[str, list[tuple[str, str, str]]] = {}
    for path in output.run_files(DOCUMENTS, run_id):
        table = store.read_table(path, columns=["doc_id", "source", "content_sha256"])
        rows = zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True)
        for doc_id, source, digest in rows:
            kept, kept_source = first_seen.setdefault(digest, (doc_id, source))
            if source != kept_source:  # another input with the same body (or the same bytes)
                duplicates.setdefault(path, []).append((doc_id, source, kept))
    return duplicates


def reject_run_duplicates(
    output: Output, run: RunInfo, files: Sequence[InputFile], max_bytes: int
) -> int:
    """Move this run's cross-batch duplicate documents to rejects; return how many moved.

    The rejects are written first and the document files rewritten after, each atomically, so
    a crash in between leaves a record twice (as a document and a duplicate reject), never lost.
    Rejects are written in files of at most ``DEDUPE_FILE_BYTES`` of raw bytes (memory stays
    bounded however many duplicates a run has), each named after the sources it holds, and a
    retry skips the sources this run's earlier files already hold: each duplicate is rejected
    once. Only documents whose reject is written are removed (an input that vanished since its
    batch read it stays a document).
    """
    duplicates = find_run_duplicates(output, run.run_id)
    if not duplicates:
        return 0
    store = output.store
    wanted = {source: kept for rows in duplicates.values() for _, source, kept in rows}
    rejected = rejected_sources(output, run.run_id) & wanted.keys()
    found = read_raw_inputs(files, set(wanted) - rejected, max_bytes)
    for chunk in chunk_by_bytes(found, DEDUPE_FILE_BYTES):
        rejects = [duplicate_reject(raw, wanted[raw.source]) for raw in chunk]
        sources = [reject.source for reject in rejects]
        path = output.dedupe_file(run.run_id, sources)
        write_table(store, rejects_table(rejects, run), path)
        rejected.update(sources)
    for path, rows in duplicates.items():
        drop = pa.array([source for _, source, _ in rows if source in rejected], pa.string())
        if not len(drop):
            continue
        table = store.read_table(path)
        kept = table.filter(pc.invert(pc.is_in(table.column("source"), value_set=drop)))
        if kept.num_rows:
            write_table(store, kept, path)
        else:
            store.delete(path)
    return len(rejected)


def rejected_sources(output: Output, run_id: str) -> set[str]:
    """Sources already in this run's duplicate-reject files (left by an earlier attempt)."""
    return {
        source
        for path in output.dedupe_files(run_id)
        for source in output.store.read_table(path, columns=["source"]).column("source").to_pylist()
    }


def chunk_by_bytes(items: Iterable[RawInput], limit: int) -> Iterator[list[RawInput]]:
    """Group raw inputs in order into lists holding at most ``limit`` raw bytes (at least one).

    >>> raw = lambda n: RawInput(source=str(n), raw=b"x" * n)
    >>> [[r.source for r in chunk] for chunk in chunk_by_bytes(map(raw, [3, 3, 5, 1]), 6)]
    [['3', '3'], ['5', '1']]
    """
    chunk: list[RawInput] = []
    size = 0
    for item in items:
        if chunk and size + len(item.raw) > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += len(item.raw)
    if chunk:
        yield chunk


def read_raw_inputs(
    files: Sequence[InputFile], sources: set[str], max_bytes: int
) -> Iterator[RawInput]:
    """The raw inputs named in ``sources`` (JSON Lines lines included), read again from disk."""
    names = sources | {source.rsplit("#", 1)[0] for source in sources}  # JSONL: path#line
    for file in files:
        if file.source not in names:
            continue
        for item in read_input_file(file, max_bytes):
            if isinstance(item, RawInput) and item.source in sources:
                yield item


def drop_superseded(output: Output, run_id: str) -> int:
    """Remove, from older files, the records of inputs this run processed again (``--force``).

    This run's files are complete before any older file is rewritten (each rewrite atomic), so
    a crash in between leaves an input's old and new record side by side, never neither.
    Returns how many old records were removed.
    """
    store = output.store
    tables = (DOCUMENTS, REJECTS)
    redone: set[str] = set()
    for path in (path for table in tables for path in output.run_files(table, run_id)):
        redone.update(
            i for i in store.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist() if i
        )
    if not redone:
        return 0
    value_set = pa.array(sorted(redone), pa.string())
    removed = 0
    for path in (path for table in tables for path in output.files(table, exclude_run=run_id)):
        ids = store.read_table(path, columns=["doc_id"]).column("doc_id")
        hits = pc.fill_null(pc.is_in(ids, value_set=value_set), False)
        count = pc.sum(hits).as_py() or 0
        if not count:
            continue
        table = store.read_table(path)
        kept = table.filter(pc.invert(hits))
        if kept.num_rows:
            write_table(store, kept, path)
        else:
            store.delete(path)
        removed += count
    return removed
