"""Fast paths of the structure stage give what the plain code gives, on generated text.

Each quick test that guards a pattern must be implied by the pattern: when the pattern matches,
the quick test passes, so skipping the pattern when it fails changes nothing.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.structure import captions, navigation
from ingest.structure.rules import footers, labels, sharing

# Tokens near the credit patterns' edges: their labels in several cases, the characters that
# IGNORECASE folds specially (ſ, İ, ı, K), brackets, separators and trailing newlines.
CREDIT_TOKENS = st.sampled_from(
    [
        *"Photo photo PHOTO Credit Image Foto Bild Quelle Crédito picture By by BY bY".split(),
        *"von VON Von AP AFP Getty Images Reuters dpa picture alliance Jane Doe Submitted".split(),
        *"File a the".split(),
        *":/|[]()., -–—\n\t",
        *"ſİıKÅé",
        "photo\n",
        "]\n",
        ")\n",
        " Submitted photo",
        " File photo\n",
        "(AP)",
        "[Reuters]\n",
        " via AP",
        *"BİLD Bıld İMAGE PİCTURE CREDİT Fotografie Photograph Bildquelle CRÉDITO".split(),
        ", Getty Images",
        " VIA Reuters/Jane",
    ]
)
CREDIT_TEXT = st.one_of(
    st.lists(CREDIT_TOKENS, max_size=30).map("".join),
    st.lists(CREDIT_TOKENS, max_size=20).map(" ".join),
    st.text(max_size=80),
)


@settings(max_examples=1500, deadline=None)
@given(CREDIT_TEXT)
def test_quick_credit_tests_never_skip_a_match(text):
    if captions.END_BRACKET_RE.search(text):
        assert text.endswith(captions.BRACKET_ENDINGS)
    if captions.CREDIT_LABEL_RE.search(text):
        assert captions.may_have_credit_label(text)
    if captions.AGENCY_END_RE.search(text):
        assert captions.may_have_agency_end(text)
    if captions.TRAILING_AGENCY_RE.search(text):
        assert captions.may_have_trailing_agency(text)
    if captions.GLUED_CREDIT_RE.search(text):
        assert captions.may_have_glued_credit(text)


# Tokens near the rules' edges, with the characters IGNORECASE folds specially.
RULE_TOKENS = st.sampled_from(
    [
        *"English Español Deutsch français EN | / · • , ; share Share SHARE tweet email".split(),
        *"facebook twitter facebooktwitter whatsapp on this via with Stocks cookies COOKIES".split(),
        *"cooKies cookie we use accept privacy © (c) copyright Copyright 2024 All rights".split(),
        *"RESERVED reſerved Reserved alle Rechte VORBEHALTEN todos los derechos reservados".split(),
        *"tous droits réservés RÉSERVÉS Home News World > » › Contact About @ @janedoe Jane".split(),
        *" \n\t.:-_[]()",
        *"ſİıKÅé",
    ]
)
RULE_TEXT = st.one_of(
    st.lists(RULE_TOKENS, max_size=25).map(" ".join),
    st.lists(RULE_TOKENS, max_size=25).map("".join),
    st.text(max_size=60),
)


@settings(max_examples=1500, deadline=None)
@given(RULE_TEXT)
def test_quick_rule_tests_never_skip_a_match(text):
    if footers.COOKIE_RE.search(text):
        assert "cook" in text.lower()
    if footers.COPYRIGHT_RE.search(text):
        assert footers.may_be_copyright_footer(text)
    if sharing.SOCIAL_HANDLE_RE.match(text):
        assert "@" in text
    words = [word.casefold() for word in sharing.WORD_RE.findall(text)]
    allowed = sharing.SHARE_WORDS | sharing.SHARE_FILLERS
    if (words and all(word in allowed for word in words)) or (
        len(words) == 1 and sharing.GLUED_SHARE_RE.match(words[0])
    ):
        assert sharing.may_be_share_row(text)


@settings(max_examples=1500, deadline=None)
@given(RULE_TEXT)
def test_first_row_item_is_the_first_part_of_the_split(text):
    parts = [part for part in labels.ROW_SEPARATOR_RE.split(text) if part]
    first = labels.ROW_ITEM_RE.search(text)
    assert (first.group() if first else None) == (parts[0] if parts else None)


@settings(max_examples=1500, deadline=None)
@given(RULE_TEXT)
def test_rows_hold_their_separator_characters(text):
    for separator, characters in (
        (navigation.BREADCRUMB_SEPARATOR_RE, navigation.BREADCRUMB_CHARS),
        (navigation.LINK_ROW_SEPARATOR_RE, navigation.LINK_ROW_CHARS),
    ):
        if separator.search(text):
            assert navigation.holds_any(text, characters)


@settings(max_examples=1500, deadline=None)
@given(
    st.one_of(RULE_TEXT, st.lists(st.sampled_from([*"•□☆○■★●◦▪▫◆◇►▸‣ -*", "Home"])).map("".join))
)
def test_a_line_without_a_leading_bullet_is_not_stripped(text):
    assert navigation.strip_bullet(text) == navigation.W3M_BULLET_RE.sub("", text, count=1)
