"""Write records as Parquet: explicit schema, zstd, statistics, atomic rename into place."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, datetime
from functools import cache

import pyarrow as pa
import pyarrow.parquet as pq

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
# Input bytes a ``TableFile`` holds as records before it writes them out: bounds a batch's
# memory however large its input (a WARC file is one batch), well above what a usual batch of
# about 4 MB holds, which is then written in one piece as before. The records of 16 MB of HTML
# take about 50 MB as Python objects, and a batch has two tables.
FLUSH_BYTES = 16_000_000


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
    return records_table([reject_row(rej) for rej in rejects], run, "rejects")


def reject_row(rej: Reject) -> dict[str, object]:
    """A reject as a row: its fields and the size of its raw bytes."""
    return {**record_row(rej), "input_bytes": len(rej.raw)}


def records_table(rows: Sequence[dict[str, object]], run: RunInfo, name: str) -> pa.Table:
    """Rows (record field names = column names) stamped with the run, in table ``name``'s schema."""
    stamp = {"run_id": run.run_id, "processed_at": run.started_at}
    return pa.Table.from_pylist([{**row, **stamp} for row in rows], schema=load_schema(name))


def file_metadata(table: pa.Table) -> dict[bytes, bytes]:
    """The key-value metadata every file carries: schema name and version, pipeline version."""
    metadata = dict(table.schema.metadata or {})
    metadata[b"ingest.pipeline_version"] = __version__.encode()
    return metadata


class TableFile:
    """One table's file of a batch, written while its records arrive, in bounded pieces.

    Records are held until ``ROW_GROUP_ROWS`` of them (or ``FLUSH_BYTES`` of their input) are
    there, then written as a row group: the file then has the row groups ``write_table`` would
    give it. The file is opened on the first write, inside ``stack``, so it appears (whole and
    atomically, see ``Store.parquet_writer``) only when the stack closes without an error, and
    a table that gets no record writes no file.
    """

    def __init__(
        self,
        stack: ExitStack,
        store: Store,
        path: str,
        run: RunInfo,
        name: str,
        row_of: Callable[[object], dict[str, object]] = record_row,
    ) -> None:
        """A file at ``path`` in ``store`` for table ``name``'s records, made rows by ``row_of``."""
        self.stack, self.store, self.path, self.run, self.name = stack, store, path, run, name
        self.row_of = row_of
        self.rows: list[dict[str, object]] = []
        self.held_bytes = 0
        self.writer: pq.ParquetWriter | None = None

    @property
    def written(self) -> bool:
        """Whether any record went to the file."""
        return self.writer is not None

    def add(self, record: Document | Reject, size: int) -> None:
        """Hold ``record`` (``size`` bytes of input) and write what is held once it is enough."""
        self.rows.append(self.row_of(record))
        self.held_bytes += size
        if len(self.rows) >= ROW_GROUP_ROWS or self.held_bytes >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the records held, if any."""
        if not self.rows:
            return
        table = records_table(self.rows, self.run, self.name)
        table = table.replace_schema_metadata(file_metadata(table))
        if self.writer is None:
            writer = self.store.parquet_writer(self.path, table.schema, **WRITER_OPTIONS)
            self.writer = self.stack.enter_context(writer)
        self.writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
        self.rows, self.held_bytes = [], 0
        del table
        pa.default_memory_pool().release_unused()


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
