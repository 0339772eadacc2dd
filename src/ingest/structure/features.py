"""Numbers that describe each paragraph and its context, for the content model.

A paragraph's own shape (length, sentence marks, case, digits, link-like and list-like shape,
stop-word share) says little on plain text; where it sits says most: its position, its distance
to the article's run of prose, its neighbours' shape, whether the named rules removed them, and
whether the text repeats it. Whether each named rule's matcher fires is a feature too, for the
paragraphs short enough to be debris (``rules.MAX_DEBRIS_CHARS``). Each feature is computed once
per paragraph, and its name is in :data:`FEATURE_NAMES` in the order of the columns of
:func:`paragraph_features`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ingest.structure.debris import Zones, is_article_prose
from ingest.structure.paragraphs import LIST_ITEM_RE, SENTENCE_BREAK_RE, TERMINAL_PUNCT_RE
from ingest.structure.rules import RULES
from ingest.structure.rules.links import MAX_LINK_CHARS
from ingest.structure.rules.registry import MAX_DEBRIS_CHARS

# A word as the scorer and the stop-word lists count it: a run of letters, digits or "_".
WORD_RE = re.compile(r"\w+")
# Punctuation inside running text: commas, stops, colons, semicolons, question and exclamation
# marks. Must not match a dash or a bracket (menus and credits use those).
PUNCT_RE = re.compile(r"[,.;:!?]")
# The separators of a row of links, breadcrumbs or tags: " | ", " · ", " » ", " / ", bullets.
# Must not match a hyphen inside a word or a slash inside a date ("24/7").
SEPARATOR_RE = re.compile(r"\s[|·»›/•]\s|\s?[|•»›]\s?")
SEPARATOR_CHARS = "|·»›/•"
# An address or a handle: "www.example.com", "https://...", "@janedoe", "jane@example.com".
# Must not match an "@" between spaces ("5 @ 10").
URL_RE = re.compile(r"https?://|www\.|\w@\w|(?:^|\s)@\w")
# The first character of each word (what follows the start or a space).
INITIAL_RE = re.compile(r"(?<!\S)\S")
# A paragraph in brackets or opening with one: "[Image]", "(AP)", "[+] Show more".
BRACKET_RE = re.compile(r"^[\[(]")
# A paragraph that opens with a quotation mark: someone speaking.
QUOTE_RE = re.compile(r"^[\"'„“”«»‚‘]")

# The shape of one paragraph, from its text (and whether the named rules kept it).
BASE_NAMES = (
    "log_chars",
    "log_words",
    "mean_word_chars",
    "terminal_punct",
    "sentence_breaks",
    "punct_per_word",
    "upper_share",
    "starts_upper",
    "capitalised_words",
    "digit_share",
    "link_like",
    "list_item",
    "separators",
    "ends_colon",
    "url_or_handle",
    "bracketed",
    "quote_start",
    "stopword_share",
    "prose",
    "kept",
)
# The part of a neighbour's shape that is worth a column of its own.
NEIGHBOUR_NAMES = (
    "log_chars",
    "terminal_punct",
    "link_like",
    "list_item",
    "stopword_share",
    "prose",
    "kept",
)
# Neighbours by offset: two before and two after. One that does not exist is all zeros and
# says so in its ``exists`` column.
NEIGHBOUR_OFFSETS = (-2, -1, 1, 2)
# Paragraphs this far either side make the window whose prose share is measured.
WINDOW = 3
# Where the paragraph sits in the text.
POSITION_NAMES = (
    "position",
    "char_position",
    "in_head",
    "in_tail",
    "run_distance",
    "run_share",
    "prose_window",
    "kept_window",
    "log_paragraphs",
    "repeats",
)
# The text rules, one feature each (markup rules judge HTML elements, not a paragraph's text).
TEXT_RULES = tuple(rule for rule in RULES.values() if rule.where != "markup")
RULE_NAMES = tuple(f"rule:{rule.name}" for rule in TEXT_RULES)
FEATURE_NAMES = (
    *BASE_NAMES,
    *(
        f"{offset:+d}:{name}"
        for offset in NEIGHBOUR_OFFSETS
        for name in (*NEIGHBOUR_NAMES, "exists")
    ),
    *POSITION_NAMES,
    *RULE_NAMES,
)
NEIGHBOUR_COLUMNS = tuple(BASE_NAMES.index(name) for name in NEIGHBOUR_NAMES)
# Shares and counts (capitals, digits, stop words, punctuation, separators) are read from a
# paragraph's first this many characters: they are settled by then, and a long paragraph then
# costs no more than a short one.
SAMPLE_CHARS = 300
# A sentence's end is looked for in this many characters at the end (TERMINAL_PUNCT_RE matches
# at most four).
TAIL_CHARS = 8
# Longer words and longer texts add nothing: the logarithms and shares are capped here.
MAX_WORD_CHARS = 20.0
MAX_SEPARATORS = 5
MAX_REPEATS = 3
# What the named rules say of a paragraph longer than any debris they test.
NO_RULES = [0.0] * len(RULE_NAMES)
ZERO_BASE = [0.0] * len(BASE_NAMES)


def count_separators(text: str) -> int:
    """How many row separators a text holds, at most MAX_SEPARATORS (the regex runs only when
    one of their characters is there: most paragraphs have none)."""
    if not any(ch in text for ch in SEPARATOR_CHARS):
        return 0
    return min(MAX_SEPARATORS, len(SEPARATOR_RE.findall(text)))


def has_address(text: str) -> bool:
    """Whether a text holds an address or a handle (URL_RE), tested only when it could."""
    return ("@" in text or "www." in text or "http" in text) and URL_RE.search(text) is not None


def base_features(text: str, kept: bool, stopwords: frozenset[str]) -> list[float]:
    """The shape of one paragraph, as the columns of :data:`BASE_NAMES`.

    >>> f = dict(zip(BASE_NAMES, base_features("Share | Tweet", False, frozenset())))
    >>> f["separators"], f["terminal_punct"], f["kept"]
    (0.2, 0.0, 0.0)
    """
    sample = text[:SAMPLE_CHARS]
    words = sample.split()
    tokens = WORD_RE.findall(sample.lower())
    letters = sum(map(str.isalpha, sample))
    n_words = max(1, len(words))
    all_words = text.count(" ") + 1
    return [
        math.log1p(len(text)),
        math.log1p(all_words),
        min(MAX_WORD_CHARS, len(text) / all_words),
        float(TERMINAL_PUNCT_RE.search(text[-TAIL_CHARS:]) is not None),
        math.log1p(len(SENTENCE_BREAK_RE.findall(sample))),
        len(PUNCT_RE.findall(sample)) / n_words,
        sum(map(str.isupper, sample)) / letters if letters else 0.0,
        float(text[:1].isupper()),
        sum(map(str.isupper, INITIAL_RE.findall(sample))) / n_words,
        sum(map(str.isdigit, sample)) / max(1, len(sample)),
        float(len(text) <= MAX_LINK_CHARS and not TERMINAL_PUNCT_RE.search(text)),
        float(LIST_ITEM_RE.match(text) is not None),
        count_separators(sample) / MAX_SEPARATORS,
        float(text.rstrip().endswith(":")),
        float(has_address(sample)),
        float(BRACKET_RE.match(text) is not None),
        float(QUOTE_RE.match(text) is not None),
        sum(map(stopwords.__contains__, tokens)) / len(tokens) if tokens else 0.0,
        float(is_article_prose(text)),
        float(kept),
    ]


def window_share(values: Sequence[float], weights: Sequence[float], index: int) -> float:
    """The weighted share of ``values`` in the window of WINDOW paragraphs around ``index``."""
    start, end = max(0, index - WINDOW), min(len(values), index + WINDOW + 1)
    total = sum(weights[start:end])
    return sum(v * w for v, w in zip(values[start:end], weights[start:end], strict=True)) / total


def paragraph_features(
    paragraphs: Sequence[str],
    kept: Sequence[bool],
    rows: Sequence[int],
    zones: Zones,
    stopwords: frozenset[str],
) -> np.ndarray:
    """The features (columns :data:`FEATURE_NAMES`) of the paragraphs at ``rows``.

    ``kept`` says for every paragraph whether the named rules left it in the body; ``zones``
    is where the article's run of prose lies (``debris.find_zones``); ``stopwords`` is the
    stop-word list of the text's language (empty when there is none).
    """
    count = len(paragraphs)
    # Only the rows and their neighbours need a paragraph's shape (a page's menus are far away).
    reach = max(NEIGHBOUR_OFFSETS)
    needed = {near for index in rows for near in range(index - reach, index + reach + 1)}
    needed &= set(range(count))
    base = dict.fromkeys(range(count), ZERO_BASE)
    for index in sorted(needed):
        base[index] = base_features(paragraphs[index], kept[index], stopwords)
    lengths = [len(text) + 1 for text in paragraphs]
    total_chars = sum(lengths)
    starts = [0, *np.cumsum(lengths).tolist()]
    prose = [float(is_article_prose(text)) for text in paragraphs]
    kept_values = [float(k) for k in kept]
    repeats = Counter(paragraphs)
    width = len(NEIGHBOUR_NAMES) + 1
    out = np.zeros((len(rows), len(FEATURE_NAMES)), dtype=np.float64)
    for row, index in enumerate(rows):
        text = paragraphs[index]
        values = list(base[index])
        for offset in NEIGHBOUR_OFFSETS:
            near = index + offset
            if 0 <= near < count:
                values += [base[near][column] for column in NEIGHBOUR_COLUMNS] + [1.0]
            else:
                values += [0.0] * width
        if index < zones.head_end:
            distance = zones.head_end - index
        elif index >= zones.tail_start:
            distance = index - zones.tail_start + 1
        else:
            distance = 0
        values += [
            index / max(1, count - 1),
            starts[index] / total_chars,
            float(index < zones.head_end),
            float(index >= zones.tail_start),
            math.log1p(distance),
            max(0, zones.tail_start - zones.head_end) / count,
            window_share(prose, lengths, index),
            window_share(kept_values, lengths, index),
            math.log1p(count),
            min(MAX_REPEATS, repeats[text] - 1) / MAX_REPEATS,
        ]
        if len(text) <= MAX_DEBRIS_CHARS:
            values += [float(rule.matcher(text)) for rule in TEXT_RULES]
        else:
            values += NO_RULES
        out[row] = values
    return out
