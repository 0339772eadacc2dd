"""Compare the records of two ``ingest run`` outputs, column by column, ignoring the run stamps.

A refactoring that should not change what the pipeline writes is checked with it: run the old code
and the new code on the same inputs into two output folders, then

    python scripts/compare_runs.py OUT_BEFORE OUT_AFTER

or, for the seed and every eval-dev track at once (``scripts/snapshot_outputs.sh DEST`` runs
``ingest run`` on each into ``DEST/<name>/``), give the two DEST folders: every subfolder present
in both is compared.

It reads ``documents/`` and ``rejects/`` of both with pyarrow, drops the columns that stamp a run
(``run_id``, ``processed_at``), sorts the rows by ``source`` then ``doc_id``, and compares every
remaining column value by value. It prints one line per dataset (rows and differing rows) and the
first few differences, and exits 1 when anything differs (rows, columns or values), 0 otherwise.

A change that adds nullable columns (new at the end of the schema) is checked with
``--allow-new-null-columns``: a column that only one side has is then left out of the comparison
when it is null in every row of that side (each such column is named in a note); a value in it
still counts as a difference.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

RUN_STAMP_COLUMNS = ("run_id", "processed_at")
DATASETS = ("documents", "rejects")
SHOWN_DIFFERENCES = 5


def read_rows(out: Path, name: str) -> tuple[list[str], list[dict]]:
    """The dataset's columns (less the run stamps) and its rows sorted by source and doc_id."""
    folder = out / name
    if not folder.exists():
        return [], []
    table = ds.dataset(folder, format="parquet").to_table()
    keep = [column for column in table.column_names if column not in RUN_STAMP_COLUMNS]
    rows = table.select(keep).to_pylist()
    rows.sort(key=lambda row: (row.get("source") or "", row.get("doc_id") or ""))
    return keep, rows


def drop_null_columns(
    columns: list[str], rows: list[dict], others: list[str], label: str, side: str
) -> list[str]:
    """``columns`` less those not in ``others`` that are null in every row (dropped from ``rows``)."""
    kept = []
    for column in columns:
        if column not in others and all(row.get(column) is None for row in rows):
            print(f"{label}: column {column} only {side}, null in every row: ignored")
            for row in rows:
                row.pop(column, None)
            continue
        kept.append(column)
    return kept


def compare_dataset(before: Path, after: Path, name: str, *, allow_new_null: bool = False) -> int:
    """Print how the two outputs' dataset ``name`` differ; return the number of differences."""
    columns_before, rows_before = read_rows(before, name)
    columns_after, rows_after = read_rows(after, name)
    if allow_new_null:
        columns_before = drop_null_columns(
            columns_before, rows_before, columns_after, name, "before"
        )
        columns_after = drop_null_columns(columns_after, rows_after, columns_before, name, "after")
    differences = 0
    if columns_before != columns_after and rows_before and rows_after:
        print(f"{name}: columns differ: {columns_before} vs {columns_after}")
        differences += 1
    if len(rows_before) != len(rows_after):
        print(f"{name}: {len(rows_before)} rows before, {len(rows_after)} after")
        differences += 1
    shown = 0
    for row_before, row_after in zip(rows_before, rows_after, strict=False):
        if row_before == row_after:
            continue
        differences += 1
        if shown < SHOWN_DIFFERENCES:
            shown += 1
            changed = sorted(
                k
                for k in row_before.keys() | row_after.keys()
                if row_before.get(k) != row_after.get(k)
            )
            print(f"{name}: {row_before.get('source')!r} differs in {changed}")
            for key in changed[:3]:
                print(f"    before {key}: {str(row_before.get(key))[:300]!r}")
                print(f"    after  {key}: {str(row_after.get(key))[:300]!r}")
    print(
        f"{name}: {len(rows_before)} rows before, {len(rows_after)} after, "
        f"{differences} differences"
    )
    return differences


def is_output(folder: Path) -> bool:
    """Whether ``folder`` is an ingest output (holds documents/ or rejects/)."""
    return (folder / "documents").is_dir() or (folder / "rejects").is_dir()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path, help="output folder of the run before the change")
    parser.add_argument("after", type=Path, help="output folder of the run after the change")
    parser.add_argument(
        "--allow-new-null-columns",
        action="store_true",
        help="ignore a column only one side has when it is null in every row there",
    )
    args = parser.parse_args(argv)
    pairs = [(args.before, args.after)]
    if not is_output(args.before):
        names = sorted(p.name for p in args.before.iterdir() if is_output(p))
        pairs = [(args.before / n, args.after / n) for n in names if is_output(args.after / n)]
        missing = [n for n in names if not is_output(args.after / n)]
        if missing:
            print(f"compare_runs: {args.after} lacks {missing}", file=sys.stderr)
            return 1
    if not pairs:
        print(f"compare_runs: {args.before} holds no documents/ or rejects/", file=sys.stderr)
        return 2
    total = 0
    for before, after in pairs:
        print(f"== {before.name}")
        total += sum(
            compare_dataset(before, after, name, allow_new_null=args.allow_new_null_columns)
            for name in DATASETS
        )
    print("identical" if total == 0 else f"{total} differences")
    return 0 if total == 0 else 1


if __name__ == "__main__":
    pa.set_cpu_count(1)
    sys.exit(main())
