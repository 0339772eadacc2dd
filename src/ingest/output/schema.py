"""Load the output schemas from ``schemas/*.json``: the one place the columns are listed."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyarrow as pa

SCHEMA_VERSION = 1
SCHEMA_NAMES = ("documents", "rejects", "manifest")

_PRIMITIVES: dict[str, pa.DataType] = {
    "string": pa.string(),
    "large_string": pa.large_string(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "bool": pa.bool_(),
    "large_binary": pa.large_binary(),
    "timestamp[us, UTC]": pa.timestamp("us", tz="UTC"),
}


def find_schema_dir() -> Path:
    """The schema folder: inside the installed package, or ``schemas/`` of a source tree."""
    packaged = resources.files("ingest") / "schemas"
    if packaged.is_dir():
        return Path(str(packaged))
    source_tree = Path(__file__).resolve().parents[3] / "schemas"
    if source_tree.is_dir():
        return source_tree
    msg = "ingest's schema files are missing: reinstall the package"
    raise FileNotFoundError(msg)


@cache
def load_schema_spec(name: str, version: int = SCHEMA_VERSION) -> dict[str, Any]:
    """The parsed JSON schema file ``NAME.vVERSION.json``."""
    path = find_schema_dir() / f"{name}.v{version}.json"
    spec: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return spec


def arrow_type(spec: str | dict[str, Any]) -> pa.DataType:
    """Build an Arrow type from its schema-file spelling.

    >>> arrow_type({"list": "string"})
    ListType(list<item: string>)
    """
    if isinstance(spec, str):
        return _PRIMITIVES[spec]
    if "list" in spec:
        return pa.list_(arrow_type(spec["list"]))
    if "struct" in spec:
        return pa.struct([arrow_field(column) for column in spec["struct"]])
    msg = f"unknown type spec in schema file: {spec!r}"
    raise ValueError(msg)


def arrow_field(column: dict[str, Any]) -> pa.Field:
    """One column of a schema file as an Arrow field, with its description as field metadata."""
    return pa.field(
        column["name"],
        arrow_type(column["type"]),
        nullable=column["nullable"],
        metadata={"description": column["description"]},
    )


@cache
def load_schema(name: str, version: int = SCHEMA_VERSION) -> pa.Schema:
    """The Arrow schema of the ``documents`` or ``rejects`` table, with version metadata."""
    spec = load_schema_spec(name, version)
    return pa.schema(
        [arrow_field(column) for column in spec["columns"]],
        metadata={"ingest.output.schema": name, "ingest.schema_version": str(spec["version"])},
    )


def column_names(name: str) -> list[str]:
    """The column names of a table, in order."""
    return [column["name"] for column in load_schema_spec(name)["columns"]]
