"""Exact duplicates that parallel batches of one run could not see in each other.

Each batch rejects bodies already in the output or earlier in the same batch. Two batches running
at once can both keep the same body; after the batches, ``reject_run_duplicates`` keeps the first
copy in input order and turns each later one into a ``duplicate`` reject carrying its raw bytes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

from ingest.output.dataset import DOCUMENTS_DIR, REJECTS_DIR, table_files
from ingest.output.parquet import RunInfo, rejects_table, write_table
from ingest.output.store import Store, base_name, open_store
from ingest.read.files import InputFile, read_input_file
from ingest.records import RawInput, Reject

DEDUPE_BATCH_NAME = "dedupe"
# Raw bytes per file of duplicate rejects: bounds the memory of the step after the batches.
DEDUPE_FILE_BYTES = 32_000_000


def find_run_duplicates(
    output: str | os.PathLike[str], run_id: str
) -> dict[str, list[tuple[str, str, str]]]:
    """Per document file of this run: (doc_id, source, kept doc_id) of rows that repeat a body.

    Files are named ``part-RUN-BATCH``, so sorting them puts batches in input order; the first
    row with a body is kept. Keys are paths inside the output's store.
    """
    store = open_store(output)
    marker = f"-{run_id}-"
    files = [p for p in table_files(store, DOCUMENTS_DIR) if marker in base_name(p)]
    first_seen: dict[str, tuple[str, str]] = {}
    duplicates: dict[str, list[tuple[str, str, str]]] = {}
    for path in sorted(files):
        table = store.read_table(path, columns=["doc_id", "source", "content_sha256"])
        rows = zip(*(table.column(c).to_pylist() for c in table.column_names), strict=True)
        for doc_id, source, digest in rows:
            kept, kept_source = first_seen.setdefault(digest, (doc_id, source))
            if source != kept_source:  # another input with the same body (or the same bytes)
                duplicates.setdefault(path, []).append((doc_id, source, kept))
    return duplicates


def reject_run_duplicates(
    output: str | os.PathLike[str], run: RunInfo, files: Sequence[InputFile], max_bytes: int
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
    store = open_store(output)
    wanted = {source: kept for rows in duplicates.values() for _, source, kept in rows}
    rejected = rejected_sources(store, run.run_id) & wanted.keys()
    found = read_raw_inputs(files, set(wanted) - rejected, max_bytes)
    for chunk in chunk_by_bytes(found, DEDUPE_FILE_BYTES):
        rejects = [
            Reject(
                source=raw.source,
                reason="duplicate",
                detail=f"the same body was already kept as document {wanted[raw.source]}",
                raw=raw.raw,
                doc_id=doc_id,
                duplicate_of=wanted[raw.source],
            )
            for raw, doc_id in chunk
        ]
        sources = sorted(reject.source for reject in rejects)
        digest = hashlib.sha256("\n".join(sources).encode()).hexdigest()[:16]
        name = f"part-{run.run_id}-{DEDUPE_BATCH_NAME}-{digest}.parquet"
        write_table(store, rejects_table(rejects, run), store.path(REJECTS_DIR, name))
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


def rejected_sources(store: Store, run_id: str) -> set[str]:
    """Sources already in this run's duplicate-reject files (left by an earlier attempt)."""
    marker = f"part-{run_id}-{DEDUPE_BATCH_NAME}-"
    paths = [p for p in table_files(store, REJECTS_DIR) if base_name(p).startswith(marker)]
    return {
        source
        for path in paths
        for source in store.read_table(path, columns=["source"]).column("source").to_pylist()
    }


def chunk_by_bytes(
    items: Iterable[tuple[RawInput, str]], limit: int
) -> Iterator[list[tuple[RawInput, str]]]:
    """Group raw inputs in order into lists holding at most ``limit`` raw bytes (at least one).

    >>> raw = lambda n: (RawInput(source=str(n), raw=b"x" * n), "id")
    >>> [[r.source for r, _ in chunk] for chunk in chunk_by_bytes(map(raw, [3, 3, 5, 1]), 6)]
    [['3', '3'], ['5', '1']]
    """
    chunk: list[tuple[RawInput, str]] = []
    size = 0
    for item in items:
        if chunk and size + len(item[0].raw) > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += len(item[0].raw)
    if chunk:
        yield chunk


def read_raw_inputs(
    files: Sequence[InputFile], sources: set[str], max_bytes: int
) -> Iterator[tuple[RawInput, str]]:
    """The raw inputs named in ``sources`` (JSON Lines lines included), read again from disk."""
    from ingest.ids import make_doc_id

    names = sources | {source.rsplit("#", 1)[0] for source in sources}  # JSONL: path#line
    for file in files:
        if file.source not in names:
            continue
        for item in read_input_file(file, max_bytes):
            if isinstance(item, RawInput) and item.source in sources:
                yield item, make_doc_id(item.raw)


def drop_superseded(output: str | os.PathLike[str], run_id: str) -> int:
    """Remove, from older files, the records of inputs this run processed again (``--force``).

    This run's files are complete before any older file is rewritten (each rewrite atomic), so
    a crash in between leaves an input's old and new record side by side, never neither.
    Returns how many old records were removed.
    """
    store = open_store(output)
    marker = f"-{run_id}-"
    files = [path for table in (DOCUMENTS_DIR, REJECTS_DIR) for path in table_files(store, table)]
    redone: set[str] = set()
    for path in (p for p in files if marker in base_name(p)):
        redone.update(
            i for i in store.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist() if i
        )
    if not redone:
        return 0
    value_set = pa.array(sorted(redone), pa.string())
    removed = 0
    for path in (p for p in files if marker not in base_name(p)):
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
