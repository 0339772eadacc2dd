"""The dataset report: figures from real Parquet files, as text, JSON and a self-contained page."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pyarrow.parquet as pq
import pytest
from conftest import SEED

from ingest.output.parquet import RunInfo, documents_table, rejects_table
from ingest.output.stats import (
    EXAMPLES_PER_RULE,
    collect_stats,
    render_html,
    render_text,
    stats_to_json,
)
from ingest.pipeline import process_document
from ingest.records import Document, RawInput, Reject

SHARE_TEXTS = [
    f"Headline number {n}\n\nShare on Facebook\n\n"
    + "This is the article's only paragraph, long enough to be prose and kept as body. " * 3
    + f"It is article {n}."
    for n in range(6)
]


@pytest.fixture
def output(tmp_path):
    """An output folder with the seed, six articles with a share line, and two rejects."""
    inputs = [RawInput("seed.txt", SEED.read_bytes())]
    inputs += [RawInput(f"a{n}.txt", text.encode()) for n, text in enumerate(SHARE_TEXTS)]
    inputs += [RawInput("empty.txt", b""), RawInput("binary.bin", b"\x89PNG\r\n\x1a\n\0\0\0")]
    records = [process_document(raw) for raw in inputs]
    documents = [r for r in records if isinstance(r, Document)]
    rejects = [r for r in records if isinstance(r, Reject)]
    assert len(documents) == 7
    assert len(rejects) == 2
    run = RunInfo.start()
    (tmp_path / "documents").mkdir()
    (tmp_path / "rejects").mkdir()
    # Two files for the documents, so the report adds across files.
    pq.write_table(documents_table(documents[:3], run), tmp_path / "documents" / "a.parquet")
    pq.write_table(documents_table(documents[3:], run), tmp_path / "documents" / "b.parquet")
    pq.write_table(rejects_table(rejects, run), tmp_path / "rejects" / "a.parquet")
    return tmp_path


def files(folder):
    return sorted(str(p) for p in folder.glob("*.parquet"))


def test_figures_add_up_across_files(output):
    stats = collect_stats(files(output / "documents"), files(output / "rejects"))
    assert stats.documents == 7
    assert stats.rejects == 2
    assert sum(stats.rejects_by_reason.values()) == 2
    assert stats.languages == {"en": 7}
    assert stats.captions == 2  # the seed's two
    assert stats.captions_with_credit == 1
    assert stats.top_credits == {"AP Photo/Noah Berger": 1}
    rules = {rule.rule: rule for rule in stats.removals}
    assert rules["share_row"].count == 6
    assert len(rules["share_row"].examples) == 1  # six identical texts: one example
    assert rules["share_row"].examples == ["Share on Facebook"]
    assert rules["language_switcher_label"].examples == ["English"]
    assert all(len(rule.examples) <= EXAMPLES_PER_RULE for rule in stats.removals)
    assert sum(stats.body_length_histogram.values()) == 7
    assert stats.body_chars["max"] > stats.body_chars["min"] > 0


def test_an_empty_output_reports_zeros(tmp_path):
    stats = collect_stats([], [])
    assert (stats.documents, stats.rejects, stats.removals) == (0, 0, [])
    assert "documents" in render_text(stats)
    assert "<svg" not in render_html(stats)  # nothing to chart, and no crash


def test_json_holds_every_rule(output):
    stats = collect_stats(files(output / "documents"), files(output / "rejects"))
    payload = json.loads(stats_to_json(stats))
    assert payload["documents"] == 7
    assert {r["rule"] for r in payload["removals"]} == {r.rule for r in stats.removals}


def test_text_report_lists_the_top_rules_with_examples(output):
    stats = collect_stats(files(output / "documents"), files(output / "rejects"))
    text = render_text(stats, top_rules=1)
    assert "share_row" in text
    assert "“Share on Facebook”" in text
    assert f"… {len(stats.removals) - 1} more rules" in text


class PageParser(HTMLParser):
    """Collects what a self-contained page must not have (external references) and its parts."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if name in {"src", "href"} or (value and "url(" in value):
                self.external.append(f"{tag} {name}={value}")

    def handle_data(self, data):
        self.text.append(data)


def test_html_page_is_self_contained_and_shows_each_rule(output):
    stats = collect_stats(files(output / "documents"), files(output / "rejects"))
    page = render_html(stats)
    parser = PageParser()
    parser.feed(page)
    parser.close()
    assert parser.external == []
    assert "script" not in parser.tags
    assert parser.tags.count("svg") >= 4
    text = "".join(parser.text)
    for rule in stats.removals:
        assert rule.rule in text
    assert "Share on Facebook" in text
    assert "AP Photo/Noah Berger" in text


def test_html_escapes_removed_text():
    from ingest.output.stats import DatasetStats, RuleStats

    stats = DatasetStats(
        documents=1, removals=[RuleStats("x_rule", 1, ["<script>alert(1)</script>"])]
    )
    page = render_html(stats)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


def run_cli(argv, capsys):
    from ingest.cli import main

    with pytest.raises(SystemExit) as done:
        main(argv)
        raise SystemExit(0)
    captured = capsys.readouterr()
    return done.value.code or 0, captured.out, captured.err


def test_stats_command_text_json_and_html(output, tmp_path, capsys):
    page = tmp_path / "report.html"
    code, out, err = run_cli(["stats", str(output), "--html", str(page)], capsys)
    assert (code, err) == (0, "")
    assert out.startswith("documents")
    assert "share_row" in out
    assert "share_row" in page.read_text(encoding="utf-8")
    code, out, err = run_cli(["stats", str(output), "--json"], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out)["rejects"] == 2


def test_stats_command_refuses_a_folder_that_is_not_an_output(tmp_path, capsys):
    code, out, err = run_cli(["stats", str(tmp_path)], capsys)
    assert code == 2
    assert out == ""
    assert (
        err
        == f"ingest: error: not an ingest output folder (no documents/ or rejects/): {tmp_path}\n"
    )
