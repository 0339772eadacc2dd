"""The structure stage's cost in machine instructions per byte, counted by Valgrind (callgrind).

Timings on a shared 2-core machine drift by 15-25 % within the hour, more than most changes to
the structure stage; an instruction count does not depend on what else the machine runs, so two
versions of the code can be compared at any time, one after the other.

Every ``--step``-th file of the folder is measured; every other file is run through
``extract_structure`` first, so that each one-time load (the language model, compiled regexes,
the caches of repeated lines) is paid before, as in a long run. The script runs that warm-up
alone under callgrind, then the warm-up and the measured files, and divides the difference by the
measured files' bytes. Each run has the same str hashing and one OpenBLAS thread
(``worker_environment``); the same code and files then count within about 2 % run to run (the
last varying few per cent come from allocations and the interpreter's caches), far less than the
15-25 % drift of timings.

Examples (from the repository root; needs ``valgrind``, e.g. ``apt-get install valgrind``):

    python scripts/count_structure_instructions.py --source ../shared/eval-dev/inputs/region
    PYTHONPATH=/path/to/other/checkout/src python scripts/count_structure_instructions.py ...

A run takes a few minutes: Python under callgrind is about 50 times slower.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# callgrind's closing line: "==123== Collected : 5831637286".
COLLECTED_RE = re.compile(r"Collected\s*:\s*(\d+)")


def split_files(source: Path, step: int) -> tuple[list[Path], list[Path]]:
    """The files to warm up on and the files to measure (every ``step``-th, in name order)."""
    files = sorted(path for path in source.iterdir() if path.is_file())
    measured = files[::step]
    chosen = set(measured)
    return [path for path in files if path not in chosen], measured


def run_stage(source: Path, step: int, measure: bool) -> None:
    """The worker: structure of the warm-up files, then (``measure``) of the measured ones."""
    from ingest.errors import RejectInput
    from ingest.read.decode import decode_and_explain
    from ingest.repair.fixes import repair_text
    from ingest.structure.extract import extract_structure

    def texts(paths: list[Path]) -> list[str]:
        out = []
        for path in paths:
            try:
                out.append(repair_text(decode_and_explain(path.read_bytes()).text)[0])
            except RejectInput:
                continue
        return out

    warm, measured = split_files(source, step)
    warm_texts, measured_texts = texts(warm), texts(measured)
    for text in warm_texts:
        extract_structure(text)
    if measure:
        for text in measured_texts:
            extract_structure(text)


def worker_environment() -> dict[str, str]:
    """The environment of a counted run: this one, with the two things that made counts of the
    same code differ by up to 200 instructions per byte fixed: str hashing (Python salts it per
    process, and set and dict order, hence some work, follows it) and OpenBLAS's threads (which
    spin while they wait)."""
    return {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1"}


def count_instructions(source: Path, step: int, measure: bool) -> int:
    """Instructions callgrind counts for one worker run."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={Path(scratch) / 'callgrind.out'}",
            sys.executable,
            __file__,
            "--worker",
            "--source",
            str(source),
            "--step",
            str(step),
            *(["--measure"] if measure else []),
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, check=False, env=worker_environment()
        )
    found = COLLECTED_RE.search(done.stderr)
    if done.returncode != 0 or found is None:
        sys.stderr.write(done.stderr[-4000:])
        msg = f"callgrind run failed (exit {done.returncode})"
        raise SystemExit(msg)
    return int(found.group(1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="The figure is instructions per byte of input (millions per MB).",
    )
    parser.add_argument("--source", type=Path, required=True, help="folder of pages")
    parser.add_argument("--step", type=int, default=10, help="measure every STEP-th file")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step < 2:
        parser.error("--step must be at least 2: the other files warm up")
    if not args.source.is_dir():
        parser.error(f"--source {args.source} is not a folder")
    if args.worker:
        run_stage(args.source, args.step, args.measure)
        return 0
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (apt-get install valgrind)")
    _, measured = split_files(args.source, args.step)
    size = sum(path.stat().st_size for path in measured)
    if not size:
        parser.error("no measured file has any bytes")
    base = count_instructions(args.source, args.step, measure=False)
    total = count_instructions(args.source, args.step, measure=True)
    where = os.environ.get("PYTHONPATH") or "the installed ingest"
    print(f"code: {where}")
    print(f"measured: {len(measured)} files, {size:,} bytes")
    print(f"structure stage: {(total - base) / size:,.0f} instructions per byte")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
