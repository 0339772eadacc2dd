"""The manifest: which input files (by path, size and mtime) an output already accounts for.

A re-run or a scheduled run over a growing folder skips files listed here without reading them,
so finding what is new costs one scan of a small table, not a read of every input. A file is
listed only after its documents and rejects are written, and never when it could not be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ingest.output.layout import MANIFEST, Output
from ingest.output.schema import load_schema
from ingest.read.files import InputFile
from ingest.read.names import source_name

KEY_COLUMNS = ["path", "size", "mtime_ns"]


def manifest_table(files: Sequence[InputFile], run_id: str) -> pa.Table:
    """Manifest rows for input files accounted for by ``run_id``.

    A path is written as a source name (``ingest.read.names``): a name that is not UTF-8 is
    listed too, reversibly.
    """
    return pa.Table.from_pydict(
        {
            "path": [source_name(str(Path(f.path).resolve())) for f in files],
            "size": [f.size for f in files],
            "mtime_ns": [f.mtime_ns for f in files],
            "run_id": [run_id] * len(files),
        },
        schema=load_schema("manifest"),
    )


def load_manifest_keys(output: Output) -> pa.Table:
    """The (path, size, mtime_ns) keys of every manifest file under ``output``."""
    schema = load_schema("manifest")
    tables = [output.store.read_table(path, columns=KEY_COLUMNS) for path in output.files(MANIFEST)]
    if not tables:
        return pa.Table.from_pydict(
            {c: [] for c in KEY_COLUMNS}, schema=pa.schema([schema.field(c) for c in KEY_COLUMNS])
        )
    return pa.concat_tables(tables)


def drop_known_files(files: Sequence[InputFile], output: Output) -> tuple[list[InputFile], int]:
    """The files not yet accounted for in ``output``, and how many were dropped as known.

    A file counts as known when its resolved path, size and mtime all match a manifest row; a
    changed file (new size or mtime) is read again.
    """
    known = load_manifest_keys(output)
    if known.num_rows == 0 or not files:
        return list(files), 0
    found = (
        manifest_table(files, "")
        .select(KEY_COLUMNS)
        .append_column("index", pa.array(range(len(files)), pa.int64()))
    )
    matched = found.join(
        known.group_by(KEY_COLUMNS).aggregate([]), keys=KEY_COLUMNS, join_type="left semi"
    )
    known_rows = set(pc.unique(matched.column("index")).to_pylist())
    kept = [f for i, f in enumerate(files) if i not in known_rows]
    return kept, len(files) - len(kept)
