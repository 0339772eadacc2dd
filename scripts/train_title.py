"""Train the title model (``src/ingest/structure/title_model.json``) on the dev set's gold titles.

For every page of the region track whose gold title is among the candidates the title
rules keep (``RuleDecision.title_candidates``, the rules' own choice left aside), each candidate
is labelled headline when the title it gives equals the gold title (whitespace normalised, as the
scorer compares), other candidate otherwise. The model is linear and fitted by ranking: a
logistic regression (scikit-learn, the ``train`` extra) without intercept on the differences of
the headline's features and each other candidate's of the same page, both ways round, each page
weighing the same. The features are ``ingest.structure.title_model.TITLE_FEATURE_NAMES``, scaled
by their spread before the fit and the scaling folded into the weights.

``scripts/train_structure.py`` trains and writes this model beside the content model, and
``scripts/crossval.py --system model`` refits it in each fold.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from crossval import Page, load_pages

from ingest.structure.extract import decide_by_rules
from ingest.structure.paragraphs import split_paragraphs
from ingest.structure.title import headline_at
from ingest.structure.title_model import TitleModel

# The track trained on: the scraper's article container, what ingest is for. (A model trained on
# the whole-page track too ranks the container's head worse, and this one ranks the whole page's
# head better than the rules alone.)
TRACKS = ("region",)
# The regularisation of the logistic regression (scikit-learn's C): fixed, not tuned.
REGULARISATION = 1.0
SEED = 0
# A run of whitespace, as the scorer normalises a title: "Storm\n hits" is "Storm hits".
SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class TitleExample:
    """One page's candidates, ready to rank: their features, and which give the gold title."""

    id: str
    features: np.ndarray
    gold: np.ndarray  # bool per row


def normalise(title: str) -> str:
    """A title as the scorer compares it: NFC, each run of whitespace one space, ends trimmed.

    >>> normalise(" Storm\\n hits  the coast ")
    'Storm hits the coast'
    """
    return SPACE_RE.sub(" ", unicodedata.normalize("NFC", title)).strip()


def title_example(example_id: str, text: str, gold_title: str | None) -> TitleExample | None:
    """A page's candidates labelled from its gold title, or None when the page has no gold
    title, or none of its candidates gives it (nothing to learn there)."""
    if not gold_title:
        return None
    choice = decide_by_rules(split_paragraphs(text), title_model=None).title_candidates
    if choice is None or not choice.scored:
        return None
    gold = normalise(gold_title)
    labels = np.array(
        [normalise(headline_at(list(choice.candidates), c.position)) == gold for c in choice.scored]
    )
    if not labels.any() or labels.all():
        return None
    return TitleExample(example_id, choice.features(), labels)


def build_title_examples(pages: Sequence[Page]) -> dict[str, TitleExample]:
    """The title examples of these pages (of any track), by ``track:page id``."""
    examples = {}
    for page in pages:
        key = f"{page.track}:{page.id}"
        example = title_example(key, page.text, page.gold.get("title"))
        if example is not None:
            examples[key] = example
    return examples


def ranking_pairs(examples: Sequence[TitleExample]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows (headline's features minus another candidate's), their labels and weights: every
    pair both ways round (label 1 and 0), each page's pairs weighing 1 in all."""
    rows, labels, weights = [], [], []
    for example in examples:
        gold = example.features[example.gold]
        other = example.features[~example.gold]
        differences = (gold[:, None, :] - other[None, :, :]).reshape(-1, gold.shape[1])
        weight = 1.0 / len(differences)
        rows += [differences, -differences]
        labels += [np.ones(len(differences)), np.zeros(len(differences))]
        weights += [np.full(2 * len(differences), weight)]
    return np.concatenate(rows), np.concatenate(labels), np.concatenate(weights)


def fit_title_model(examples: Sequence[TitleExample], seed: int = SEED) -> TitleModel:
    """The ranking regression on these examples (in the order given), its scaling folded in."""
    from sklearn.linear_model import LogisticRegression

    rows, labels, weights = ranking_pairs(examples)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    regression = LogisticRegression(
        C=REGULARISATION, max_iter=5000, random_state=seed, fit_intercept=False
    )
    regression.fit(rows / scale, labels, sample_weight=weights)
    return TitleModel(weights=regression.coef_[0] / scale)


def train_title_model(eval_dir: Path, ids: set[str] | None = None) -> TitleModel:
    """The title model fitted on these dev pages (all, when None) of the TRACKS."""
    pages = [page for track in TRACKS for page in load_pages(eval_dir, track)]
    examples = build_title_examples([p for p in pages if ids is None or p.id in ids])
    return fit_title_model([examples[key] for key in sorted(examples)])


def write_title_model(model: TitleModel, out: Path) -> None:
    """Write the title model file, with what it was trained on."""
    about = {
        "trained_on": f"dev set pages with a gold title, track {', '.join(TRACKS)}",
        "fit": "logistic regression on candidate pairs (ranking), no intercept",
        "script": "scripts/train_title.py",
    }
    out.write_text(json.dumps(model.to_dict(**about), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}: {len(model.weights)} weights")
