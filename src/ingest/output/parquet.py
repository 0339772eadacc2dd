"""Write records as Parquet: explicit schema, zstd, statistics, atomic rename into place."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, datetime
from functools import cache

import pyarrow as pa

from ingest import __version__
from ingest.output.layout import DATASETS, EMPTY_FILE_NAME, TABLES, Output
from ingest.output.schema import load_schema
from ingest.output.store import Store
from ingest.records import Document, Reject

# How every file is written: zstd, with column statistics (readers skip row groups by them).
WRITER_OPTIONS: dict[str, object] = {"compression": "zstd", "write_statistics": True}
# Rows per row group: bounded so readers scan in pieces of about 10-50 MB of article text and a
# writer never holds more than that as Arrow (pyarrow's default, 1Mi rows, makes one huge group).
ROW_GROUP_ROWS = 5000


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What every record of one run shares."""

    run_id: str
    started_at: datetime

    @classmethod
    def start(cls) -> RunInfo:
        """A new run: a sortable, unique id from the UTC time and 6 random hex digits."""
        now = datetime.now(UTC)
        return cls(run_id=f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}", started_at=now)


@cache
def field_names(record_type: type) -> tuple[str, ...]:
    """The field names of a record dataclass, in order."""
    return tuple(field.name for field in fields(record_type))


def record_row(record: object) -> dict[str, object]:
    """A record as a dict, its tuples of nested records (captions, removed) as lists of dicts.

    What ``dataclasses.asdict`` gives for our records, without its recursive deep copy of every
    value (which costs several times more per document, on every document written).

    >>> from ingest.records import Caption
    >>> record_row(Caption("A view.", "AP", 2))
    {'text': 'A view.', 'credit': 'AP', 'position': 2}
    """
    row: dict[str, object] = {}
    for name in field_names(type(record)):
        value = getattr(record, name)
        if isinstance(value, tuple) and value and is_dataclass(value[0]):
            value = [record_row(item) for item in value]
        row[name] = value
    return row


def documents_table(documents: Sequence[Document], run: RunInfo) -> pa.Table:
    """Documents as an Arrow table with the documents schema (never an inferred one)."""
    return records_table([record_row(doc) for doc in documents], run, "documents")


def rejects_table(rejects: Sequence[Reject], run: RunInfo) -> pa.Table:
    """Rejects as an Arrow table with the rejects schema."""
    rows = [{**record_row(rej), "input_bytes": len(rej.raw)} for rej in rejects]
    return records_table(rows, run, "rejects")


def records_table(rows: Sequence[dict[str, object]], run: RunInfo, name: str) -> pa.Table:
    """Rows (record field names = column names) stamped with the run, in table ``name``'s schema."""
    stamp = {"run_id": run.run_id, "processed_at": run.started_at}
    return pa.Table.from_pylist([{**row, **stamp} for row in rows], schema=load_schema(name))


def file_metadata(table: pa.Table) -> dict[bytes, bytes]:
    """The key-value metadata every file carries: schema name and version, pipeline version."""
    metadata = dict(table.schema.metadata or {})
    metadata[b"ingest.pipeline_version"] = __version__.encode()
    return metadata


def write_table(store: Store, table: pa.Table, path: str) -> None:
    """Write ``table`` (with the file metadata) to ``path`` in ``store``, atomically.

    Writing the same path again replaces the file whole, which makes a retried batch idempotent.
    Afterwards Arrow's allocator hands the pages it no longer uses back to the system: it keeps
    them otherwise, and a process that reads and writes file after file (a worker, the dedupe
    step, compaction) would hold the high-water mark of all of them.
    """
    table = table.replace_schema_metadata(file_metadata(table))
    with store.parquet_writer(path, table.schema, **WRITER_OPTIONS) as writer:
        writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
    pa.default_memory_pool().release_unused()


def write_missing_datasets(output: Output) -> list[str]:
    """Give ``documents/`` and ``rejects/`` an empty file with their schema where they have none.

    A run with no rejects (or no documents) would leave that folder missing, and pandas, polars
    and DuckDB's glob fail on it although the run succeeded. The file has a fixed name and no
    run id, so a re-run writes no second one and no run takes it for its own; once a run writes
    records beside it, it stays harmless (no rows) until ``ingest compact`` merges it away.
    Returns the files written, as the user would write them.
    """
    written = []
    for table in DATASETS:
        if output.files(table):
            continue
        path = output.file(table, EMPTY_FILE_NAME)
        write_table(output.store, load_schema(TABLES[table]).empty_table(), path)
        written.append(output.display(path))
    return written
