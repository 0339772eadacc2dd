"""The shipped content model: it loads, predicts the same on every call, and judges only the
paragraphs the named rules kept."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ingest.structure.debris import find_zones
from ingest.structure.extract import extract_structure
from ingest.structure.features import FEATURE_NAMES
from ingest.structure.model import (
    MODEL_PATH,
    ContentModel,
    find_content_debris,
    load_model,
    model_from_dict,
    stopwords_for,
)

PROSE = ("The council met on Tuesday and voted on the budget for the coming year. " * 3).strip()
TEXT = [
    "Skip to content",
    "Home | News | Sport | Weather",
    "Storm hits the coast",
    PROSE,
    PROSE.replace("council", "board"),
    "Share this: Facebook | Twitter | Email",
    "Most read",
    "Ten beaches to visit this summer",
]


def constant_model(bias: float) -> ContentModel:
    return ContentModel(weights=np.zeros(len(FEATURE_NAMES)), bias=bias, threshold=0.5)


def test_the_shipped_file_is_small_and_loads() -> None:
    assert MODEL_PATH.stat().st_size < 5_000_000
    model = load_model()
    assert model.weights.shape == (len(FEATURE_NAMES),)
    assert 0.5 <= model.threshold <= 1.0
    assert np.all(np.isfinite(model.weights))


def test_a_file_for_other_features_is_refused() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="other features"):
        model_from_dict(data)


def test_same_input_same_scores() -> None:
    model = load_model()
    zones = find_zones(TEXT)
    kept = [True] * len(TEXT)
    first = find_content_debris(TEXT, kept, {}, zones, "en", model)
    for _ in range(3):
        assert find_content_debris(TEXT, kept, {}, zones, "en", model) == first
    again = model_from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    assert find_content_debris(TEXT, kept, {}, zones, "en", again) == first


def test_the_shipped_model_keeps_prose_and_scores_in_range() -> None:
    kept = [True] * len(TEXT)
    found = find_content_debris(TEXT, kept, {}, find_zones(TEXT), "en")
    assert 3 not in found and 4 not in found
    assert all(0.0 <= score <= 1.0 for score in found.values())


def test_only_kept_paragraphs_are_judged() -> None:
    kept = [False, False, True, True, True, False, False, True]
    found = find_content_debris(TEXT, kept, {}, find_zones(TEXT), "en", constant_model(5.0))
    assert sorted(found) == [2, 7]  # 3 and 4 are the article's prose inside its run
    assert find_content_debris(TEXT, kept, {}, find_zones(TEXT), "en", constant_model(-5.0)) == {}
    assert find_content_debris(TEXT, [False] * len(TEXT), {}, find_zones(TEXT), "en") == {}


def test_stopwords_by_language_tag() -> None:
    assert "der" in stopwords_for("de") and stopwords_for("de-AT") == stopwords_for("de")
    assert "the" in stopwords_for("en") and "the" not in stopwords_for("de")
    assert stopwords_for("xx") == frozenset() and stopwords_for(None) == frozenset()


def test_the_pipeline_with_the_model_is_deterministic() -> None:
    """Same input, same record: on every call, and with the model file read again."""
    text = "\n\n".join([*TEXT[2:5], "Latest from food", "Latest from music", "Latest from film"])
    first = extract_structure(text)
    assert "content_model" in {removal.rule for removal in first.removed}
    assert all(extract_structure(text) == first for _ in range(3))
    again = model_from_dict(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    assert extract_structure(text, model=again) == first


def test_the_model_can_be_switched_off() -> None:
    text = "\n\n".join([*TEXT[2:5], "Latest from food", "Latest from music", "Latest from film"])
    rules = extract_structure(text, model=False)
    assert "content_model" not in {removal.rule for removal in rules.removed}
    assert extract_structure(text, model=None) == rules
