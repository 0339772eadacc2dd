"""Exact duplicates that parallel batches of one run could not see in each other.

Each batch rejects bodies already in the output or earlier in the same batch. Two batches running
at once can both keep the same body; after the batches, ``reject_run_duplicates`` keeps the first
copy in input order and turns each later one into a ``duplicate`` reject carrying its raw bytes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

from ingest.dataset import DOCUMENTS_DIR, REJECTS_DIR, table_files
from ingest.readers import InputFile, read_input_file
from ingest.records import RawInput, Reject
from ingest.storage import base_name, open_store
from ingest.writers import RunInfo, rejects_table, write_table

DEDUPE_BATCH_NAME = "dedupe"


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
    """
    duplicates = find_run_duplicates(output, run.run_id)
    if not duplicates:
        return 0
    wanted = {source: kept for rows in duplicates.values() for _, source, kept in rows}
    rejects = [
        Reject(
            source=raw.source,
            reason="duplicate",
            detail=f"the same body was already kept as document {wanted[raw.source]}",
            raw=raw.raw,
            doc_id=doc_id,
            duplicate_of=wanted[raw.source],
        )
        for raw, doc_id in read_raw_inputs(files, set(wanted), max_bytes)
    ]
    store = open_store(output)
    name = f"part-{run.run_id}-{DEDUPE_BATCH_NAME}.parquet"
    write_table(store, rejects_table(rejects, run), store.path(REJECTS_DIR, name))
    for path, rows in duplicates.items():
        drop = pa.array([source for _, source, _ in rows], pa.string())
        table = store.read_table(path)
        kept = table.filter(pc.invert(pc.is_in(table.column("source"), value_set=drop)))
        if kept.num_rows:
            write_table(store, kept, path)
        else:
            store.delete(path)
    return len(rejects)


def read_raw_inputs(
    files: Sequence[InputFile], sources: set[str], max_bytes: int
) -> list[tuple[RawInput, str]]:
    """The raw inputs named in ``sources`` (JSON Lines lines included), read again from disk."""
    from ingest.ids import make_doc_id

    names = sources | {source.rsplit("#", 1)[0] for source in sources}  # JSONL: path#line
    found: list[tuple[RawInput, str]] = []
    for file in files:
        if file.source not in names:
            continue
        for item in read_input_file(file, max_bytes):
            if isinstance(item, RawInput) and item.source in sources:
                found.append((item, make_doc_id(item.raw)))
    return found


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
