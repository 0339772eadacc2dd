"""The schema files, the output contract and the written files agree."""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import REPO, SHARED

from ingest.output.schema import (
    SCHEMA_NAMES,
    SCHEMA_VERSION,
    column_names,
    load_schema,
    load_schema_spec,
)

CONTRACT = REPO / "docs" / "contract.md"
# A row of the contract's column table: | `name` | type | meaning |
CONTRACT_ROW_RE = re.compile(r"^\| `(?P<name>[a-z_.0-9]+)` \| (?P<type>[^|]+) \|", re.MULTILINE)

CONTRACT_TYPES = {
    "string": (pa.types.is_string, pa.types.is_large_string),
    "int32": (pa.types.is_int32,),
    "list of struct": (lambda t: pa.types.is_list(t) and pa.types.is_struct(t.value_type),),
    "list of string": (lambda t: pa.types.is_list(t) and pa.types.is_string(t.value_type),),
}


def contract_document_columns() -> dict[str, str]:
    text = CONTRACT.read_text(encoding="utf-8")
    section = text.split("## A document record", 1)[1].split("\n## ", 1)[0]
    return {m["name"]: m["type"].strip() for m in CONTRACT_ROW_RE.finditer(section)}


def resolve_field(schema: pa.Schema, dotted: str) -> pa.Field:
    head, *rest = dotted.split(".")
    field = schema.field(head)
    for part in rest:
        assert pa.types.is_list(field.type), dotted
        field = field.type.value_type.field(part)
    return field


def test_contract_table_is_found() -> None:
    columns = contract_document_columns()
    assert len(columns) >= 15
    assert "captions.position" in columns


@pytest.mark.parametrize("name", list(contract_document_columns()))
def test_contract_column_is_in_schema_with_its_type(name: str) -> None:
    contract_type = contract_document_columns()[name]
    field = resolve_field(load_schema("documents"), name)
    base, _, nullable = contract_type.partition(",")
    checks = CONTRACT_TYPES[base.strip()]
    assert any(check(field.type) for check in checks), (name, field.type, contract_type)
    assert field.nullable == (nullable.strip() == "null"), (name, field.nullable)


def test_contract_reject_columns_are_in_schema() -> None:
    names = column_names("rejects")
    for required in ("source", "reason", "detail", "raw", "processed_at"):
        assert required in names
    assert pa.types.is_large_binary(load_schema("rejects").field("raw").type)


@pytest.mark.skipif(not (SHARED / "contract.md").exists(), reason="no ../shared beside the repo")
def test_project_contract_copy_matches_shared() -> None:
    assert CONTRACT.read_text(encoding="utf-8") == (SHARED / "contract.md").read_text(
        encoding="utf-8"
    )


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_column_is_described(name: str) -> None:
    spec = load_schema_spec(name)
    assert spec["version"] == SCHEMA_VERSION
    for field in load_schema(name):
        assert len(field.metadata[b"description"]) > 10, field.name


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_metadata_names_version(name: str) -> None:
    metadata = load_schema(name).metadata
    assert metadata[b"ingest.schema_version"] == str(SCHEMA_VERSION).encode()
    assert metadata[b"ingest.output.schema"] == name.encode()


def test_written_file_carries_schema_and_versions(tmp_path) -> None:
    from conftest import write_parquet

    from ingest import __version__
    from ingest.output.parquet import RunInfo, rejects_table
    from ingest.records import Reject

    table = rejects_table(
        [Reject("a.txt", "empty_input", "The file is empty.", b"")], RunInfo.start()
    )
    path = write_parquet(table, tmp_path, "part.parquet")
    written = pq.read_schema(path)
    assert written.metadata[b"ingest.schema_version"] == b"1"
    assert written.metadata[b"ingest.pipeline_version"] == __version__.encode()
    assert written.remove_metadata().equals(load_schema("rejects").remove_metadata())


@pytest.mark.parametrize("name", ["documents", "rejects"])
def test_the_warc_columns_are_nullable_and_at_the_end(name: str) -> None:
    schema = load_schema(name)
    assert schema.names[-2:] == ["url", "fetched_at"]
    assert schema.field("url").type == pa.string()
    assert schema.field("fetched_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("url").nullable and schema.field("fetched_at").nullable
