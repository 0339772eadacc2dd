"""``ingest run`` end to end on a folder holding a WARC: the Parquet read back has each page's
``path#offset`` source, ``url`` and ``fetched_at``, null for the other inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pyarrow.dataset as ds
import pytest
from warcs import PAGE, request, response, revisit, write_warc

from ingest.output.schema import load_schema


@pytest.mark.prefect
@pytest.mark.slow
def test_ingest_run_on_a_warc_writes_source_url_and_fetched_at(cli_env, tmp_path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    png = b"\x89PNG\r\n\x1a\n" + bytes(32)
    offsets = write_warc(
        inputs / "crawl" / "CC-MAIN-00001.warc.gz",
        [
            request("http://example.com/a"),
            response("http://example.com/a", PAGE, date="2024-05-06T07:08:09Z"),
            response("http://example.com/logo.png", png, "image/png"),
            revisit("http://example.com/a"),
        ],
    )
    (inputs / "notes.txt").write_bytes(PAGE.replace(b"<", b"[").replace(b">", b"]"))
    command = [sys.executable, "-m", "ingest", "run", str(inputs), "--output", str(out), "--json"]
    result = subprocess.run(
        command, capture_output=True, text=True, env=cli_env, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["files"], summary["documents"], summary["rejects"]) == (2, 2, 1)
    assert summary["skipped_records_by_reason"] == {
        "warc_request": 1,
        "warc_revisit": 1,
        "warc_warcinfo": 1,
    }

    documents = ds.dataset(
        out / "documents", format="parquet", schema=load_schema("documents")
    ).to_table()
    rows = {row["source"]: row for row in documents.to_pylist()}
    page = rows[f"crawl/CC-MAIN-00001.warc.gz#{offsets[1]}"]
    assert page["url"] == "http://example.com/a"
    assert page["fetched_at"] == datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert page["title"] == "Harbour bridge reopens after repairs"
    assert (rows["notes.txt"]["url"], rows["notes.txt"]["fetched_at"]) == (None, None)
    assert (
        documents.schema.field("fetched_at").type
        == load_schema("documents").field("fetched_at").type
    )

    (reject,) = ds.dataset(out / "rejects", format="parquet").to_table().to_pylist()
    assert (reject["source"], reject["reason"], reject["raw"]) == (
        f"crawl/CC-MAIN-00001.warc.gz#{offsets[2]}",
        "non_html_response",
        png,
    )
    assert reject["url"] == "http://example.com/logo.png"

    again = subprocess.run(
        command, capture_output=True, text=True, env=cli_env, check=False, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["known_files"] == 2  # one manifest entry per WARC file
    assert ds.dataset(out / "documents", format="parquet").count_rows() == 2


def test_the_human_summary_lists_the_skipped_records(tmp_path, capsys) -> None:
    from ingest.cli import print_summary
    from ingest.output.store import open_store
    from ingest.run.summary import RunSummary

    summary = RunSummary(files=1)
    summary.count_skipped_record("warc_request")
    summary.count_skipped_record("warc_request")
    print_summary({**summary.to_dict(), "seconds": 1.0, "run_id": "R"}, open_store(tmp_path))
    assert "WARC records skipped: warc_request" in capsys.readouterr().out
