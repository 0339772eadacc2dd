"""A run's summary: its artifact key, its markdown page, its rates."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from prefect.types.names import raise_on_name_alphanumeric_dashes_only

from ingest.run.summary import RunSummary, summary_key, summary_markdown


@given(st.text())
def test_every_output_gets_a_key_prefect_accepts(location) -> None:
    key = summary_key(location)
    assert key.startswith("ingest-")
    assert raise_on_name_alphanumeric_dashes_only(key) == key


def test_outputs_with_other_names_get_other_keys() -> None:
    keys = {summary_key(p) for p in ("/data/out", "/data/out-2", "s3://b/crawl", "crawl-b/")}
    assert keys == {"ingest-out", "ingest-out-2", "ingest-crawl", "ingest-crawl-b"}


def summary(**counts) -> dict:
    data = RunSummary(files=3, inputs=3, documents=2, input_bytes=3_000_000, **counts).to_dict()
    return {**data, "run_id": "R1", "failed_batches": 0}


def test_the_markdown_page_lists_every_rule_most_frequent_first_and_the_rates() -> None:
    from collections import Counter

    removals = Counter({f"rule_{i:02d}": i for i in range(1, 31)})
    page = summary_markdown(
        summary(removals=removals, seconds=6.0, startup_seconds=5.0, files_written=["a"] * 12),
        "/data/out",
    )
    lines = page.splitlines()
    assert lines[0] == "# ingest run R1 into /data/out"
    assert lines[2] == (
        "**2 documents** and **0 rejects** from 3 files (3.00 MB) in 6.0 s "
        "(0.50 MB/s, 3.00 MB/s after 5.0 s of start-up)."
    )
    rules = [line for line in lines if line.startswith("| `rule_")]
    assert rules[0] == "| `rule_30` | 30 |" and rules[-1] == "| `rule_01` | 1 |"
    assert len(rules) == 30
    assert "- and 2 more (in the table artifact)" in lines
    assert "| failed_batches | 0 |" in lines


def test_a_run_without_time_has_no_rate() -> None:
    data = summary()
    assert (data["seconds"], data["mb_per_second"], data["mb_per_second_after_startup"]) == (
        0.0,
        None,
        None,
    )
    assert "(-)." in summary_markdown(data, "out").splitlines()[2]
