"""The title model: its features, its file, and what it must and must not choose (synthetic text
only)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ingest.structure.extract import decide_by_rules, extract_structure
from ingest.structure.paragraphs import split_paragraphs
from ingest.structure.title import score_candidates
from ingest.structure.title_model import (
    TITLE_FEATURE_NAMES,
    TITLE_MODEL_PATH,
    TitleCandidates,
    TitleModel,
    body_vocabulary,
    candidate_features,
    load_title_model,
    title_model_from_dict,
)

BODY = (
    "The council voted on Tuesday to repair the old harbour bridge before the winter storms."
    " Engineers said the harbour bridge had been closed to lorries since the spring floods.\n\n"
    "Residents welcomed the repair of the harbour bridge but asked for a timetable, and the"
    " council promised to publish one in the coming weeks after the tender closes."
)


def choose(head: list[str], model: TitleModel | None = None) -> str | None:
    """The title extraction gives a text of these head lines above BODY."""
    text = "\n\n".join([*head, BODY])
    return decide_by_rules(split_paragraphs(text), title_model=model or True).title


def test_the_shipped_file_loads_with_todays_features() -> None:
    data = json.loads(TITLE_MODEL_PATH.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == TITLE_FEATURE_NAMES
    model = load_title_model()
    assert model.weights.shape == (len(TITLE_FEATURE_NAMES),)
    assert np.count_nonzero(model.weights) > 0


def test_a_file_for_other_features_is_refused() -> None:
    with pytest.raises(ValueError, match="retrain"):
        title_model_from_dict({"format": 1, "features": ["x"], "weights": [1.0]})


def test_one_row_of_features_per_candidate() -> None:
    candidates = ["Politics", "Council to repair the harbour bridge", "By Jane Doe"]
    scored = score_candidates(candidates)
    features = candidate_features(scored, candidates, body_vocabulary([BODY]), BODY)
    assert features.shape == (len(scored), len(TITLE_FEATURE_NAMES))
    share = TITLE_FEATURE_NAMES.index("body_share")
    assert features[1, share] == 1.0  # every long word of the headline is the body's
    assert features[0, share] == 0.0


def test_a_model_that_only_reads_the_rules_choice_agrees_with_the_rules() -> None:
    weights = np.zeros(len(TITLE_FEATURE_NAMES))
    weights[TITLE_FEATURE_NAMES.index("rule_best")] = 1.0
    head = ["Politics", "Council repairs the harbour bridge"]
    assert choose(head, TitleModel(weights)) == choose(head, None) is not None


def test_no_candidate_gives_no_title() -> None:
    choice = TitleCandidates(("Tags:",), (), (), ())
    assert choice.choose(load_title_model()) is None


# What the shipped model must choose: the headline whose words the body uses, over page furniture
# above it, a kicker, or a teaser; what it must not choose: a share row, a line of digits.
MUST_CHOOSE = [
    (["Click to copy link", "Council repairs the harbour bridge"], 1),
    (["Local News", "Council repairs the harbour bridge"], 1),
    (["Council repairs the harbour bridge", "Read more about our weekly newsletter offers"], 0),
    (["Skip to content", "Menu", "Search", "Harbour bridge repair approved by the council"], 3),
]


@pytest.mark.parametrize(("head", "expected"), MUST_CHOOSE)
def test_the_model_chooses_the_headline(head: list[str], expected: int) -> None:
    assert choose(head) == head[expected]


def test_the_model_prefers_the_line_the_body_speaks_of_over_a_longer_teaser() -> None:
    """A teaser about something else is longer, and ranked first, but the body never uses its
    words; the rules' length score alone picks the teaser."""
    head = [
        "Subscribe today and get twelve months of premium access for the price of six",
        "Harbour bridge repair",
    ]
    assert choose(head) == "Harbour bridge repair"
    head = ["Harbour", "Harbour bridge repair", "Weather warnings for the coast this weekend"]
    assert choose(head) == "Harbour bridge repair"


def test_the_pipeline_uses_the_shipped_model() -> None:
    text = "\n\n".join(["Click to copy link", "Council repairs the harbour bridge", BODY])
    assert extract_structure(text).title == "Council repairs the harbour bridge"
