"""Bounded time (issue 8): no regex in ``src/ingest`` and no text stage goes super-linear on
pathological input.

Every module-level compiled pattern (``NAME = re.compile(...)``) is found by importing the modules,
and is run (``finditer`` over the whole text, and ``match``) on families of pathological texts:
100k repeats of single characters, 100k repeats of the pattern's own literal fragments, long runs
of spaces, punctuation and brackets, and a 1 MB line without spaces. Each run must finish within
``BOUND`` seconds. A run happens in a forked child so that a catastrophic one is killed at the
deadline instead of hanging the suite (``re`` holds the GIL).

Super-linear cases found so far are listed in ``KNOWN_SLOW`` and run one by one under
``xfail(strict=True)``: the test flips to a failure when the pattern is fixed, so the entry can go.
"""

from __future__ import annotations

import importlib
import inspect
import multiprocessing
import pkgutil
import random
import re
import re._parser as sre_parse  # type: ignore[import-not-found]
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import ingest
from ingest.repair.fixes import repair_text
from ingest.structure.extract import extract_structure

# Seconds for one pattern on one text. Most linear passes take milliseconds; the slowest linear one,
# footers.COOKIE_RE on "cookies " * 100k (a 200-character lazy window per occurrence), takes 1.4 s
# alone and 2.6 s on a loaded machine. A quadratic pattern takes minutes on texts this long.
BOUND = 5.0
STAGE_BOUND = 10.0  # seconds for a whole stage on one text (ftfy and the rules, per line)
REPEATS = 100_000
MAX_FRAGMENT_TEXT = 1_500_000  # characters: long fragments are repeated fewer times
MAX_FRAGMENTS = 80  # per pattern, the shortest first (the month names of DATE_RE are many)

DEFINITION_RE = re.compile(r"^([A-Z][A-Z0-9_]*) = re\.compile\(", re.MULTILINE)


def collect_patterns() -> dict[str, re.Pattern[str]]:
    """``module.NAME`` -> pattern, for every pattern compiled at module level in ``ingest``."""
    patterns: dict[str, re.Pattern[str]] = {}
    for info in pkgutil.walk_packages(ingest.__path__, prefix="ingest."):
        if info.name.endswith("__main__"):  # importing it runs the command line
            continue
        module = importlib.import_module(info.name)
        leaf = info.name.rsplit(".", 1)[1]
        for name in DEFINITION_RE.findall(inspect.getsource(module)):
            value = getattr(module, name)
            if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
                patterns[f"{leaf}.{name}"] = value
    return patterns


PATTERNS = collect_patterns()


def literal_fragments(pattern: re.Pattern[str]) -> list[str]:
    """The runs of literal characters in a pattern (``cookies``, ``we use``, `` / ``...)."""
    fragments: set[str] = set()

    def walk(items: Any) -> None:
        run: list[str] = []
        for op, arg in items:
            if op is sre_parse.LITERAL:
                run.append(chr(arg))
                continue
            if run:
                fragments.add("".join(run))
                run = []
            if op is sre_parse.IN:  # the literal members of a class: [:›] gives ":" and "›"
                fragments.update(chr(a) for o, a in arg if o is sre_parse.LITERAL)
            elif op is sre_parse.SUBPATTERN:
                walk(arg[-1])
            elif op is sre_parse.BRANCH:
                for branch in arg[1]:
                    walk(branch)
            elif op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT, sre_parse.POSSESSIVE_REPEAT):
                walk(arg[2])
            elif op in (sre_parse.ASSERT, sre_parse.ASSERT_NOT):
                walk(arg[1])
        if run:
            fragments.add("".join(run))

    walk(sre_parse.parse(pattern.pattern, pattern.flags))
    return sorted(fragments, key=lambda f: (len(f), f))[:MAX_FRAGMENTS]


SINGLE_CHARS = " \t\n\r.,:;!?-–|/·•\"'”()[]<>»©aAxZ0é\u00a0\u2003\u3000\u200b\ufffd…_#@"


def single_char_texts(_pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    for char in SINGLE_CHARS:
        yield f"{char!r}*100k", char * REPEATS


def fragment_texts(pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    for fragment in literal_fragments(pattern):
        repeats = max(1, min(REPEATS, MAX_FRAGMENT_TEXT // (len(fragment) + 1)))
        yield f"{fragment!r}*{repeats}", fragment * repeats
        yield f"({fragment!r}+' ')*{repeats}", (fragment + " ") * repeats


def run_texts(_pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    yield "spaces then x", " " * REPEATS + "x"
    yield "x, spaces, x", "x" + " " * REPEATS + "x"
    yield "tabs then x", "\t" * REPEATS + "x"
    yield "newlines then x", "\n" * REPEATS + "x"
    yield "space-newline pairs", " \n" * (REPEATS // 2) + "x"
    yield "nbsp then x", "\u00a0" * REPEATS + "x"
    yield "em spaces then x", "\u2003" * REPEATS + "x"
    yield "'. ' repeated", ". " * (REPEATS // 2)
    yield "'. a' repeated", ". a" * (REPEATS // 3)
    yield "'A. ' repeated", "A. " * (REPEATS // 3)
    yield "dashes then x", "-" * REPEATS + "x"
    yield "' - ' repeated", " - " * (REPEATS // 3)
    yield "' | ' repeated", " | " * (REPEATS // 3)
    yield "' / ' repeated", " / " * (REPEATS // 3)
    yield "punctuation mix", ".:;,!?" * (REPEATS // 6)
    yield "open brackets", "(" * REPEATS
    yield "'([' repeated", "([" * (REPEATS // 2)
    yield "'( ' repeated", "( " * (REPEATS // 2)
    yield "'(a' repeated", "(a" * (REPEATS // 2)
    yield "close brackets", ")" * REPEATS + "x"
    yield "bracketed spaces", "(" + " " * REPEATS + "x"
    yield "quotes", '"' * REPEATS
    yield "ellipses", "…" * REPEATS
    yield "words", "ab " * (REPEATS // 3)
    yield "capital words", "Ab " * (REPEATS // 3)
    yield "digits and spaces", "12 " * (REPEATS // 3)
    yield "colon then spaces", ":" + " " * REPEATS + "x"
    yield "'by ' repeated", "by " * (REPEATS // 3)


def long_line_texts(_pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    rng = random.Random(8)
    yield "1 MB of x", "x" * 1_000_000
    yield (
        "1 MB of letters and punctuation",
        "".join(rng.choices("abcdefghijklmnopqrstuvwxyzABCDEF.,:;-()[]|/'\"", k=1_000_000)),
    )
    yield "1 MB of 'a.b'", "a.b" * 333_333
    yield "1 MB of digits", "0123456789" * 100_000


FAMILIES: dict[str, Callable[[re.Pattern[str]], Iterator[tuple[str, str]]]] = {
    "single_chars": single_char_texts,
    "fragments": fragment_texts,
    "runs": run_texts,
    "long_line": long_line_texts,
}

# (pattern, text label) -> why it is slow, for patterns not fixed yet. Found and since fixed by
# their owners: bylines.AUTHOR_DATE_SEPARATOR_RE (r"\s+[-–—|·]\s+|\s*[|·]\s*"),
# captions.END_BRACKET_RE (r"\s*[\[(]\s*...") and whitespace.TRAILING_SPACE_RE (r"[ \t]+$", M),
# each quadratic on a run of spaces not followed by what they need (" " * 8000 + "x": 0.35-1.2 s,
# four times longer for each doubling).
KNOWN_SLOW: dict[tuple[str, str], str] = {}


def scan(pattern: re.Pattern[str], text: str) -> None:
    for _ in pattern.finditer(text):
        pass
    pattern.match(text)


def _child(
    work: Callable[[str], object], texts: list[tuple[str, str]], conn: Any
) -> None:  # pragma: no cover - runs in the forked child
    for label, text in texts:
        started = time.perf_counter()
        work(text)
        conn.send((label, time.perf_counter() - started))
    conn.close()


def timed_in_child(
    work: Callable[[str], object], texts: list[tuple[str, str]], bound: float
) -> list[tuple[str, float]]:
    """Run ``work`` on each text in a forked child; the labels that took longer than ``bound``.

    A text still running at ``2 * bound + 1`` seconds counts as slow: its child is killed and a
    new one goes on with the texts after it, so every slow text is named.
    """
    context = multiprocessing.get_context("fork")
    slow: list[tuple[str, float]] = []
    remaining = list(texts)
    while remaining:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, remaining, send), daemon=True)
        child.start()
        send.close()
        done = 0
        try:
            for label, _ in remaining:
                if not receive.poll(2 * bound + 1):
                    slow.append((label, float("inf")))
                    done += 1
                    break
                got_label, seconds = receive.recv()
                assert got_label == label
                done += 1
                if seconds > bound:
                    slow.append((label, round(seconds, 2)))
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            receive.close()
        remaining = remaining[done:]
    return slow


def family_texts(name: str, family: str) -> list[tuple[str, str]]:
    texts = FAMILIES[family](PATTERNS[name])
    return [(label, text) for label, text in texts if (name, label) not in KNOWN_SLOW]


def test_patterns_were_found() -> None:
    assert len(PATTERNS) >= 30
    assert "html_text.BLOCK_BREAK_RE" in PATTERNS
    assert all(name.rsplit(".", 1)[1].endswith("_RE") for name in PATTERNS)


def test_fragments_are_the_literal_parts() -> None:
    pattern = re.compile(r"^(?:read more|see also)\s*(?:[:›]+.{0,150})?$")
    assert set(literal_fragments(pattern)) == {"read more", "see also", ":", "›"}


@pytest.mark.slow
@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_pattern_is_linear_on_pathological_text(name, family) -> None:
    pattern = PATTERNS[name]
    slow = timed_in_child(lambda text: scan(pattern, text), family_texts(name, family), BOUND)
    assert slow == [], f"{name} is slow on: {slow}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "label"),
    [
        pytest.param(name, label, marks=pytest.mark.xfail(strict=True, reason=reason))
        for (name, label), reason in sorted(KNOWN_SLOW.items())
    ],
)
def test_known_superlinear_pattern(name, label) -> None:
    pattern = PATTERNS[name]
    texts = [(lab, text) for family in FAMILIES.values() for lab, text in family(pattern)]
    [text] = [text for lab, text in texts if lab == label]
    slow = timed_in_child(lambda t: scan(pattern, t), [(label, text)], BOUND)
    assert slow == []


STAGE_TEXTS = [
    *((label, text) for label, text in run_texts(re.compile(""))),
    *((label, text) for label, text in long_line_texts(re.compile(""))),
    ("100k tiny lines", "a\n" * REPEATS),
    ("100k blank-separated paragraphs", "Word.\n\n" * REPEATS),
    ("100k short capitalised lines", "Photo: AP\n" * (REPEATS // 2)),
    ("100k bylines", "By John Smith | May 5, 2025\n" * (REPEATS // 10)),
    ("deep brackets", "(" * 50_000 + "caption" + ")" * 50_000),
]
# Whole-stage inputs that are slow only because of a pattern in KNOWN_SLOW (label -> reason).
KNOWN_SLOW_STAGE: dict[tuple[str, str], str] = {}


def stage_params(stage: str) -> list[Any]:
    params = []
    for label, text in STAGE_TEXTS:
        reason = KNOWN_SLOW_STAGE.get((stage, label))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(label, text, marks=marks, id=label))
    return params


@pytest.mark.slow
@pytest.mark.parametrize(("label", "text"), stage_params("repair_text"))
def test_repair_text_is_bounded(label, text) -> None:
    slow = timed_in_child(repair_text, [(label, text)], STAGE_BOUND)
    assert slow == []


@pytest.mark.slow
@pytest.mark.parametrize(("label", "text"), stage_params("extract_structure"))
def test_extract_structure_is_bounded(label, text) -> None:
    slow = timed_in_child(extract_structure, [(label, text)], STAGE_BOUND)
    assert slow == []
