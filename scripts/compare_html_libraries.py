"""Measure the HTML libraries ingest could build on, on the dev set's html track.

Three questions, each answered on the same pages in one process:

- main content: trafilatura's ``bare_extraction`` (default, ``favor_precision``,
  ``favor_recall``), scored by the dev set's scorer like ingest's own output;
- parsing speed: selectolax (lexbor), lxml and BeautifulSoup's ``html.parser``, MB/s for a parse
  and a walk over every text node;
- metadata: how often htmldate and trafilatura's metadata find a date, and trafilatura an author
  (the dev set has no gold for these, so coverage and agreement only), and their MB/s.

Needs ``pip install trafilatura==2.3.1 selectolax==1.0.2 htmldate==1.11.0``. Example:

    python scripts/compare_html_libraries.py --eval-dir ../shared/eval-dev
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from accuracy import SCHEMA, eval_parser

SETTINGS = {
    "trafilatura": {},
    "trafilatura favor_precision": {"favor_precision": True},
    "trafilatura favor_recall": {"favor_recall": True},
}


def trafilatura_row(source: str, raw: bytes, options: dict) -> dict:
    """The scorer's row for one page from trafilatura, as the dev set's baseline makes it."""
    import trafilatura

    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, **options)
    title = getattr(doc, "title", None) if doc is not None else None
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    body = "\n\n".join(line for line in text.split("\n") if line.strip())
    return {"source": source, "title": title, "body": body, "captions": []}


def walk_selectolax(raw: bytes) -> int:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(raw)
    return sum(len(node.text_content or "") for node in tree.root.traverse(include_text=True))


def walk_lxml(raw: bytes) -> int:
    import lxml.html

    try:
        root = lxml.html.fromstring(raw)
    except Exception:  # an empty or unparseable document
        return 0
    return sum(len(text) for text in root.itertext())


def walk_bs4(raw: bytes) -> int:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(raw, "html.parser")
    return sum(len(text) for text in soup.strings)


PARSERS = {
    "selectolax 1.0.2 (lexbor)": walk_selectolax,
    "lxml 6.1.3": walk_lxml,
    "beautifulsoup4 html.parser": walk_bs4,
}


def measure_metadata(pages: list[tuple[str, bytes]]) -> list[str]:
    """Coverage, agreement and speed of htmldate and trafilatura's metadata on the pages."""
    from htmldate import find_date
    from trafilatura.metadata import extract_metadata

    total = sum(len(raw) for _, raw in pages) / 1e6
    started = time.perf_counter()
    dates = [find_date(raw.decode("utf-8", "replace"), extensive_search=False) for _, raw in pages]
    htmldate_s = time.perf_counter() - started
    started = time.perf_counter()
    metas = [extract_metadata(raw.decode("utf-8", "replace")) for _, raw in pages]
    meta_s = time.perf_counter() - started
    meta_dates = [getattr(m, "date", None) for m in metas]
    authors = [getattr(m, "author", None) for m in metas]
    agree = sum(1 for a, b in zip(dates, meta_dates, strict=True) if a and b and a == b)
    both = sum(1 for a, b in zip(dates, meta_dates, strict=True) if a and b)
    n = len(pages)
    return [
        f"htmldate find_date: a date on {sum(map(bool, dates))}/{n} pages, {total / htmldate_s:.1f} MB/s",
        f"trafilatura extract_metadata: a date on {sum(map(bool, meta_dates))}/{n}, an author on "
        f"{sum(map(bool, authors))}/{n}, {total / meta_s:.1f} MB/s",
        f"the two agree on the date on {agree} of the {both} pages where both found one",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = eval_parser(__doc__, ("html",))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(args.eval_dir))
    import score

    inputs = args.eval_dir / "inputs" / "html"
    pages = [(path.name, path.read_bytes()) for path in sorted(inputs.glob("*.html"))]
    total = sum(len(raw) for _, raw in pages) / 1e6
    out = args.out or Path(tempfile.mkdtemp(prefix="compare-html-"))
    results = []
    speeds = []
    for name, options in SETTINGS.items():
        started = time.perf_counter()
        rows = [trafilatura_row(source, raw, options) for source, raw in pages]
        speeds.append(f"{name}: {total / (time.perf_counter() - started):.2f} MB/s")
        folder = out / name.replace(" ", "-")
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), folder / "documents.parquet")
        results.append((name, score.score_run(args.eval_dir, folder, "html")[0]))
    score.report(results)
    print(f"\n{len(pages)} pages, {total:.1f} MB; main-content extraction, one process:")
    print("\n".join(f"  {line}" for line in speeds))
    print("parse and walk every text node, one process:")
    for name, walk in PARSERS.items():
        started = time.perf_counter()
        for _, raw in pages:
            walk(raw)
        print(f"  {name}: {total / (time.perf_counter() - started):.1f} MB/s")
    print("metadata:")
    print("\n".join(f"  {line}" for line in measure_metadata(pages)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
