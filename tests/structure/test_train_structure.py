"""The training script's fitting function on a tiny synthetic set (no dev-set pages)."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from conftest import REPO

pytest.importorskip("sklearn")
sys.path.insert(0, str(REPO / "scripts"))

import train_structure

from ingest.structure.extract import extract_structure
from ingest.structure.features import FEATURE_NAMES
from ingest.structure.model import MODEL_PATH, judged_rows
from ingest.structure.title_model import TITLE_MODEL_PATH

SIGNAL = FEATURE_NAMES.index("link_like")


def synthetic_page(index: int, rng: np.random.Generator) -> train_structure.Example:
    """Ten paragraphs, the last three debris (their link_like column set), the rest body."""
    labels = np.array([0] * 7 + [1] * 3, dtype=np.int8)
    features = rng.normal(0.0, 0.1, size=(10, len(FEATURE_NAMES)))
    features[:, 0] = 3.0 + rng.random(10)  # log_chars: positive, it weighs the rows
    features[:, SIGNAL] = labels + rng.normal(0.0, 0.2, size=10)

    def figures(removed: frozenset[int]) -> tuple[float | None, int, int]:
        body_lost = sum(1 for row in removed if labels[row] == 0)
        return 1.0 - body_lost / 7, 0, 0

    return train_structure.Example(f"region:p{index}", features, labels, figures)


def synthetic_set() -> tuple[list[train_structure.Example], dict[str, int]]:
    rng = np.random.default_rng(7)
    examples = [synthetic_page(i, rng) for i in range(12)]
    return examples, {e.id: i % 3 for i, e in enumerate(examples)}


def test_fit_separates_debris_and_keeps_the_recall_floor() -> None:
    examples, groups = synthetic_set()
    model = train_structure.fit(examples, groups)
    assert model.threshold < 1.0
    removed_debris = removed_body = 0
    for example in examples:
        removed = model.scores(example.features) > model.threshold
        removed_debris += int(np.sum(removed & (example.labels == 1)))
        removed_body += int(np.sum(removed & (example.labels == 0)))
    assert removed_debris >= 30  # of 36
    assert removed_body == 0


def test_fit_is_deterministic() -> None:
    examples, groups = synthetic_set()
    first = train_structure.fit(examples, groups)
    second = train_structure.fit(examples, groups)
    assert np.array_equal(first.weights, second.weights)
    assert first.threshold == second.threshold and first.bias == second.bias


def test_unlabelled_rows_are_left_out() -> None:
    examples, _ = synthetic_set()
    features = np.concatenate([e.features for e in examples])
    labels = np.concatenate([e.labels for e in examples])
    noisy = labels.copy()
    noisy[:20] = train_structure.UNLABELLED
    model = train_structure.fit_weights(features, noisy)
    same = train_structure.fit_weights(features[20:], labels[20:])
    assert np.allclose(model.weights, same.weights)


def test_features_that_carry_nothing_are_dropped_in_the_fit() -> None:
    examples, _ = synthetic_set()
    features = np.concatenate([e.features for e in examples])
    labels = np.concatenate([e.labels for e in examples])
    constant = FEATURE_NAMES.index("kept")
    features[:, constant] = 1.0
    model = train_structure.fit_weights(features, labels)
    assert model.weights[constant] == 0.0
    assert model.weights[SIGNAL] != 0.0
    assert np.count_nonzero(model.weights) < len(FEATURE_NAMES)


def test_training_features_are_the_pipelines() -> None:
    """The script trains on the features the pipeline computes at its decision."""
    text = "Menu\n\nStorm hits the coast\n\n" + "The storm came ashore at dawn. " * 8
    text += "\n\nMore storms\n\nLatest from food"
    prepared = train_structure.prepare(text)
    assert prepared.structure == extract_structure(text, model=False)
    decision = prepared.decision
    rows = judged_rows(decision.paragraphs, prepared.kept, decision.zones)
    assert rows == [3, 4]
    assert train_structure.page_features(prepared).shape == (len(rows), len(FEATURE_NAMES))


EVAL_DEV = REPO.parent / "shared" / "eval-dev"


@pytest.mark.slow
@pytest.mark.skipif(not (EVAL_DEV / "gold").is_dir(), reason="needs ../shared/eval-dev")
def test_the_shipped_model_is_what_training_on_the_dev_set_writes(tmp_path) -> None:
    out, title_out = tmp_path / "content_model.json", tmp_path / "title_model.json"
    argv = ["--eval-dir", str(EVAL_DEV), "--out", str(out), "--title-out", str(title_out)]
    assert train_structure.main(argv) == 0
    assert out.read_bytes() == MODEL_PATH.read_bytes()
    assert title_out.read_bytes() == TITLE_MODEL_PATH.read_bytes()
