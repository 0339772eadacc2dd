"""The title model's training on a tiny synthetic set (no dev-set pages), and the shipped file."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from conftest import REPO

pytest.importorskip("sklearn")
sys.path.insert(0, str(REPO / "scripts"))

import train_title

from ingest.structure.title_model import TITLE_FEATURE_NAMES, TITLE_MODEL_PATH

SIGNAL = TITLE_FEATURE_NAMES.index("body_share")


def synthetic_examples() -> list[train_title.TitleExample]:
    """Pages of five candidates each; the headline is the one whose body_share is high."""
    rng = np.random.default_rng(3)
    examples = []
    for index in range(20):
        features = rng.normal(0.0, 1.0, size=(5, len(TITLE_FEATURE_NAMES)))
        gold = np.zeros(5, dtype=bool)
        gold[index % 5] = True
        features[:, SIGNAL] = rng.random(5) * 0.5
        features[gold, SIGNAL] = 0.9
        examples.append(train_title.TitleExample(f"region:p{index}", features, gold))
    return examples


def test_the_ranking_fit_finds_the_signal() -> None:
    examples = synthetic_examples()
    model = train_title.fit_title_model(examples)
    assert model.weights[SIGNAL] == max(model.weights, key=abs)
    chosen = [int(np.argmax(model.scores(e.features))) for e in examples]
    assert chosen == [int(np.flatnonzero(e.gold)[0]) for e in examples]


def test_the_fit_is_deterministic() -> None:
    first = train_title.fit_title_model(synthetic_examples())
    second = train_title.fit_title_model(synthetic_examples())
    assert np.array_equal(first.weights, second.weights)


def test_a_page_is_labelled_from_its_gold_title() -> None:
    body = "The council voted on Tuesday to repair the old harbour bridge before winter. " * 3
    text = f"Local News\n\nCouncil to repair the harbour bridge\n\n{body}\n\nShare this"
    example = train_title.title_example("region:x", text, " Council to repair the\nharbour bridge")
    assert example is not None
    assert example.gold.tolist() == [False, True]
    assert example.features.shape == (2, len(TITLE_FEATURE_NAMES))
    assert train_title.title_example("region:x", text, "Another title") is None
    assert train_title.title_example("region:x", text, None) is None


EVAL_DEV = REPO.parent / "shared" / "eval-dev"


@pytest.mark.slow
@pytest.mark.skipif(not (EVAL_DEV / "gold").is_dir(), reason="needs ../shared/eval-dev")
def test_the_shipped_title_model_is_what_training_on_the_dev_set_writes(tmp_path) -> None:
    out = tmp_path / "title_model.json"
    train_title.write_title_model(train_title.train_title_model(EVAL_DEV), out)
    assert out.read_bytes() == TITLE_MODEL_PATH.read_bytes()
