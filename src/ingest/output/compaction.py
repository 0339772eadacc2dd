"""Compaction: merge the many small files that frequent runs leave into well-sized ones.

The set of records does not change. Each merge is journaled in ``OUT/_compaction/``: the journal
names the new file and the files it replaces, and is written before anything else. The new file
is written atomically; only then are the old files deleted and the journal removed. A compaction
killed at any point is finished (or undone) by ``recover_compactions`` at the start of the next
run or compaction, so no record is lost or left twice.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from ingest.output.dataset import remove_stale_temp_files
from ingest.output.layout import TABLES, Output, compacted_file_name
from ingest.output.parquet import ROW_GROUP_ROWS, WRITER_OPTIONS, file_metadata
from ingest.output.runs import unfinished_runs
from ingest.output.schema import load_schema
from ingest.output.store import Store

DEFAULT_TARGET_BYTES = 128 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CompactionResult:
    """What a compaction did to one table folder."""

    folder: str
    files_before: int
    files_after: int
    rows: int


def plan_groups(sizes: Sequence[tuple[str, int]], target_bytes: int) -> list[list[str]]:
    """Groups of small files (each under half the target) that together stay near the target.

    Groups of one file are left out: there is nothing to merge.

    >>> sizes = [("a", 10), ("b", 10), ("c", 95), ("d", 10)]
    >>> plan_groups(sizes, 25)
    [['a', 'b']]
    """
    groups: list[list[str]] = []
    current: list[str] = []
    current_size = 0
    for path, size in sizes:
        if size >= target_bytes // 2:
            continue
        if current and current_size + size > target_bytes:
            groups.append(current)
            current, current_size = [], 0
        current.append(path)
        current_size += size
    groups.append(current)
    return [g for g in groups if len(g) > 1]


def conform_to_schema(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A table in the current schema: columns added since it was written become nulls.

    This is the schema-evolution rule in code: new columns are nullable and appended, so an
    older file always converts.
    """
    columns = []
    for field in schema:
        if field.name in table.column_names:
            columns.append(table.column(field.name).cast(field.type))
        else:
            columns.append(pa.nulls(table.num_rows, field.type))
    return pa.Table.from_arrays(columns, schema=schema)


def merge_files(store: Store, paths: Sequence[str], target: str, schema: pa.Schema) -> int:
    """Stream ``paths`` into one new file at ``target`` (written atomically); return its rows."""
    rows = 0
    metadata = file_metadata(pa.Table.from_batches([], schema=schema))
    with store.parquet_writer(target, schema.with_metadata(metadata), **WRITER_OPTIONS) as writer:
        for path in paths:
            with store.parquet_file(path) as parquet:
                for group in range(parquet.num_row_groups):
                    table = conform_to_schema(parquet.read_row_group(group), schema)
                    writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
                    rows += table.num_rows
    return rows


def write_journal(output: Output, entry: dict[str, object]) -> str:
    """Write a journal entry atomically and return its path."""
    path = output.journal_file(str(entry["id"]))
    output.store.write_bytes(path, json.dumps(entry).encode("utf-8"))
    return path


def recover_compactions(output: Output) -> int:
    """Finish compactions that were interrupted; return how many journals were settled.

    If the new file is complete, the old files it replaced are deleted; if it is not, the old
    files are still all there and the journal is dropped.
    """
    store = output.store
    settled = 0
    for journal in output.journal_files():
        entry = json.loads(store.read_bytes(journal).decode("utf-8"))
        table = str(entry["folder"])
        if store.exists(output.file(table, str(entry["new"]))):
            for name in entry["old"]:
                store.delete(output.file(table, *str(name).split("/")))
            store.sync_folder(output.folder(table))
        store.delete(journal)
        settled += 1
    return settled


def compact_output(
    output: Output, target_bytes: int = DEFAULT_TARGET_BYTES
) -> list[CompactionResult]:
    """Merge small files in each table folder of ``output`` into files of about ``target_bytes``.

    The caller holds the output's lock (``ingest.output.lock.output_lock``).
    """
    recover_compactions(output)
    remove_stale_temp_files(output)
    store = output.store
    results = []
    # A killed run's files are merged only once a run has settled them (ingest.output.runs):
    # settling finds them by their run id, which a merged file's name no longer carries.
    unsettled_runs = [entry.run_id for entry in unfinished_runs(output)]
    unsettled = {path for table in TABLES for path in output.run_files(table, *unsettled_runs)}
    for folder_name, table_name in TABLES.items():
        folder = output.folder(folder_name)
        files = [(p, size) for p, size in output.sized_files(folder_name) if p not in unsettled]
        schema = load_schema(table_name)
        rows = 0
        for group in plan_groups(files, target_bytes):
            compaction_id = secrets.token_hex(6)
            new_name = compacted_file_name(compaction_id)
            entry = {
                "id": compaction_id,
                "folder": folder_name,
                "new": new_name,
                "old": [path.removeprefix(folder.rstrip("/") + "/") for path in group],
            }
            journal = write_journal(output, entry)
            rows += merge_files(store, group, output.file(folder_name, new_name), schema)
            for path in group:
                store.delete(path)
            store.sync_folder(folder)
            store.delete(journal)
        after = len(output.sized_files(folder_name))
        results.append(CompactionResult(folder_name, len(files), after, rows))
    return results
