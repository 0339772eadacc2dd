"""The title model: a learned choice of the headline among the candidates the title rules keep.

The rules of :mod:`ingest.structure.title` decide which head paragraphs may be the headline at
all (:func:`~ingest.structure.title.score_candidates`) and score each one; their score and its
parts are features here, beside signals that hold across sites: the line's length and case, its
place, whether the body uses its words, whether the text says it again, what the lines next to it
look like. The model is linear and trained by ranking (``scripts/train_title.py``, on pairs of
the gold headline and another candidate of the same page), and shipped as ``title_model.json``
beside this module: one weight per feature, the features' scaling folded in. At run time the
candidate with the highest ``features @ weights`` is the headline (the first of equals); the
score is rounded to :data:`SCORE_DIGITS` decimals so that the last bits of a floating-point sum
never change a choice.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from ingest.structure.bylines import is_name_like, search_date
from ingest.structure.paragraphs import search_tail
from ingest.structure.title import (
    BREADCRUMB_RE,
    CONTACT_RE,
    CONTROL_RE,
    FULL_STOP_RE,
    Candidate,
    best_by_score,
    count_words,
)

TITLE_MODEL_PATH = Path(__file__).with_name("title_model.json")
# The version of the model file's layout; a file of another version is refused.
TITLE_MODEL_FORMAT = 1
SCORE_DIGITS = 6
# Words of at least this many letters are compared with the body's (shorter ones are mostly
# function words in every language).
MIN_SHARED_WORD_CHARS = 4
# The words of a line, for its overlap with the body: runs of letters and digits.
# Matches "Storm", "2024", "Überforderung"; must not match "·" or "–".
WORD_RE = re.compile(r"\w+")
# How a headline may end when it asks or exclaims: "... the right to buy?", "Hope!".
# Must not match a full stop or "?)" inside a line.
ASK_END_RE = re.compile(r"[?!][\"'”’»)]{0,2}$")
# A colon or a dash that joins a headline's two halves: "Oranger Wasserstoff: Der Traum",
# "Auto leasen – was ist günstiger?". Must not match "10:30" (digits around the colon).
JOINER_RE = re.compile(r"\D: |\s[–—-]\s")

TITLE_FEATURE_NAMES = (
    "rule_score",
    "rule_best",
    "rank",
    "first",
    "log_words",
    "label",
    "short",
    "lead",
    "after_byline",
    "repeated",
    "glued",
    "body_share",
    "said_again",
    "asks",
    "joined",
    "full_stop",
    "capital_share",
    "all_caps",
    "lower_start",
    "name_like",
    "next_longer",
    "previous_short",
    "furniture",
    "date",
    "digit_share",
)


@dataclass(frozen=True)
class TitleModel:
    """A candidate's score is ``features @ weights``; the highest score is the headline."""

    weights: np.ndarray

    def scores(self, features: np.ndarray) -> np.ndarray:
        """Each row's score, rounded to SCORE_DIGITS."""
        return np.round(features @ self.weights, SCORE_DIGITS)

    def to_dict(self, **about: object) -> dict:
        """The model file's content; ``about`` (what it was trained on, and how) goes with it."""
        return {
            "format": TITLE_MODEL_FORMAT,
            "about": about,
            "features": list(TITLE_FEATURE_NAMES),
            "weights": [round(float(w), 9) for w in self.weights],
        }


def title_model_from_dict(data: dict) -> TitleModel:
    """The model in a model file's content; refused when its features are not today's.

    >>> names = list(TITLE_FEATURE_NAMES)
    >>> m = title_model_from_dict({"format": 1, "features": names, "weights": [1.0] * len(names)})
    >>> float(m.scores(np.ones((1, len(names))))[0]) == len(names)
    True
    """
    if data.get("format") != TITLE_MODEL_FORMAT or tuple(data["features"]) != TITLE_FEATURE_NAMES:
        msg = "title model file was written for other features; retrain it"
        raise ValueError(msg)
    return TitleModel(weights=np.asarray(data["weights"], dtype=np.float64))


@lru_cache(maxsize=1)
def load_title_model(path: Path = TITLE_MODEL_PATH) -> TitleModel:
    """The shipped title model (read once per process)."""
    return title_model_from_dict(json.loads(path.read_text(encoding="utf-8")))


def is_word_char(char: str) -> bool:
    """Whether a character is one WORD_RE matches (``\\w``: alphanumeric or "_").

    >>> is_word_char("ß"), is_word_char("_"), is_word_char("-")
    (True, True, False)
    """
    return char.isalnum() or char == "_"


@dataclass
class BodyWords:
    """The lower-cased words of a body (WORD_RE tokens of its lower-cased text), looked up in
    that text itself: a headline's few words are found with ``str.find`` (a word is there when
    no word character touches it), which is far cheaper than tokenising the whole body into a
    set. Each word's answer is remembered (candidates share words).

    >>> words = BodyWords("the storm hit the coast_line.")
    >>> "storm" in words, "coast" in words, "coast_line" in words, "hit the" in words
    (True, False, True, False)
    """

    text: str
    known: dict[str, bool] = field(default_factory=dict)

    def __contains__(self, word: str) -> bool:
        """Whether ``word`` (a WORD_RE token, lower-cased) is a whole word of the text."""
        found = self.known.get(word)
        if found is None:
            found = self.known[word] = holds_word(self.text, word)
        return found


def holds_word(text: str, word: str) -> bool:
    """Whether ``word`` (a run of word characters) occurs in ``text`` as a whole WORD_RE token:
    no word character right before or after it.

    >>> holds_word("a storm, stormy", "storm"), holds_word("stormy", "storm")
    (True, False)
    """
    if not word or not all(map(is_word_char, word)):
        return False
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or not is_word_char(text[start - 1])) and (
            end == len(text) or not is_word_char(text[end])
        ):
            return True
        start = text.find(word, start + 1)
    return False


def body_vocabulary(paragraphs: Sequence[str]) -> BodyWords:
    """The lower-cased words of these paragraphs, for :func:`body_share` to look up (see
    :class:`BodyWords`: the same words as WORD_RE over the lower-cased text).

    >>> words = body_vocabulary(["The storm hit the Coast.", "It was 2024"])
    >>> [word in words for word in ("coast", "2024", "was 2024", "stor")]
    [True, True, False, False]
    """
    return BodyWords("\n".join(paragraphs).lower())


def body_share(text: str, vocabulary: Container[str]) -> float:
    """The share of a line's long words that the body uses (0 for a line without any).

    >>> body_share("Storm hits the coast", frozenset({"storm", "hits", "coast"}))
    1.0
    >>> body_share("Subscribe now", frozenset({"storm"})), body_share("A b", frozenset())
    (0.0, 0.0)
    """
    words = [w for w in WORD_RE.findall(text.lower()) if len(w) >= MIN_SHARED_WORD_CHARS]
    return sum(w in vocabulary for w in words) / len(words) if words else 0.0


def capital_share(text: str) -> float:
    """The share of a line's words that start with a capital letter.

    >>> capital_share("Storm Hits the Coast"), capital_share("123")
    (0.75, 0.0)
    """
    words = [w for w in text.split() if w[:1].isalpha()]
    return sum(w[0].isupper() for w in words) / len(words) if words else 0.0


def candidate_features(
    scored: Sequence[Candidate],
    candidates: Sequence[str],
    vocabulary: Container[str],
    text: str,
) -> np.ndarray:
    """One row of TITLE_FEATURE_NAMES per scored candidate.

    ``candidates`` are all the head's candidate paragraphs (the neighbours of each scored one),
    ``vocabulary`` the body's words (:func:`body_vocabulary`), ``text`` the whole text (where a
    headline is said again).
    """
    best = best_by_score(list(scored))
    rows = []
    for candidate in scored:
        line = candidate.text
        words = count_words(line)
        position = candidate.position
        following = candidates[position + 1] if position + 1 < len(candidates) else ""
        previous = candidates[position - 1] if position > 0 else ""
        letters = list(filter(str.isalpha, line))
        rows.append(
            [
                candidate.score,
                float(position == best),
                candidate.rank,
                float(position == 0),
                math.log1p(words),
                float(words <= 2),
                float(words <= 3),
                float(candidate.lead),
                float(candidate.after_byline),
                float(candidate.repeated),
                float(candidate.glued),
                body_share(line, vocabulary),
                float(text.count(line) > 1),
                float(search_tail(ASK_END_RE, line) is not None),
                float(JOINER_RE.search(line) is not None),
                float(search_tail(FULL_STOP_RE, line) is not None),
                capital_share(line),
                float(bool(letters) and all(map(str.isupper, letters)) and len(letters) > 3),
                float(line[:1].islower()),
                float(words <= 4 and is_name_like(line)),
                float(count_words(following) > words),
                float(bool(previous) and count_words(previous) <= 3),
                float(
                    bool(BREADCRUMB_RE.search(line) or CONTACT_RE.search(line))
                    or bool(CONTROL_RE.search(line))
                ),
                float(search_date(line) is not None),
                sum(map(str.isdigit, line)) / len(line),
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(len(rows), len(TITLE_FEATURE_NAMES))


@dataclass(frozen=True)
class TitleCandidates:
    """What the headline is chosen from: the head's candidate paragraphs, those the rules keep
    with their scores, and the context the features read (see :func:`candidate_features`):
    ``body`` is the body's paragraphs, ``paragraphs`` every paragraph of the text. The body's
    words and the whole text are put together only when the features are asked for (one
    candidate or none needs no features)."""

    candidates: tuple[str, ...]
    scored: tuple[Candidate, ...]
    body: tuple[str, ...]
    paragraphs: tuple[str, ...]

    @cached_property
    def vocabulary(self) -> BodyWords:
        """The body's words (:func:`body_vocabulary`)."""
        return body_vocabulary(self.body)

    @cached_property
    def text(self) -> str:
        """The whole text, its paragraphs apart by blank lines."""
        return "\n\n".join(self.paragraphs)

    def features(self) -> np.ndarray:
        """One row of TITLE_FEATURE_NAMES per scored candidate."""
        return candidate_features(self.scored, self.candidates, self.vocabulary, self.text)

    def choose(self, model: TitleModel | None) -> int | None:
        """The position of the headline among the candidates: by the model's score (the first
        of equals), by the rules' score when ``model`` is None; None when no candidate is left.
        A lone candidate is the model's choice whatever it scores.

        >>> c = TitleCandidates(("Politics", "Senate passes the bill"), (), (), ())
        >>> c.choose(None) is None
        True
        """
        if model is None or not self.scored:
            return best_by_score(list(self.scored))
        if len(self.scored) == 1:
            return self.scored[0].position
        scores = model.scores(self.features())
        return self.scored[int(np.argmax(scores))].position
