"""The Python face: one document at a time, the same records the pipeline writes."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import subprocess
import sys

import pytest
from conftest import REPO, SEED, load_cases

import ingest
from ingest.ids import make_doc_id


def test_process_text_gives_the_seed_record_the_contract_describes() -> None:
    doc = ingest.process_text(SEED.read_text(encoding="utf-8"), source=SEED.name)
    assert isinstance(doc, ingest.Document)
    expected = load_cases("seed")[0]["expected"]
    assert doc.title == expected["title"]
    assert doc.language == expected["language"]
    assert [r.rule for r in doc.removed] == [r["rule"] for r in expected["removed"]]
    assert doc.source == SEED.name
    assert doc.doc_id == make_doc_id(SEED.read_bytes())  # the same id as the file's


def test_text_bytes_and_file_agree() -> None:
    raw = SEED.read_bytes()
    from_bytes = ingest.process_bytes(raw, source="s")
    from_text = ingest.process_text(raw.decode("utf-8"), source="s")
    assert from_bytes == from_text


def test_bad_input_is_a_reject_keeping_the_bytes() -> None:
    png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"
    reject = ingest.process_bytes(png, source="image.png")
    assert isinstance(reject, ingest.Reject)
    assert (reject.reason, reject.raw, reject.source) == ("binary_content", png, "image.png")
    lone = ingest.process_text("half a pair \ud800 here")
    assert isinstance(lone, ingest.Reject)
    assert lone.reason == "undecodable_bytes"
    assert lone.raw == "half a pair \ud800 here".encode("utf-8", "surrogatepass")


def test_html_and_jsonl_formats() -> None:
    page = "<html><body><nav>Home</nav><h1>A headline here</h1><p>" + "Prose. " * 30 + "</p>"
    assert ingest.process_html(page).title == "A headline here"
    assert ingest.process_html(page.encode()).title == "A headline here"
    line = json.dumps({"text": "A title line\n\n" + "Prose. " * 30}).encode()
    assert ingest.process_bytes(line, format="jsonl").title == "A title line"


def test_wrong_types_and_formats_raise_at_once() -> None:
    with pytest.raises(TypeError, match="use process_text"):
        ingest.process_bytes("a str")
    with pytest.raises(TypeError, match="use process_bytes"):
        ingest.process_text(b"bytes")
    with pytest.raises(ValueError, match="format must be one of text, html, jsonl"):
        ingest.process_bytes(b"x", format="pdf")


def test_import_ingest_loads_no_pipeline_and_no_prefect() -> None:
    # Counted, not timed: what `import ingest` pulls in decides its cost.
    code = (
        "import sys, ingest; "
        "print(sorted(m for m in ('prefect', 'ftfy', 'pyarrow', 'numpy', 'charset_normalizer', "
        "'importlib.metadata') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'process_pdf'"):
        _ = ingest.process_pdf


def python_blocks(markdown: str, heading: str) -> list[str]:
    section = markdown.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


def expected_output(block: str) -> list[str]:
    """The comment lines that follow a print() line: what the example says it prints."""
    expected, lines = [], block.splitlines()
    for before, line in itertools.pairwise(lines):
        if before.startswith("print(") and line.startswith("# "):
            expected.append(line[2:])
    return expected


def test_readme_python_api_examples_print_what_they_say(capsys) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = python_blocks(readme, "Use it from Python")
    assert blocks, "the README's Python section has no example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
        assert capsys.readouterr().out.splitlines() == expected_output(block)
    assert sum(len(expected_output(block)) for block in blocks) >= 4


def test_process_warc_gives_each_page_record_as_ingest_run_would(tmp_path) -> None:
    from warcs import PAGE, request, response, write_warc

    png = b"\x89PNG\r\n\x1a\n" + bytes(16)
    offsets = write_warc(
        tmp_path / "crawl.warc.gz",
        [
            request("http://example.com/a"),
            response("http://example.com/a", PAGE),
            response("http://example.com/p.png", png, "image/png"),
        ],
    )
    document, reject = ingest.process_warc(tmp_path / "crawl.warc.gz")
    assert isinstance(document, ingest.Document) and isinstance(reject, ingest.Reject)
    assert (document.source, document.url) == (
        f"crawl.warc.gz#{offsets[1]}",
        "http://example.com/a",
    )
    as_html = ingest.process_html(PAGE, source=document.source)
    assert document == dataclasses.replace(
        as_html, url=document.url, fetched_at=document.fetched_at
    )
    assert (reject.reason, reject.raw) == ("non_html_response", png)
    named = list(ingest.process_warc(str(tmp_path / "crawl.warc.gz"), source="x/crawl"))
    assert [r.source for r in named] == [f"x/crawl#{offsets[1]}", f"x/crawl#{offsets[2]}"]
