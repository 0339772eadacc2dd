"""The seed comes out exactly as the contract's seed section says, field by field."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow.dataset as ds
import pytest
from conftest import REPO, SEED, load_cases

from ingest.ids import make_content_sha256, make_doc_id
from ingest.pipeline import process_document
from ingest.records import Document, RawInput

SEED_CASE = load_cases("seed")[0]
EXPECTED: dict[str, Any] = SEED_CASE["expected"]


def check_record(record: dict[str, Any]) -> None:
    """Compare one record (as plain Python values) with the golden case, field by field."""
    for name, value in EXPECTED.items():
        assert record[name] == value, f"field {name!r} differs"
    assert record["doc_id"] == make_doc_id(SEED.read_bytes())
    assert record["content_sha256"] == make_content_sha256(EXPECTED["body"])
    assert record["input_bytes"] == SEED.stat().st_size


def test_seed_case_is_the_contracts() -> None:
    assert SEED_CASE["input"] == SEED.relative_to(REPO).as_posix()
    assert EXPECTED["title"] == (
        "Disaffection grows in US military amid ICE raids and domestic deployments"
    )
    paragraphs = EXPECTED["body"].split("\n\n")
    assert len(paragraphs) == 30
    assert paragraphs[0].startswith("President Donald Trump’s deployment")
    assert paragraphs[-1].endswith("But they are not invincible.")
    assert EXPECTED["captions"][0]["text"].endswith("June 13, 2025.")


def test_seed_through_the_library() -> None:
    result = process_document(RawInput(source=SEED.name, raw=SEED.read_bytes()))
    assert isinstance(result, Document), result
    record = {
        "source": result.source,
        "title": result.title,
        "language": result.language,
        "body": result.body,
        "encoding": result.encoding,
        "fixes": list(result.fixes),
        "captions": [
            {"text": c.text, "credit": c.credit, "position": c.position} for c in result.captions
        ],
        "removed": [{"text": r.text, "rule": r.rule} for r in result.removed],
        "paragraph_count": result.paragraph_count,
        "doc_id": result.doc_id,
        "content_sha256": result.content_sha256,
        "input_bytes": result.input_bytes,
    }
    check_record(record)


@pytest.mark.prefect
def test_seed_through_the_flow_read_back_by_pyarrow_and_duckdb(prefect_api, tmp_path) -> None:
    from ingest_flows.ingest_flow import ingest

    summary = ingest(inputs=[str(REPO / "seeds")], output=str(tmp_path))
    assert (summary["documents"], summary["rejects"]) == (1, 0)

    rows = ds.dataset(tmp_path / "documents", format="parquet").to_table().to_pylist()
    assert len(rows) == 1
    check_record(rows[0])

    glob = str(tmp_path / "documents" / "**" / "*.parquet")
    relation = duckdb.sql(f"select * from read_parquet('{glob}')")
    duck_rows = [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    assert len(duck_rows) == 1
    check_record(duck_rows[0])
    # No rejects, yet rejects/ is a dataset: empty, with the schema, found by the same glob.
    glob = str(tmp_path / "rejects" / "**" / "*.parquet")
    assert duckdb.sql(f"select count(*) from read_parquet('{glob}')").fetchall() == [(0,)]
    assert str(tmp_path / "rejects" / "part-empty.parquet") in summary["files_written"]
    again = ingest(inputs=[str(REPO / "seeds")], output=str(tmp_path))
    assert again["files_written"] == []  # a re-run leaves what one run left
