"""Compaction: merge the many small files that frequent runs leave into well-sized ones.

The set of records does not change. Each merge is journaled in ``OUT/_compaction/``: the journal
names the new file and the files it replaces, and is written before anything else. The new file
is written atomically; only then are the old files deleted and the journal removed. A compaction
killed at any point is finished (or undone) by ``recover_compactions`` at the start of the next
run or compaction, so no record is lost or left twice.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.dataset import (
    DOCUMENTS_DIR,
    REJECTS_DIR,
    list_parquet_files,
    remove_stale_temp_files,
)
from ingest.manifest import MANIFEST_DIR
from ingest.schema import load_schema
from ingest.writers import ROW_GROUP_ROWS, atomic_parquet_writer, file_metadata, fsync_folder

JOURNAL_DIR = "_compaction"
DEFAULT_TARGET_BYTES = 128 * 1024 * 1024
TABLES = {DOCUMENTS_DIR: "documents", REJECTS_DIR: "rejects", MANIFEST_DIR: "manifest"}


@dataclass(frozen=True, slots=True)
class CompactionResult:
    """What a compaction did to one table folder."""

    folder: str
    files_before: int
    files_after: int
    rows: int


def plan_groups(sizes: Sequence[tuple[Path, int]], target_bytes: int) -> list[list[Path]]:
    """Groups of small files (each under half the target) that together stay near the target.

    Groups of one file are left out: there is nothing to merge.

    >>> from pathlib import Path
    >>> sizes = [("a", 10), ("b", 10), ("c", 95), ("d", 10)]
    >>> plan = plan_groups([(Path(name), size) for name, size in sizes], 25)
    >>> [[p.name for p in g] for g in plan]
    [['a', 'b']]
    """
    groups: list[list[Path]] = []
    current: list[Path] = []
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


def merge_files(paths: Sequence[Path], target: Path, schema: pa.Schema) -> int:
    """Stream ``paths`` into one new file at ``target`` (written atomically); return its rows."""
    rows = 0
    metadata = file_metadata(pa.Table.from_batches([], schema=schema))
    with atomic_parquet_writer(target, schema.with_metadata(metadata)) as writer:
        for path in paths:
            parquet = pq.ParquetFile(path)
            for group in range(parquet.num_row_groups):
                table = conform_to_schema(parquet.read_row_group(group), schema)
                writer.write_table(table, row_group_size=ROW_GROUP_ROWS)
                rows += table.num_rows
    return rows


def write_journal(journal_dir: Path, entry: dict[str, object]) -> Path:
    """Write a journal entry atomically and return its path."""
    journal_dir.mkdir(parents=True, exist_ok=True)
    path = journal_dir / f"{entry['id']}.json"
    temp = journal_dir / f".{path.name}.tmp"
    temp.write_text(json.dumps(entry), encoding="utf-8")
    with temp.open("rb+") as handle:
        os.fsync(handle.fileno())
    temp.replace(path)
    fsync_folder(journal_dir)
    return path


def recover_compactions(output: str | os.PathLike[str]) -> int:
    """Finish compactions that were interrupted; return how many journals were settled.

    If the new file is complete, the old files it replaced are deleted; if it is not, the old
    files are still all there and the journal is dropped.
    """
    journal_dir = Path(output) / JOURNAL_DIR
    if not journal_dir.is_dir():
        return 0
    settled = 0
    for journal in sorted(journal_dir.glob("*.json")):
        entry = json.loads(journal.read_text(encoding="utf-8"))
        folder = Path(output) / str(entry["folder"])
        if (folder / str(entry["new"])).exists():
            for name in entry["old"]:
                (folder / str(name)).unlink(missing_ok=True)
            fsync_folder(folder)
        journal.unlink()
        settled += 1
    return settled


def compact_output(
    output: str | os.PathLike[str], target_bytes: int = DEFAULT_TARGET_BYTES
) -> list[CompactionResult]:
    """Merge small files in each table folder of ``output`` into files of about ``target_bytes``.

    The caller holds the output's lock (``ingest.lock.output_lock``).
    """
    recover_compactions(output)
    remove_stale_temp_files(output)
    results = []
    for folder_name, table_name in TABLES.items():
        folder = Path(output) / folder_name
        files = list_parquet_files(folder)
        schema = load_schema(table_name)
        rows = 0
        for group in plan_groups([(p, p.stat().st_size) for p in files], target_bytes):
            compaction_id = secrets.token_hex(6)
            new_name = f"part-compacted-{compaction_id}.parquet"
            entry = {
                "id": compaction_id,
                "folder": folder_name,
                "new": new_name,
                "old": [p.relative_to(folder).as_posix() for p in group],
            }
            journal = write_journal(Path(output) / JOURNAL_DIR, entry)
            rows += merge_files(group, folder / new_name, schema)
            for path in group:
                path.unlink()
            fsync_folder(folder)
            journal.unlink()
        after = len(list_parquet_files(folder))
        results.append(CompactionResult(folder_name, len(files), after, rows))
    return results
