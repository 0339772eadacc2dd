"""Numbers that describe each paragraph and its context, for the content model.

A paragraph's own shape (length, sentence marks, case, digits, link-like and list-like shape,
stop-word share) says little on plain text; where it sits says most: its position, its distance
to the article's run of prose, its neighbours' shape, whether the named rules removed them, and
whether the text repeats it. What the named rules decided is a feature too: the kind of rule
(the module of :mod:`ingest.structure.rules` it belongs to) that removed each neighbour, taken
from the rules' own verdicts rather than by running their matchers again. Each paragraph's shape
is computed once, and the columns that combine paragraphs are NumPy operations over the whole
text; the names are in :data:`FEATURE_NAMES` in the order of the columns of
:func:`paragraph_features`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from operator import itemgetter, methodcaller

import numpy as np

from ingest.structure.debris import Zones, is_article_prose
from ingest.structure.paragraphs import (
    LIST_ITEM_RE,
    SENTENCE_BREAK_RE,
    TAIL_CHARS,
    TERMINAL_PUNCT_RE,
)
from ingest.structure.rules import comments, credits, footers, head, labels, links, sharing
from ingest.structure.rules.links import MAX_LINK_CHARS
from ingest.structure.rules.registry import Rule

# A word as the scorer and the stop-word lists count it: a run of letters, digits or "_".
WORD_RE = re.compile(r"\w+")
# The separators of a row of links, breadcrumbs or tags: " | ", " · ", " » ", " / ", bullets.
# Must not match a hyphen inside a word or a slash inside a date ("24/7").
SEPARATOR_RE = re.compile(r"\s[|·»›/•]\s|\s?[|•»›]\s?")
# Any character a separator is made of: a text without one has no separator (a quick test
# before SEPARATOR_RE). Must match every character of both SEPARATOR_RE alternatives.
SEPARATOR_CHAR_RE = re.compile(r"[|·»›/•]")
# An address or a handle: "www.example.com", "https://...", "@janedoe", "jane@example.com".
# Must not match an "@" between spaces ("5 @ 10").
URL_RE = re.compile(r"https?://|www\.|\w@\w|(?:^|\s)@\w")
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
# The kinds of named rule, as :mod:`ingest.structure.rules` groups them by module.
RULE_KIND_MODULES = {
    "labels": labels,
    "sharing": sharing,
    "footers": footers,
    "links": links,
    "comments": comments,
    "head": head,
    "credits": credits,
}
RULE_KINDS = tuple(RULE_KIND_MODULES)
# The kind of each rule, by rule name (a rule removing a neighbour says what is around).
KIND_OF_RULE = {
    value.name: kind
    for kind, module in RULE_KIND_MODULES.items()
    for value in vars(module).values()
    if isinstance(value, Rule)
}
RULE_NAMES = tuple(
    f"{offset:+d}:rule:{kind}" for offset in NEIGHBOUR_OFFSETS for kind in RULE_KINDS
)
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
# Longer words and longer texts add nothing: the logarithms and shares are capped here.
MAX_WORD_CHARS = 20.0
MAX_SEPARATORS = 5
MAX_REPEATS = 3
# Whether a (right-stripped) text ends in a colon: a heading or a label before a list.
ENDS_COLON = methodcaller("endswith", ":")
# A text's spaces (its words, less one) and its first character (empty for an empty text).
COUNT_SPACES = methodcaller("count", " ")
FIRST_CHAR = itemgetter(slice(0, 1))
# Character classes, as bits of character_classes(); INITIAL marks a word's first character.
UPPER, LETTER, DIGIT, SPACE, PUNCT, INITIAL = 1, 2, 4, 8, 16, 32
BMP_SIZE = 0x10000
# The keys class_counts counts by: characters of each class, words, and capitalised words.
COUNTED_KEYS = np.array([UPPER, LETTER, DIGIT, PUNCT, INITIAL, INITIAL | UPPER], dtype=np.uint8)
PUNCT_CHARS = ",.;:!?"


def count_separators(text: str) -> int:
    """How many row separators a text holds, at most MAX_SEPARATORS (the regex runs only when
    one of their characters is there: most paragraphs have none)."""
    if SEPARATOR_CHAR_RE.search(text) is None:
        return 0
    return min(MAX_SEPARATORS, len(SEPARATOR_RE.findall(text)))


def has_address(text: str) -> bool:
    """Whether a text holds an address or a handle (URL_RE), tested only when it could."""
    return ("@" in text or "www." in text or "http" in text) and URL_RE.search(text) is not None


def stopword_share(sample: str, stopwords: frozenset[str]) -> float:
    """The share of a sample's words (WORD_RE, lowercased) that are stop words.

    >>> stopword_share("The Storm and the coast", frozenset({"the", "and"}))
    0.6
    """
    tokens = WORD_RE.findall(sample.lower())
    return sum(map(stopwords.__contains__, tokens)) / len(tokens) if tokens else 0.0


def stopword_shares(samples: Sequence[str], stopwords: frozenset[str]) -> np.ndarray:
    """:func:`stopword_share` of each sample; all zeros without a stop-word list (no word is
    one), without tokenising."""
    if not stopwords:
        return np.zeros(len(samples))
    shares = (stopword_share(sample, stopwords) for sample in samples)
    return np.fromiter(shares, dtype=np.float64, count=len(samples))


def flags(values: Iterable[object], count: int) -> np.ndarray:
    """Each value's truth as 1.0 or 0.0 (a match object or None, a bool)."""
    return np.fromiter(map(bool, values), dtype=np.float64, count=count)


@lru_cache(maxsize=1)
def character_classes() -> np.ndarray:
    """The classes of every character of the Basic Multilingual Plane, as bits (UPPER, LETTER,
    DIGIT, SPACE, PUNCT) by code point; one more entry, of no class, stands for the characters
    beyond it. Built once per process, so that counting them is a NumPy lookup."""
    table = np.zeros(BMP_SIZE + 1, dtype=np.uint8)
    for code in range(BMP_SIZE):
        char = chr(code)
        table[code] = (
            UPPER * char.isupper()
            | LETTER * char.isalpha()
            | DIGIT * char.isdigit()
            | SPACE * char.isspace()
            | PUNCT * (char in PUNCT_CHARS)
        )
    return table


def class_counts(samples: Sequence[str]) -> dict[int, np.ndarray]:
    """For each sample, how many of its characters are of each class (by class bit), and
    (under key ``INITIAL``) how many words it has and (``INITIAL | UPPER``) how many of them
    start with a capital."""
    lengths = np.fromiter(map(len, samples), dtype=np.intp, count=len(samples))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    codes = np.frombuffer("".join(samples).encode("utf-32-le"), dtype=np.uint32)
    classes = character_classes()[np.minimum(codes, BMP_SIZE)]
    # A word starts at a character that is not a space after a space or at a sample's start.
    after_space = np.ones(len(codes), dtype=bool)
    after_space[1:] = (classes[:-1] & SPACE) > 0
    after_space[starts[lengths > 0]] = True
    classes |= (after_space & ((classes & SPACE) == 0)) * np.uint8(INITIAL)
    # A running count per key (a character counts for a key when it has all of the key's
    # bits), in one buffer that each key reuses: the memory is that of one count, not six.
    summed = np.zeros(len(codes) + 1, dtype=np.intp)
    counts = {}
    for key in COUNTED_KEYS:
        np.cumsum((classes & key) == key, dtype=np.intp, out=summed[1:])
        counts[int(key)] = summed[ends] - summed[starts]
    return counts


def text_columns(
    texts: Sequence[str], samples: Sequence[str], stopwords: frozenset[str]
) -> dict[str, np.ndarray]:
    """The columns of :data:`BASE_NAMES` that need the texts' own tests (regexes, words), by
    name; ``samples`` are the texts' first SAMPLE_CHARS characters. Each column is one pass of
    a compiled test over all texts (``map``), not a Python call per paragraph."""
    count = len(texts)
    chars = np.fromiter(map(len, texts), dtype=np.intp, count=count)
    # TERMINAL_PUNCT_RE matches at most four characters before the end, so testing the tail
    # is testing the whole text.
    terminal = flags(map(TERMINAL_PUNCT_RE.search, [text[-TAIL_CHARS:] for text in texts]), count)
    breaks = map(len, map(SENTENCE_BREAK_RE.findall, samples))
    separators = np.fromiter(map(count_separators, samples), dtype=np.float64, count=count)
    return {
        "terminal_punct": terminal,
        "sentence_breaks": np.fromiter(map(math.log1p, breaks), dtype=np.float64, count=count),
        "link_like": ((chars <= MAX_LINK_CHARS) & (terminal == 0)).astype(np.float64),
        "list_item": flags(map(LIST_ITEM_RE.match, texts), count),
        "separators": separators / MAX_SEPARATORS,
        "ends_colon": flags(map(ENDS_COLON, map(str.rstrip, texts)), count),
        "url_or_handle": flags(map(has_address, samples), count),
        "bracketed": flags(map(BRACKET_RE.match, texts), count),
        "quote_start": flags(map(QUOTE_RE.match, texts), count),
        "stopword_share": stopword_shares(samples, stopwords),
        "prose": flags(map(is_article_prose, texts), count),
    }


def shape_features(
    texts: Sequence[str], kept: Sequence[bool], stopwords: frozenset[str]
) -> np.ndarray:
    """The shape of each paragraph, as the columns of :data:`BASE_NAMES` (one row per text).

    >>> f = dict(zip(BASE_NAMES, shape_features(["Share | Tweet"], [False], frozenset())[0]))
    >>> [round(float(f[name]), 3) for name in ("separators", "terminal_punct", "capitalised_words")]
    [0.2, 0.0, 0.667]
    """
    out = np.zeros((len(texts), len(BASE_NAMES)))
    if not texts:
        return out
    samples = [text[:SAMPLE_CHARS] for text in texts]
    counts = class_counts(samples)
    chars = np.fromiter(map(len, texts), dtype=np.float64, count=len(texts))
    sample_chars = np.fromiter(map(len, samples), dtype=np.float64, count=len(texts))
    all_words = np.fromiter(map(COUNT_SPACES, texts), dtype=np.float64, count=len(texts)) + 1.0
    words = np.maximum(1, counts[INITIAL])
    letters = counts[LETTER]
    column = BASE_NAMES.index
    out[:, column("log_chars")] = np.log1p(chars)
    out[:, column("log_words")] = np.log1p(all_words)
    out[:, column("mean_word_chars")] = np.minimum(MAX_WORD_CHARS, chars / all_words)
    out[:, column("punct_per_word")] = counts[PUNCT] / words
    out[:, column("upper_share")] = np.where(letters > 0, counts[UPPER] / np.maximum(1, letters), 0)
    out[:, column("starts_upper")] = flags(map(str.isupper, map(FIRST_CHAR, texts)), len(texts))
    out[:, column("capitalised_words")] = counts[INITIAL | UPPER] / words
    out[:, column("digit_share")] = counts[DIGIT] / np.maximum(1, sample_chars)
    for name, values in text_columns(texts, samples, stopwords).items():
        out[:, column(name)] = values
    out[:, column("kept")] = kept
    return out


def window_shares(values: np.ndarray, weights: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The weighted share of ``values`` in the window of WINDOW paragraphs around each row."""
    summed = np.concatenate([[0.0], np.cumsum(values * weights)])
    total = np.concatenate([[0.0], np.cumsum(weights)])
    start = np.maximum(0, rows - WINDOW)
    end = np.minimum(len(values), rows + WINDOW + 1)
    return (summed[end] - summed[start]) / (total[end] - total[start])


def paragraph_features(
    paragraphs: Sequence[str],
    kept: Sequence[bool],
    removed: Mapping[int, str],
    rows: Sequence[int],
    zones: Zones,
    stopwords: frozenset[str],
) -> np.ndarray:
    """The features (columns :data:`FEATURE_NAMES`) of the paragraphs at ``rows``.

    ``kept`` says for every paragraph whether the named rules left it in the body, ``removed``
    maps the paragraphs they removed to the rule's name; ``zones`` is where the article's run of
    prose lies (``debris.find_zones``); ``stopwords`` is the stop-word list of the text's
    language (empty when there is none).
    """
    count = len(paragraphs)
    at = np.asarray(rows, dtype=np.intp)
    reach = max(NEIGHBOUR_OFFSETS)
    # Rows of the padded tables below: ``reach`` rows of zeros either side, so that a missing
    # neighbour is zeros; ``around`` holds each row's neighbours, in NEIGHBOUR_OFFSETS order.
    padded = at + reach
    around = padded[:, None] + np.asarray(NEIGHBOUR_OFFSETS, dtype=np.intp)
    # Only the rows and their neighbours need a paragraph's shape (a page's menus are far away).
    needed = np.zeros(count + 2 * reach, dtype=bool)
    needed[(at[:, None] + np.arange(2 * reach + 1)).ravel()] = True
    base = np.zeros((count + 2 * reach, len(BASE_NAMES)))
    shaped = np.flatnonzero(needed[reach : reach + count])
    indices = shaped.tolist()
    base[shaped + reach] = shape_features(
        [paragraphs[i] for i in indices], [kept[i] for i in indices], stopwords
    )
    # What a neighbour contributes (NEIGHBOUR_NAMES, then ``exists``), by padded row.
    neighbour_table = np.zeros((count + 2 * reach, len(NEIGHBOUR_COLUMNS) + 1))
    neighbour_table[:, :-1] = base[:, NEIGHBOUR_COLUMNS]
    neighbour_table[reach : reach + count, -1] = 1.0
    kinds = np.zeros((count + 2 * reach, len(RULE_KINDS)))
    for index, rule in removed.items():
        if rule in KIND_OF_RULE:
            kinds[index + reach, RULE_KINDS.index(KIND_OF_RULE[rule])] = 1.0
    lengths = np.fromiter(map(len, paragraphs), dtype=np.float64, count=count) + 1.0
    starts = np.concatenate([[0.0], np.cumsum(lengths)])
    prose = np.fromiter(map(is_article_prose, paragraphs), dtype=np.float64, count=count)
    kept_values = np.asarray(kept, dtype=np.float64)
    repeats = Counter(paragraphs)
    repeated = np.fromiter((repeats[paragraphs[i]] - 1 for i in rows), dtype=np.float64)
    in_head = at < zones.head_end
    in_tail = at >= zones.tail_start
    distance = np.where(
        in_head, zones.head_end - at, np.where(in_tail, at - zones.tail_start + 1, 0)
    )
    ones = np.ones(len(at))
    position = np.column_stack(
        [
            at / max(1, count - 1),
            starts[at] / starts[-1],
            in_head,
            in_tail,
            np.log1p(distance),
            ones * max(0, zones.tail_start - zones.head_end) / count,
            window_shares(prose, lengths, at),
            window_shares(kept_values, lengths, at),
            ones * math.log1p(count),
            np.minimum(MAX_REPEATS, repeated) / MAX_REPEATS,
        ]
    )
    return np.concatenate(
        [
            base[padded],
            neighbour_table[around].reshape(len(at), around.shape[1] * neighbour_table.shape[1]),
            position,
            kinds[around].reshape(len(at), around.shape[1] * len(RULE_KINDS)),
        ],
        axis=1,
    )
