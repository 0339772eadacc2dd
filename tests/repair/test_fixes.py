"""repair_text against the golden cases in tests/cases/{repair,passthrough}.json, and its tables."""

from __future__ import annotations

import json
from pathlib import Path

import ftfy
import pytest

from ingest.read.decode import REPLACED_INVALID_UTF8
from ingest.repair.fixes import FIX_STEPS, REPAIR_PROFILES, repair_text

CASES = Path(__file__).resolve().parents[1] / "cases"
CASE_FILES = ("repair.json", "passthrough.json")


def load_cases(name: str) -> list[dict]:
    return json.loads((CASES / name).read_text(encoding="utf-8"))


def case_params(name: str) -> list:
    params = []
    for case in load_cases(name):
        marks = []
        if case["expect"] == "fail":
            marks.append(pytest.mark.xfail(strict=True, reason=case["comment"]))
        params.append(pytest.param(case, marks=marks, id=case["label"]))
    return params


@pytest.mark.parametrize("case", case_params("repair.json"))
def test_repair_case(case):
    text, fixes = repair_text(case["input"], case.get("profile", "default"))
    assert (text, list(fixes)) == (case["expected"]["text"], case["expected"]["fixes"])


@pytest.mark.parametrize("case", case_params("passthrough.json"))
def test_passthrough_case(case):
    assert case["expected"] == {"text": case["input"], "fixes": []}, "a passthrough case changes"
    text, fixes = repair_text(case["input"])
    assert text == case["input"]
    assert fixes == ()


@pytest.mark.parametrize("name", CASE_FILES)
def test_case_files_are_well_formed(name):
    cases = load_cases(name)
    assert cases
    labels = [case["label"] for case in cases]
    assert len(labels) == len(set(labels)), "labels must be unique"
    for case in cases:
        assert {"label", "comment", "input", "expected", "expect"} <= set(case)
        assert case["expect"] in {"pass", "fail"}
        assert case.get("profile", "default") in REPAIR_PROFILES
        assert set(case["expected"]["fixes"]) <= set(FIX_STEPS), case["label"]


def test_every_own_fix_step_has_a_golden_case():
    produced = {fix for case in load_cases("repair.json") for fix in case["expected"]["fixes"]}
    own_steps = {name for name in FIX_STEPS if not name.startswith(("ftfy:", "decode:"))}
    assert own_steps <= produced


def test_fix_steps_cover_every_ftfy_fixer():
    for name, value in ftfy.TextFixerConfig()._asdict().items():
        if isinstance(value, bool) and name in ftfy.FIXERS:
            assert {f"ftfy:apply:{name}", f"ftfy:transcode:{name}"} & set(FIX_STEPS), name
    assert REPLACED_INVALID_UTF8 in FIX_STEPS


def test_default_profile_keeps_what_the_contract_keeps():
    config = REPAIR_PROFILES["default"].ftfy
    assert config.uncurl_quotes is False
    assert config.fix_latin_ligatures is False
    assert config.fix_character_width is False
    assert config.fix_encoding is True
    assert REPAIR_PROFILES["default"].nfc is True


def test_profiles_differ_where_documented():
    text = "“ﬁne” &amp; Trumpâ€™s\u0007"
    assert repair_text(text, "default")[0] == "“ﬁne” & Trump’s"
    assert repair_text(text, "ftfy")[0] == '"fine" & Trump\'s'
    assert repair_text(text, "minimal")[0] == "“ﬁne” & Trump’s\u0007"


def test_unknown_profile_is_a_key_error():
    with pytest.raises(KeyError):
        repair_text("x", "no-such-profile")


def test_fixes_are_in_order_of_first_application_without_repeats():
    text, fixes = repair_text("Trumpâ€™s\r\n\r\n\r\nTrumpâ€™s\r\nA\u00a0b ")
    assert text == "Trump’s\n\nTrump’s\nA b"
    assert fixes == (
        "newlines_to_lf",
        "ftfy:encode:sloppy-windows-1252",
        "ftfy:decode:utf-8",
        "odd_spaces_to_space",
        "trailing_spaces_trimmed",
        "blank_lines_collapsed",
    )


def test_repair_reaches_a_fixed_point_when_a_step_uncovers_mojibake():
    # Removing the zero-width space joins "Ã" and "©": the next pass repairs it.
    text, fixes = repair_text("caf\u00c3\u200b\u00a9 ok")
    assert text == "café ok"
    assert repair_text(text) == (text, ())
    assert "zero_width_removed" in fixes


def test_surrogate_pair_is_joined():
    # Not in repair.json: JSON parsers join an escaped surrogate pair into one character.
    assert repair_text("\ud83d\ude00 pair") == ("😀 pair", ("ftfy:apply:fix_surrogates",))


def test_long_line_is_repaired_in_segments():
    text = "Trumpâ€™s " * 200_000  # 1.8 million characters on one line, over ftfy's segment size
    repaired, fixes = repair_text(text)
    assert repaired == ("Trump’s " * 200_000).rstrip()
    assert "ftfy:decode:utf-8" in fixes
