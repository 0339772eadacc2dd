"""Golden cases for the structure stage, as JSON: adding a case means adding an object.

Each file in CASE_FILES is a list of {"label", "comment", "input", "expected", "expect"}.
``expected`` may hold any of these keys (only the ones given are checked):

- ``title``, ``language``, ``author``, ``published``: the Structure field, exactly (null = None);
- ``body``: the full list of body paragraphs, in order;
- ``kept``: paragraphs that must be in the body (the rest is not checked);
- ``removed``: the full list of [text, rule] removals, in order: which rule removed what;
- ``not_removed_by``: a rule name that must not fire on this input (a must-keep look-alike);
- ``captions``: the full list of [text, credit, position] captions, in order;
- ``idempotent``: true when running again on the joined body must give the same paragraphs.

``"expect": "fail"`` cases run under xfail(strict=True): known failures stay visible and a fix
shows up as an unexpected pass.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from growth import SCALE, Pair, super_linear

from ingest.records import Caption, Removal, Structure
from ingest.structure.extract import extract_structure
from ingest.structure.rules import RULES

CASES = Path(__file__).resolve().parents[1] / "cases"
CASE_FILES = (
    "debris.json",
    "negative.json",
    "captions.json",
    "structure.json",
    "known-failures.json",
)


def load_cases() -> list[tuple[str, dict]]:
    return [
        (name, case)
        for name in CASE_FILES
        for case in json.loads((CASES / name).read_text(encoding="utf-8"))
    ]


ALL_CASES = load_cases()


def check_case(case: dict) -> None:
    structure = extract_structure(case["input"])
    check_structure(structure, case["expected"])
    if case["expected"].get("idempotent"):
        again = extract_structure("\n\n".join(structure.paragraphs))
        assert again.paragraphs == structure.paragraphs


def check_structure(structure: Structure, expected: dict) -> None:
    """Check a structure against a golden case's ``expected`` keys (those given)."""
    for field in ("title", "language", "author", "published"):
        if field in expected:
            assert getattr(structure, field) == expected[field], field
    if "body" in expected:
        assert list(structure.paragraphs) == expected["body"]
    for paragraph in expected.get("kept", []):
        assert paragraph in structure.paragraphs
    if "removed" in expected:
        assert list(structure.removed) == [
            Removal(text, rule) for text, rule in expected["removed"]
        ]
    if "not_removed_by" in expected:
        assert expected["not_removed_by"] not in {removal.rule for removal in structure.removed}
    if "captions" in expected:
        assert list(structure.captions) == [Caption(*caption) for caption in expected["captions"]]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            case,
            id=f"{name}:{case['label']}",
            marks=[pytest.mark.xfail(strict=True)] if case["expect"] == "fail" else [],
        )
        for name, case in ALL_CASES
    ],
)
def test_case(case):
    check_case(case)


def test_every_rule_has_a_must_remove_and_a_must_keep_case():
    """Text rules have their cases here; markup rules in html.json (tests/structure/test_markup.py)."""
    html_cases = json.loads((CASES / "html.json").read_text(encoding="utf-8"))
    cases = [*ALL_CASES, *(("html.json", case) for case in html_cases)]
    removed_by = {
        rule
        for _, case in cases
        if case["expect"] == "pass"
        for _, rule in case["expected"].get("removed", [])
    }
    kept_from = {
        case["expected"]["not_removed_by"]
        for _, case in cases
        if case["expect"] == "pass" and "not_removed_by" in case["expected"]
    }
    assert set(RULES) - removed_by == set(), "rules without a must-remove case"
    assert set(RULES) - kept_from == set(), "rules without a must-keep case"


def test_recorded_rules_exist_and_match_their_text():
    """Every removal names a registered rule, and that rule's matcher accepts the text."""
    for _, case in ALL_CASES:
        for removal in extract_structure(case["input"]).removed:
            assert removal.rule in RULES
            # List rules also take the items after their heading; byline takes names near it;
            # comment_section takes the whole thread after its heading or first comment;
            # split_credit takes the name below its label.
            related = ("related_list", "related_box", "author_box")
            if removal.rule not in (
                *related,
                "tag_row",
                "byline",
                "comment_section",
                "split_credit",
            ):
                assert RULES[removal.rule].matcher(removal.text), removal


# Pathological texts as (label, text of n units); n is FULL at full size and FULL // SCALE for
# the short text each check compares it with (tests/growth.py: CPU time must grow about
# linearly, whatever else the machine is doing).
FULL = 100_000
PATHOLOGICAL: list[tuple[str, Callable[[int], str]]] = [
    ("a", lambda n: "a" * n),
    ("spaces", lambda n: " " * n),
    ("a-space", lambda n: "a " * (n // 2)),
    ("open brackets", lambda n: "(" * n),
    ("nested brackets", lambda n: "[" * (n // 2) + "]" * (n // 2)),
    ("digits", lambda n: "1 " * (n // 2)),
    ("by", lambda n: "by " * (n // 3)),
    ("share bars", lambda n: "Share | " * (n // 8)),
    ("cookies", lambda n: "cookies " * (n // 8)),
    ("dates", lambda n: "19 Nov " * (n // 7)),
    ("photo labels", lambda n: "Photo: " * (n // 7)),
    ("full stops", lambda n: ". " * (n // 2)),
    ("facebook then x", lambda n: "facebook" * (n // 8) + "x"),
]


def pathological_pair(label: str, make: Callable[[int], str]) -> Pair:
    return (label, make(FULL // SCALE), make(FULL))


PATHOLOGICAL_PAIRS = [pathological_pair(label, make) for label, make in PATHOLOGICAL]


def structure_patterns() -> dict[str, re.Pattern[str]]:
    """``module.NAME`` -> pattern, for every ``*_RE`` pattern of every structure module."""
    import ingest.structure

    patterns = {}
    for info in pkgutil.walk_packages(ingest.structure.__path__, prefix="ingest.structure."):
        module = importlib.import_module(info.name)
        for name in dir(module):
            value = getattr(module, name)
            if name.endswith("_RE") and isinstance(value, re.Pattern):
                patterns[f"{info.name}.{name}"] = value
    return patterns


@pytest.mark.parametrize("name", sorted(RULES))
def test_every_matcher_is_linear_on_pathological_text(name):
    matcher = RULES[name].matcher

    def match(text):
        matcher(text)
        matcher(text[:250])

    assert super_linear(match, PATHOLOGICAL_PAIRS) == []


@pytest.mark.parametrize("name", sorted(structure_patterns()))
def test_every_regex_is_linear_on_pathological_text(name):
    assert super_linear(structure_patterns()[name].search, PATHOLOGICAL_PAIRS) == []


@pytest.mark.parametrize(("label", "make"), PATHOLOGICAL, ids=[p[0] for p in PATHOLOGICAL])
def test_extraction_is_linear_on_pathological_text(label, make):
    def extract(text):
        extract_structure(text + "\n\n" + "\n".join([text[:200]] * 50))

    assert super_linear(extract, [pathological_pair(label, make)]) == []
