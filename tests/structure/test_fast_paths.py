"""Fast paths of the structure stage give what the plain code gives, on generated text.

Each quick test that guards a pattern must be implied by the pattern: when the pattern matches,
the quick test passes, so skipping the pattern when it fails changes nothing.
"""

from __future__ import annotations

import math

from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.structure import captions, features, navigation
from ingest.structure.debris import is_article_prose
from ingest.structure.paragraphs import LIST_ITEM_RE, SENTENCE_BREAK_RE, TERMINAL_PUNCT_RE
from ingest.structure.rules import footers, labels, sharing
from ingest.structure.rules.links import MAX_LINK_CHARS


def texts_of(tokens: st.SearchStrategy[str], spaced: int, glued: int, free: int):
    """Texts of up to ``spaced`` tokens joined by spaces, of up to ``glued`` tokens glued
    together, or of up to ``free`` arbitrary characters."""
    return st.one_of(
        st.lists(tokens, max_size=glued).map("".join),
        st.lists(tokens, max_size=spaced).map(" ".join),
        st.text(max_size=free),
    )


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
CREDIT_TEXT = texts_of(CREDIT_TOKENS, spaced=20, glued=30, free=80)


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
RULE_TEXT = texts_of(RULE_TOKENS, spaced=25, glued=25, free=60)


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


def reference_text_features(text: str, stopwords: frozenset[str]) -> dict[str, float]:
    """The text columns of the content model's features, one paragraph at a time, as the
    features were first written: the reference the column-wise code must equal."""
    sample = text[: features.SAMPLE_CHARS]
    tokens = features.WORD_RE.findall(sample.lower())
    separators = (
        min(features.MAX_SEPARATORS, len(features.SEPARATOR_RE.findall(sample)))
        if any(ch in sample for ch in "|·»›/•")
        else 0
    )
    return {
        "terminal_punct": float(TERMINAL_PUNCT_RE.search(text[-features.TAIL_CHARS :]) is not None),
        "sentence_breaks": math.log1p(len(SENTENCE_BREAK_RE.findall(sample))),
        "link_like": float(len(text) <= MAX_LINK_CHARS and not TERMINAL_PUNCT_RE.search(text)),
        "list_item": float(LIST_ITEM_RE.match(text) is not None),
        "separators": separators / features.MAX_SEPARATORS,
        "ends_colon": float(text.rstrip().endswith(":")),
        "url_or_handle": float(features.URL_RE.search(sample) is not None),
        "bracketed": float(features.BRACKET_RE.match(text) is not None),
        "quote_start": float(features.QUOTE_RE.match(text) is not None),
        "stopword_share": sum(map(stopwords.__contains__, tokens)) / len(tokens) if tokens else 0.0,
        "prose": float(is_article_prose(text)),
    }


# Paragraph-like text near the features' edges: separators, sentence ends, quotes, brackets,
# addresses, list marks, stop words, capitals that lowercase specially (İ, Σ), trailing spaces.
FEATURE_TOKENS = st.sampled_from(
    [
        *"The the and of a Share Tweet Home News 2019 Σ ΟΔΟΣ İstanbul ſ Straße ß _ x".split(),
        *"| · » › / • - * 1. 2) : ; . ! ? … ” ’ » ) ] [ ( “ „ ' \" @ @jane www. http://".split(),
        *" \t\n",
        "The council met on Tuesday and voted on the budget. ",
        "a@b.com ",
        "Dr.Who 3.5 mm ",
    ]
)
FEATURE_TEXT = texts_of(FEATURE_TOKENS, spaced=40, glued=120, free=400)
STOPWORDS = st.sampled_from([frozenset(), frozenset({"the", "and", "of", "a", "οδος", "ſ"})])


@settings(max_examples=600, deadline=None)
@given(st.lists(FEATURE_TEXT, min_size=1, max_size=6), STOPWORDS)
@example(
    ["Tags: ", "Read more:\t", "x" * MAX_LINK_CHARS, "x" * (MAX_LINK_CHARS + 1) + "."], frozenset()
)
@example(["The end.”\n", "ΟΔΟΣ of the", "a | b | c | d | e | f | g", "@jane"], frozenset({"the"}))
def test_text_columns_equal_the_per_paragraph_reference(texts, stopwords):
    samples = [text[: features.SAMPLE_CHARS] for text in texts]
    columns = features.text_columns(texts, samples, stopwords)
    for row, text in enumerate(texts):
        expected = reference_text_features(text, stopwords)
        assert {name: float(values[row]) for name, values in columns.items()} == expected


def reference_class_counts(sample: str) -> dict[int, int]:
    """class_counts of one sample, character by character (a character beyond the Basic
    Multilingual Plane has no class)."""
    bmp = [ch if ord(ch) < features.BMP_SIZE else "\0" for ch in sample]
    words = [
        ch
        for index, ch in enumerate(bmp)
        if not ch.isspace() and (index == 0 or bmp[index - 1].isspace())
    ]
    return {
        features.UPPER: sum(ch.isupper() for ch in bmp),
        features.LETTER: sum(ch.isalpha() for ch in bmp),
        features.DIGIT: sum(ch.isdigit() for ch in bmp),
        features.PUNCT: sum(ch in features.PUNCT_CHARS for ch in bmp),
        features.INITIAL: len(words),
        features.INITIAL | features.UPPER: sum(ch.isupper() for ch in words),
    }


@settings(max_examples=600, deadline=None)
@given(st.lists(FEATURE_TEXT, max_size=6))
@example(["", "Ab 1, c.", "", "\U0001d400\U0001d400 X \u2003Y"])
def test_class_counts_in_one_pass_equal_counting_each_character(samples):
    counts = features.class_counts(samples)
    for row, sample in enumerate(samples):
        expected = reference_class_counts(sample)
        assert {key: int(values[row]) for key, values in counts.items()} == expected
