"""Invariants of decode_and_explain and repair_text, checked on generated inputs (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.errors import RejectInput
from ingest.read.decode import decode_and_explain
from ingest.reasons import REASONS
from ingest.repair.fixes import (
    FIX_STEPS,
    REPAIR_PROFILES,
    SENSITIVE_CHARS,
    repair_text,
    repair_with_profile,
)

SETTINGS = settings(max_examples=200, deadline=None)

# Any text, surrogates included; weighted towards the characters ftfy and our steps react to.
any_text = st.text(
    st.one_of(
        st.characters(codec=None, categories=None),
        st.characters(categories=["Cs", "Cc", "Zs", "Cf"]),
        st.sampled_from(list("Ã©â€™œ\x9d\x85&;#<\u00a0\u200b\u00ad\r\n ﬁ（）")),
    ),
    max_size=80,
)

# Real words (not letter soup: ftfy rightly suspects mojibake in gibberish such as "ßŁ") in several
# scripts, with accents, digits and CJK. Punctuation is followed by a space as in real text: ftfy
# reads "José”Łódź" as mojibake (a case in tests/cases/repair.json, expect "fail").
clean_word = st.sampled_from(
    "José Zoë Łódź naïve café Straße über garçon résumé Ærø Ωμέγα Αθήνα Москва жизнь Київ 日本語 "
    "東京 中文 北京 한국어 서울 the and article soldiers 2025 13 Trump".split()
)
clean_line = st.lists(
    st.tuples(clean_word, st.sampled_from([" ", "’s ", "” ", " — ", "–", "… ", ", "])), min_size=1
).map(lambda pairs: "“" + "".join(word + sep for word, sep in pairs) + "end.")
clean_text = st.lists(st.tuples(clean_line, st.sampled_from(["\n", "\n\n"])), min_size=1).map(
    lambda pairs: "".join(line + sep for line, sep in pairs)[:-1].rstrip("\n")
)

PROFILES = sorted(REPAIR_PROFILES)


@SETTINGS
@given(st.binary(max_size=300))
@example(b"\x00" * 10)
@example(b"\xff\xfe\x00")
@example(b"\xef\xbb\xbf\xff")
@example(b"\xff\xfe\x00\x00\x00\xd8\x00\x00")
def test_decoding_returns_text_or_rejects(raw):
    try:
        decoded = decode_and_explain(raw)
    except RejectInput as reject:
        assert reject.reason in REASONS
    else:
        assert isinstance(decoded.text, str)
        assert decoded.text.strip()
        assert decoded.encoding == decoded.encoding.lower()


@SETTINGS
@given(any_text, st.sampled_from(PROFILES))
@example("\ud800", "default")
@example("Ã\u200b©", "default")
@example("&amp;lt;b&amp;gt;", "default")
def test_repair_never_raises_and_is_idempotent(text, profile):
    repaired, fixes = repair_text(text, profile)
    assert repair_text(repaired, profile) == (repaired, ())
    assert set(fixes) <= set(FIX_STEPS)
    assert len(set(fixes)) == len(fixes)
    assert (fixes == ()) == (repaired == text)


@SETTINGS
@given(any_text)
def test_default_output_is_valid_utf8(text):
    repaired, _ = repair_text(text)
    repaired.encode("utf-8")


@SETTINGS
@given(clean_text)
@example("Zoë’s “naïve” café — 日本語。\n\nŁódź…")
def test_clean_text_passes_through_unchanged(text):
    assert repair_text(text) == (text, ())


@SETTINGS
@given(st.one_of(any_text, clean_text), st.sampled_from(PROFILES))
@example("Trumpâ€™s ﬁ （） &amp; \x85 ‘x’ e\u0301", "ftfy")
@example("日本語。\nÃ©\n한국어", "default")
def test_fast_path_equals_slow_path(text, profile):
    config = REPAIR_PROFILES[profile]
    assert repair_with_profile(text, config, SENSITIVE_CHARS[profile]) == repair_with_profile(
        text, config, None
    )


@pytest.mark.parametrize("profile", PROFILES)
def test_fast_path_equals_slow_path_on_every_sensitive_free_character(profile):
    """Every character the fast path would skip, next to ASCII and alone, leaves ftfy inert."""
    config = REPAIR_PROFILES[profile]
    sensitive = SENSITIVE_CHARS[profile]
    skipped = "".join(chr(code) for code in range(0x80, 0x3000) if chr(code) not in sensitive)
    for start in range(0, len(skipped), 50):
        chunk = "a" + skipped[start : start + 50] + " b"
        assert repair_with_profile(chunk, config, sensitive) == repair_with_profile(
            chunk, config, None
        )
