"""Fuzz ``process_document`` with arbitrary bytes: it must never raise, never hang, and always
return a ``Document`` or a ``Reject`` that keeps the exact bytes with a known reason code.

Runs under atheris (coverage-guided, libFuzzer flags) when it is installed::

    python tests/fuzz/fuzz_pipeline.py -atheris_runs=20000
    python tests/fuzz/fuzz_pipeline.py -max_total_time=120 -timeout=20 corpus/

and falls back to hypothesis (random, not coverage-guided) when it is not, taking the same
``-atheris_runs=N`` / ``-max_total_time=S`` budget. See README.md in this folder.
"""

from __future__ import annotations

import sys
import time
from typing import Any

# Filled by load_library(): under atheris the library must be imported inside its instrumentation.
lib: dict[str, Any] = {}
# Packages instrumented for coverage feedback (ftfy and bs4 hold much of the input-driven logic).
INSTRUMENTED = ["ingest", "ftfy", "bs4"]

FORMATS = ("text", "html", "jsonl")
# Seeds that reach the interesting branches quickly (BOMs, magic numbers, HTML, JSON Lines).
SEEDS = (
    b"",
    b"Title\n\nFirst paragraph of words.\n\nSecond paragraph.\n",
    b"\xef\xbb\xbfcaf\xc3\xa9 na\xc3\xafve\n\nmore",
    b"\xff\xfeT\x00i\x00t\x00l\x00e\x00",
    b"<h1>Title</h1><p>One <b>two</b></p><br><script>x</script>",
    b'{"text": "Title\\n\\nBody text here."}',
    b'{"html": "<p>x</p>"}',
    b"%PDF-1.4\n",
    b"By Jane Doe | May 5, 2025\n\nPhoto: AP\n\nLoading\n",
)


def load_library() -> None:
    from ingest.pipeline import process_document
    from ingest.reasons import REASONS
    from ingest.records import Document, RawInput, Reject

    lib.update(
        process_document=process_document,
        REASONS=REASONS,
        Document=Document,
        RawInput=RawInput,
        Reject=Reject,
    )


def check_one(data: bytes) -> None:
    """The invariant for one input: the first byte picks the format, the rest is the input."""
    fmt = FORMATS[data[0] % len(FORMATS)] if data else "text"
    raw = data[1:]
    result = lib["process_document"](lib["RawInput"](source="fuzz", raw=raw, format=fmt))
    if isinstance(result, lib["Reject"]):
        assert result.raw == raw, "a reject must keep the exact bytes"
        assert result.reason in lib["REASONS"], result.reason
        assert result.reason != "internal_error", result.detail
    else:
        assert isinstance(result, lib["Document"]), type(result)
        assert result.body.strip(), "a document has a body"
        assert result.source == "fuzz"


def parse_budget(argv: list[str]) -> tuple[int | None, float | None]:
    runs = seconds = None
    for arg in argv:
        if arg.startswith("-atheris_runs="):
            runs = int(arg.split("=", 1)[1])
        elif arg.startswith("-runs="):
            runs = int(arg.split("=", 1)[1])
        elif arg.startswith("-max_total_time="):
            seconds = float(arg.split("=", 1)[1])
    return runs, seconds


def run_with_atheris(argv: list[str]) -> None:
    import atheris

    with atheris.instrument_imports(include=INSTRUMENTED):
        load_library()
    atheris.Setup(argv, check_one)
    atheris.Fuzz()


def run_with_hypothesis(argv: list[str]) -> None:
    from hypothesis import HealthCheck, given, seed, settings
    from hypothesis import strategies as st

    load_library()
    runs, seconds = parse_budget(argv)
    runs = runs or 2000
    started = time.perf_counter()
    count = 0
    for data in SEEDS:
        for first in range(len(FORMATS)):
            check_one(bytes([first]) + data)

    @seed(0)
    @settings(
        max_examples=runs,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.binary(max_size=4096) | st.text(max_size=2000).map(str.encode))
    def fuzz(data: bytes) -> None:
        nonlocal count
        if seconds is not None and time.perf_counter() - started > seconds:
            return
        count += 1
        check_one(data)

    fuzz()
    elapsed = time.perf_counter() - started
    sys.stderr.write(
        f"hypothesis fallback: {count} inputs in {elapsed:.1f} s ({count / elapsed:.0f}/s)\n"
    )


def main(argv: list[str]) -> None:
    try:
        import atheris  # noqa: F401
    except ImportError:
        sys.stderr.write("atheris is not installed: running the hypothesis fallback\n")
        run_with_hypothesis(argv)
        return
    if "--hypothesis" in argv:
        run_with_hypothesis([a for a in argv if a != "--hypothesis"])
        return
    run_with_atheris(argv)


if __name__ == "__main__":
    main(sys.argv)
