"""Same input, same output: the records do not depend on Python's string-hash seed.

Every golden input (text and HTML) and the seed are structured in two fresh interpreters with
different ``PYTHONHASHSEED`` values; the structures must be equal. A set's iteration order
changes with the seed, so a decision that leans on one shows here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import REPO, SEED

SCRIPT = """
import json, sys
from pathlib import Path
from ingest.pipeline import read_structure
from ingest.records import RawInput
inputs = json.loads(sys.stdin.read())
for name, text in inputs:
    print(repr(read_structure(RawInput(name, text.encode(), "html" if name.endswith(".html") else "text"))[0]))
"""


def golden_inputs() -> list[tuple[str, str]]:
    inputs = [(SEED.name, SEED.read_text(encoding="utf-8"))]
    for file, suffix in (("structure.json", ".txt"), ("html.json", ".html")):
        cases = json.loads((REPO / "tests" / "cases" / file).read_text(encoding="utf-8"))
        inputs += [(f"case-{n}{suffix}", case["input"]) for n, case in enumerate(cases)]
    return inputs


def structures_with_hash_seed(seed: int, inputs: list[tuple[str, str]]) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        input=json.dumps(inputs),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout.splitlines()


def test_structures_do_not_depend_on_the_hash_seed() -> None:
    inputs = golden_inputs()
    first = structures_with_hash_seed(1, inputs)
    assert len(first) == len(inputs)
    assert structures_with_hash_seed(7, inputs) == first
