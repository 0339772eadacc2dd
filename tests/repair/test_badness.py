"""ingest.repair.badness.is_bad must give ftfy's answer on every text (it only skips hopeless positions)."""

from __future__ import annotations

import re

import ftfy
import ftfy.badness
import ftfy.fixes
import pytest
from ftfy.badness import MOJIBAKE_CATEGORIES
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.repair.badness import (
    ANCHOR_REACH,
    ANCHORS,
    MAX_ANCHORS_TRIED,
    NoAnchorError,
    find_anchors,
    ftfy_using_fast_is_bad,
    is_bad,
)

SETTINGS = settings(max_examples=3000, deadline=None)


def category_chars() -> str:
    """Every character named by ftfy's mojibake categories (ranges expanded)."""
    chars = set()
    for members in MOJIBAKE_CATEGORIES.values():
        for low, high in re.findall(r"(.)-(.)|", members):
            if low:
                chars.update(map(chr, range(ord(low), ord(high) + 1)))
        chars.update(members.replace("-", ""))
    return "".join(sorted(chars))


# Characters that matter to the pattern: its categories, the literals of its alternatives, the
# anchors, ASCII letters and punctuation it names, spaces of several kinds, and a few plain letters.
PATTERN_CHARS = category_chars() + "ÂÃÎÐØÙŒœ°√≈‚Äâóàäêвβ€ЂΒΓΞΟВГРСАЎЄ×²³" + "aZz .,?!\u00a0\t\n-é"

pattern_text = st.text(st.sampled_from(PATTERN_CHARS), max_size=12)
# Long enough to pass MAX_ANCHORS_TRIED anchors, where one search takes over.
long_pattern_text = st.text(st.sampled_from(PATTERN_CHARS), min_size=40, max_size=200)

# Real words and their mojibake in the encodings ftfy knows, mixed into one line.
WORDS = "José Zoë Łódź naïve café Straße über “quoted” Ωμέγα Москва жизнь — 2½ £5 ©2025 №1".split()
ENCODINGS = ["latin-1", "cp1252", "cp1251", "cp1253", "cp1250", "mac-roman", "cp437"]


@st.composite
def mixed_line(draw: st.DrawFn) -> str:
    parts = []
    for word in draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8)):
        encoding = draw(st.sampled_from([None, *ENCODINGS]))
        if encoding is not None:
            word = word.encode("utf-8").decode(encoding, errors="replace")
        parts.append(word)
    return draw(st.sampled_from([" ", "", "\u00a0"])).join(parts)


@SETTINGS
@given(st.one_of(pattern_text, long_pattern_text, mixed_line(), st.text(max_size=30)))
@example("aÃ ")  # the alternative whose anchor sits two characters in ("[a-z]\s?[ÃÂ][ ]")
@example("Ã ")  # "^[ÃÂ][ ]": only at the very start
@example("x Ã ")
@example("ГўВЂВ™s")
@example("")
def test_is_bad_agrees_with_ftfy(text: str) -> None:
    assert is_bad(text) == ftfy.badness.is_bad(text)


def test_every_character_alone_and_in_pairs_agrees_with_ftfy() -> None:
    """Each pattern character alone, after "a" and after a space, and each pair of them."""
    for first in PATTERN_CHARS:
        for text in (first, "a" + first, " " + first, first + "a"):
            assert is_bad(text) == ftfy.badness.is_bad(text), repr(text)
        for second in PATTERN_CHARS:
            text = first + second
            assert is_bad(text) == ftfy.badness.is_bad(text), repr(text)


def test_text_dense_with_anchors_agrees_with_ftfy() -> None:
    """All-caps Cyrillic and Greek are nearly all anchors: past MAX_ANCHORS_TRIED, one search."""
    for text in (
        "МОСКВА СТОЛИЦА РОССИИ " * 20,
        "ΑΘΗΝΑ ΠΡΩΤΕΥΟΥΣΑ " * 20,
        "ВСЕ ПРАВА " * 20 + "â€™",  # mojibake after the switch
        "Ä " * (MAX_ANCHORS_TRIED + 1) + "Ã©",
    ):
        assert is_bad(text) == ftfy.badness.is_bad(text), text[:40]
    # A match that starts at, or two characters before, the anchor where the search takes over.
    for count in range(MAX_ANCHORS_TRIED - 2, MAX_ANCHORS_TRIED + 3):
        for tail in ("Ã©", "x Ã ", "xÃ ", "¤¦"):
            text = "« " * count + tail
            assert is_bad(text) == ftfy.badness.is_bad(text) is True, (count, tail)


def test_anchors_are_non_ascii_and_rare_letters_are_preferred() -> None:
    assert ANCHORS and all(ord(char) > 0x7F for char in ANCHORS)
    assert ANCHOR_REACH <= 2
    # Plain lowercase accented letters and Greek/Cyrillic lowercase are not anchors: a line of
    # French, Russian or Greek without mojibake is tested without running the big pattern.
    assert not ANCHORS & set("éèàçôöüßñабвгдежαβγδ")


def test_a_pattern_with_an_ascii_only_alternative_is_refused() -> None:
    with pytest.raises(NoAnchorError):
        find_anchors(re.compile("[a-z]x|é"))


def test_ftfy_is_restored_after_the_block_even_on_error() -> None:
    original = ftfy.badness.is_bad
    with pytest.raises(RuntimeError), ftfy_using_fast_is_bad():
        assert ftfy.is_bad is is_bad
        assert ftfy.fixes.is_bad is is_bad
        raise RuntimeError
    assert ftfy.is_bad is original
    assert ftfy.fixes.is_bad is original


def test_nested_blocks_keep_the_swap_until_the_last_closes_and_restore_what_was_there(
    monkeypatch,
) -> None:
    def stand_in(text: str) -> bool:
        return ftfy.badness.is_bad(text)

    monkeypatch.setattr(ftfy, "is_bad", stand_in)  # someone's patch, set before
    with ftfy_using_fast_is_bad():
        with ftfy_using_fast_is_bad():
            assert ftfy.is_bad is is_bad
        assert ftfy.is_bad is is_bad  # the outer block is still open
    assert ftfy.is_bad is stand_in
    assert ftfy.fixes.is_bad is ftfy.badness.is_bad
