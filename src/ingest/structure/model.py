"""The content model: a learned decision, per paragraph the named rules kept, whether it is debris.

The model is a logistic regression over :data:`~ingest.structure.features.FEATURE_NAMES`, trained
by ``scripts/train_structure.py`` and shipped as ``content_model.json`` beside this module: one
weight per feature (the features' scaling folded in), a bias and a threshold. At run time it is a
dot product in NumPy. The named rules decide first; the model removes only paragraphs they kept,
and only when its score passes the threshold, which was chosen in cross-validation to keep body
recall high (precision-first). Its removals go to ``removed`` under :data:`RULE_NAME`.

Scores are rounded to :data:`SCORE_DIGITS` decimals before they are compared with the threshold,
so that the last bits of a floating-point sum (which may differ between machines' vector units)
never change a decision.

The stop-word lists (``stopwords.json``) are the most frequent words of each language's list in
jusText 3.0.2 (BSD 2-Clause), written by the training script.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ingest.structure.debris import Zones, is_article_prose
from ingest.structure.features import FEATURE_NAMES, paragraph_features
from ingest.structure.rules.learned import CONTENT_MODEL

MODEL_PATH = Path(__file__).with_name("content_model.json")
STOPWORDS_PATH = Path(__file__).with_name("stopwords.json")
RULE_NAME = CONTENT_MODEL.name
# The version of the model file's layout; a file of another version is refused.
MODEL_FORMAT = 2
SCORE_DIGITS = 6


@dataclass(frozen=True)
class ContentModel:
    """A paragraph's debris score is ``sigmoid(features @ weights + bias)``; it is removed when
    the score is above ``threshold``."""

    weights: np.ndarray
    bias: float
    threshold: float

    def scores(self, features: np.ndarray) -> np.ndarray:
        """The debris probability of each row of ``features``, rounded to SCORE_DIGITS."""
        logits = features @ self.weights + self.bias
        return np.round(1.0 / (1.0 + np.exp(-logits)), SCORE_DIGITS)

    def to_dict(self, **about: object) -> dict:
        """The model file's content; ``about`` (what it was trained on, and how) goes with it."""
        return {
            "format": MODEL_FORMAT,
            "about": about,
            "features": list(FEATURE_NAMES),
            "weights": [round(float(w), 9) for w in self.weights],
            "bias": round(float(self.bias), 9),
            "threshold": float(self.threshold),
        }


def model_from_dict(data: dict) -> ContentModel:
    """The model in a model file's content; refused when its features are not today's.

    >>> names = list(FEATURE_NAMES)
    >>> m = model_from_dict({"format": 2, "features": names, "weights": [0.0] * len(names),
    ...                      "bias": 0.0, "threshold": 0.5})
    >>> float(m.scores(np.zeros((1, len(names))))[0])
    0.5
    """
    if data.get("format") != MODEL_FORMAT or tuple(data["features"]) != FEATURE_NAMES:
        msg = "content model file was written for other features; retrain it"
        raise ValueError(msg)
    return ContentModel(
        weights=np.asarray(data["weights"], dtype=np.float64),
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
    )


@lru_cache(maxsize=1)
def load_model(path: Path = MODEL_PATH) -> ContentModel:
    """The shipped content model (read once per process)."""
    return model_from_dict(json.loads(path.read_text(encoding="utf-8")))


# More language tags than a worker meets (the language model knows 97 languages).
STOPWORD_TAGS_HELD = 256


@lru_cache(maxsize=STOPWORD_TAGS_HELD)
def load_stopwords(tag: str, path: Path = STOPWORDS_PATH) -> frozenset[str]:
    """The stop words of one language tag (``en``, ``de``, ...; none for a tag without a list),
    read when the tag is first asked for: a worker holds only the lists of its pages' languages
    (the file's 97 lists take about 1.9 MB as sets of strings), at one read of the 0.2 MB file
    per language.

    >>> "und" in load_stopwords("de"), load_stopwords("xx")
    (True, frozenset())
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    return frozenset(data["languages"].get(tag, ()))


def stopwords_for(language: str | None) -> frozenset[str]:
    """The stop words of a BCP 47 tag's language (``de-AT`` uses ``de``), or none.

    >>> "the" in stopwords_for("en"), len(stopwords_for(None))
    (True, 0)
    """
    if not language:
        return frozenset()
    return load_stopwords(language) or load_stopwords(language.split("-")[0].lower())


def judged_rows(paragraphs: Sequence[str], kept: Sequence[bool], zones: Zones) -> list[int]:
    """The paragraphs the model judges: those the named rules kept, except the article's prose
    inside its run (the zones are built on that run: the model is for what lies around and
    between it).

    >>> prose = "The council met on Tuesday and voted on the budget. " * 3
    >>> judged_rows(["Menu", prose, "A subheading", prose, "Share"], [True] * 5, Zones(1, 4))
    [0, 2, 4]
    """
    return [
        index
        for index, keep in enumerate(kept)
        if keep
        and not (zones.head_end <= index < zones.tail_start and is_article_prose(paragraphs[index]))
    ]


def find_content_debris(
    paragraphs: Sequence[str],
    kept: Sequence[bool],
    removed: Mapping[int, str],
    zones: Zones,
    language: str | None,
    model: ContentModel | None = None,
) -> dict[int, float]:
    """The paragraphs the model removes, by index, with their scores.

    ``kept`` says which paragraphs the named rules left in the body (only those are judged, as
    :func:`judged_rows` says),
    ``removed`` which rule removed each of the others that were removed; ``language`` is the
    language of the body the rules kept.
    """
    rows = judged_rows(paragraphs, kept, zones)
    if not rows:
        return {}
    model = model or load_model()
    features = paragraph_features(paragraphs, kept, removed, rows, zones, stopwords_for(language))
    scores = model.scores(features)
    return {
        index: float(score)
        for index, score in zip(rows, scores, strict=True)
        if score > model.threshold
    }
