"""The HTML path of the structure stage: golden pages (tests/cases/html.json), the markup rules'
must-remove and must-keep cases, and the invariant that no block of a page is lost or doubled."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rules import check_structure

from ingest.pipeline import read_structure
from ingest.read.html import read_html
from ingest.records import RawInput, Structure
from ingest.structure.markup import extract_html_structure

CASES = json.loads(
    (Path(__file__).resolve().parents[1] / "cases" / "html.json").read_text(encoding="utf-8")
)
WORD_RE = re.compile(r"\w+")


def structure_of(html: str) -> Structure:
    """The structure ``ingest run`` finds in an .html file with this content."""
    return read_structure(RawInput("page.html", html.encode(), "html"))[0]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=case["label"],
            marks=[pytest.mark.xfail(strict=True)] if case["expect"] == "fail" else [],
        )
        for case in CASES
    ],
)
def test_html_case(case):
    check_structure(structure_of(case["input"]), case["expected"])


def letters(texts) -> Counter:
    return Counter(
        char for text in texts if text for word in WORD_RE.findall(text) for char in word
    )


def words(texts) -> Counter:
    return Counter(word for text in texts if text for word in WORD_RE.findall(text))


# Neutral words: none of them is debris, a credit or a label to the text rules.
WORDS = st.sampled_from(["harbour", "wall", "storm", "boats", "council", "stone", "river", "town"])
TEXT = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
TAGS = st.sampled_from(
    ["p", "div", "span", "a", "h1", "h2", "li", "nav", "header", "footer", "aside", "form",
     "figure", "figcaption", "article", "main", "section", "b"]
)  # fmt: skip


@st.composite
def trees(draw, depth: int = 0) -> str:
    """A random HTML fragment of these tags and neutral words."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(TAGS)
            parts.append(f"<{tag}>{draw(trees(depth + 1))}</{tag}>")
        else:
            parts.append(draw(TEXT))
    return " ".join(parts)


TAG_RE = re.compile(r"<[^>]+>")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(), trees())
def test_every_block_ends_up_in_exactly_one_place(fragment, after):
    """Each word of the page is in the title, the body, a caption or a removal, once: also the
    words after ``</html>`` (a scraper's appended text), which libxml2 alone would drop."""
    page = read_html(f"<html><body>{fragment}</body></html>{after}")
    assert page is not None
    structure = extract_html_structure(page)
    placed = [structure.title, *structure.paragraphs]
    placed += [text for c in structure.captions for text in (c.text, c.credit)]
    placed += [removal.text for removal in structure.removed]
    assert words(placed) == words(block.text for block in page.blocks)
    # The page's own letters, none lost (word boundaries aside: inline tags join words).
    page_text = TAG_RE.sub("", fragment + after)
    assert letters(placed) == letters([page_text])


def test_a_jsonl_html_field_takes_the_html_path():
    html = "<nav><a href='/'>Home</a></nav><h1>Harbour wall</h1><p>" + "The wall. " * 30 + "</p>"
    record = json.dumps({"html": html}).encode()
    structure = read_structure(RawInput("feed.jsonl#1", record, "jsonl"))[0]
    assert structure.title == "Harbour wall"
    assert [(r.text, r.rule) for r in structure.removed] == [("Home", "html_navigation")]
