"""Measure structure extraction on a gold-annotated input folder, fast and in-process.

Runs ``ingest.structure.extract_structure`` as it ships (named rules, then the content model;
``--rules-only`` switches the model off) over every file of one track of the dev set (no
Prefect); on the html track it runs ``ingest.pipeline.read_structure``, the path ``ingest run``
takes for an ``.html`` file (decoding, the HTML reader, repair, structure). It writes the Parquet
the scorer reads (source, title, body, captions), runs the dev set's
scorer on it and prints its tables, then how often each rule fired.

Examples (from the repository root):

    python scripts/accuracy.py --track region
    python scripts/accuracy.py --track page --per-doc /tmp/page.jsonl
    python scripts/accuracy.py --track html
    python scripts/accuracy.py --track region --out /tmp/run1 --eval-dir ../shared/eval-dev
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.pipeline import read_structure
from ingest.read.decode import decode_and_explain
from ingest.records import RawInput, Structure
from ingest.repair.fixes import repair_text
from ingest.structure.extract import extract_structure

REPO = Path(__file__).resolve().parent.parent
SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("title", pa.string()),
        ("body", pa.string()),
        (
            "captions",
            pa.list_(
                pa.struct(
                    [("text", pa.string()), ("credit", pa.string()), ("position", pa.int32())]
                )
            ),
        ),
    ]
)


def decode_text(raw: bytes) -> str:
    """Bytes to the repaired text the structure stage expects, as the pipeline makes it."""
    return repair_text(decode_and_explain(raw).text)[0]


def extract_folder(
    inputs: Path, track: str = "region", model: bool = True
) -> tuple[list[dict], Counter, float]:
    """One scorer row per input file, the per-rule removal counts, and the seconds spent (on the
    html track: from the bytes, reading included; on the text tracks: the structure stage).
    ``model``: whether the content model judges what the rules kept (text tracks)."""
    rows = []
    fired: Counter = Counter()
    spent = 0.0
    for path in sorted(inputs.iterdir()):
        if not path.is_file():
            continue
        if track == "html":
            started = time.perf_counter()
            structure = read_structure(RawInput(path.name, path.read_bytes(), "html"))[0]
        else:
            text = decode_text(path.read_bytes())
            started = time.perf_counter()
            structure = extract_structure(text, model=model)
        spent += time.perf_counter() - started
        fired.update(count_rules(structure))
        rows.append(structure_row(path.name, structure))
    return rows, fired, spent


def count_rules(structure: Structure) -> Counter:
    """How often each rule removed a paragraph from one record, captions counted as one more."""
    fired = Counter(removal.rule for removal in structure.removed)
    fired["(caption)"] += len(structure.captions)
    return +fired


def structure_row(source: str, structure: Structure) -> dict:
    """The scorer's row (source, title, body, captions) for one extracted record."""
    return {
        "source": source,
        "title": structure.title,
        "body": "\n\n".join(structure.paragraphs),
        "captions": [
            {"text": c.text, "credit": c.credit, "position": c.position} for c in structure.captions
        ],
    }


def print_fired(fired: Counter) -> None:
    """Print how often each rule fired, most frequent first."""
    print("how often each rule fired:")
    for rule, count in sorted(fired.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {rule:28} {count}")


def eval_parser(
    description: str | None, tracks: tuple[str, ...] = ("region", "page")
) -> argparse.ArgumentParser:
    """The options every dev-set script takes: --track (one of ``tracks``), --eval-dir and --out."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--track", choices=tracks, default="region", help="input track")
    parser.add_argument(
        "--eval-dir",
        type=Path,
        default=REPO.parent / "shared" / "eval-dev",
        help="the evaluation set (default: ../shared/eval-dev beside the repository)",
    )
    parser.add_argument("--out", type=Path, help="folder for the Parquet (default: a new temp one)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = eval_parser(__doc__, ("region", "page", "html"))
    parser.add_argument("--per-doc", help="write the scorer's per-document JSON Lines here")
    parser.add_argument(
        "--rules-only", action="store_true", help="switch the content model off (rules alone)"
    )
    args = parser.parse_args(argv)

    out = args.out or Path(tempfile.mkdtemp(prefix=f"accuracy-{args.track}-"))
    out.mkdir(parents=True, exist_ok=True)
    inputs = args.eval_dir / "inputs" / args.track
    rows, fired, spent = extract_folder(inputs, args.track, not args.rules_only)
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), out / "documents.parquet")

    command = [sys.executable, str(args.eval_dir / "score.py"), "score", str(out)]
    command += ["--track", args.track]
    if args.per_doc:
        command += ["--per-doc", args.per_doc]
    subprocess.run(command, check=True)

    stage = "reader and structure stage" if args.track == "html" else "structure stage"
    print(f"\n{stage}: {len(rows)} documents in {spent:.2f} s; output in {out}")
    print_fired(fired)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
