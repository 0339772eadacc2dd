"""Train the content model (``src/ingest/structure/content_model.json``) on the dev set's gold.

Each paragraph that the named rules keep in the body is labelled from the gold: body when most of
its tokens are in the gold body (articles) or it holds a ``with`` snippet or lies inside one
(annotated pages); debris when it holds a ``without`` snippet or lies inside one, or lies outside
the gold body; other paragraphs are left out. Its features are
``ingest.structure.features.paragraph_features``. A logistic regression (scikit-learn, the
``train`` extra) is fitted on them, and its threshold is chosen precision-first: the lowest
score above which removing paragraphs keeps, on pages the weights were not fitted on (an inner
cross-validation by site over the training pages), the articles' body recall at least
RECALL_FLOOR and the ``with`` recall at least WITH_FLOOR (or no more than TOLERANCE below the
rules alone, where they are below those already).

The headline is chosen by the title model (``scripts/train_title.py``), which this script trains
and writes too. The content model is trained on the rules' decisions with the headline chosen by
the title rules' score, apart from the title model.

``scripts/crossval.py --system model`` runs this fitting inside its own cross-validation; this
script fits on every dev page and writes the model files that ship.

    python scripts/train_structure.py                 # writes both model files
    python scripts/train_structure.py --stopwords     # rewrites stopwords.json from jusText
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import inspect
import json
import pickle
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import crossval
import langcodes
import numpy as np
import train_title
from accuracy import REPO
from crossval import Page, assign_folds, load_pages, load_sites

from ingest.records import Structure
from ingest.structure.extract import RuleDecision, decide_by_rules, finish_structure
from ingest.structure.features import FEATURE_NAMES, paragraph_features
from ingest.structure.model import (
    MODEL_PATH,
    STOPWORDS_PATH,
    ContentModel,
    judged_rows,
    stopwords_for,
)
from ingest.structure.paragraphs import split_paragraphs
from ingest.structure.title_model import TITLE_MODEL_PATH, TitleModel

TRACKS = ("region", "page")
BODY, DEBRIS, UNLABELLED = 0, 1, -1
# A paragraph is body when at least this share of its tokens is in the gold body's trigrams,
# debris when at most this share is.
BODY_COVERAGE = 0.5
DEBRIS_COVERAGE = 0.2
NGRAM = 3
RECALL_FLOOR = 0.98
WITH_FLOOR = 0.97
TOLERANCE = 0.002
INNER_FOLDS = 4
# Thresholds tried, from "remove nearly nothing" down.
THRESHOLDS = tuple(round(t, 3) for t in np.arange(0.995, 0.495, -0.005))
# The regularisation of the logistic regression (scikit-learn's C): fixed, not tuned.
REGULARISATION = 1.0
# A feature whose standardised weight is below this in a first fit carries nothing: dropped.
MIN_WEIGHT = 0.02
SEED = 0
# Stop words kept per language: the most frequent ones (jusText lists them by frequency).
STOPWORDS_PER_LANGUAGE = 200
CACHE_DIR = Path("/tmp/ingest-structure-features")
LOG_CHARS = FEATURE_NAMES.index("log_chars")


@dataclass(frozen=True)
class Example:
    """One page, ready to train on: the features and labels of the paragraphs the rules kept,
    and how to score the page's body when some of them are removed."""

    id: str
    features: np.ndarray
    labels: np.ndarray
    # Figures of the body without the given rows: (articles' body recall or None, with-snippets
    # found, with-snippets present).
    figures: Callable[[frozenset[int]], tuple[float | None, int, int]]


@dataclass(frozen=True)
class Prepared:
    """A page's named-rule decision (the pipeline's, before the content model) and its record
    with the model switched off."""

    decision: RuleDecision
    structure: Structure
    kept: list[bool]


def evalcommon(eval_dir: Path) -> object:
    """The dev set's tokenisation (evalcommon.py), imported from its folder."""
    sys.path.insert(0, str(eval_dir))
    import evalcommon as module

    return module


def prepare(text: str) -> Prepared:
    """The named rules' decision on a text, the headline chosen by the title rules' score (the
    content model is trained apart from the title model: see ModelSystem), and the rules'
    record."""
    decision = decide_by_rules(split_paragraphs(text), title_model=None)
    return Prepared(decision, finish_structure(decision, None), decision.kept)


def page_features(prepared: Prepared) -> np.ndarray:
    """The features of the paragraphs the rules kept, as the pipeline computes them."""
    decision = prepared.decision
    rows = judged_rows(decision.paragraphs, prepared.kept, decision.zones)
    return paragraph_features(
        decision.paragraphs,
        prepared.kept,
        decision.findings.removed,
        rows,
        decision.zones,
        stopwords_for(decision.language),
    )


def label_paragraphs(texts: Sequence[str], gold: dict, common: object) -> list[int]:
    """BODY, DEBRIS or UNLABELLED for each paragraph, from the page's gold."""
    if gold.get("body") is not None:
        gold_tokens = common.tokens(gold["body"])
        grams = {tuple(gold_tokens[i : i + NGRAM]) for i in range(len(gold_tokens) - NGRAM + 1)}
        gold_key = common.token_key(gold["body"])
        labels = []
        for text in texts:
            tokens = common.tokens(text)
            if len(tokens) < NGRAM:
                labels.append(BODY if common.contains(gold_key, text) else DEBRIS)
                continue
            covered = [False] * len(tokens)
            for i in range(len(tokens) - NGRAM + 1):
                if tuple(tokens[i : i + NGRAM]) in grams:
                    covered[i : i + NGRAM] = [True] * NGRAM
            share = sum(covered) / len(tokens)
            labels.append(
                BODY if share >= BODY_COVERAGE else DEBRIS if share <= DEBRIS_COVERAGE else -1
            )
        return labels
    with_snippets = [s["text"] for s in gold.get("with") or []]
    without_snippets = [s["text"] for s in gold.get("without") or []]
    labels = []
    for text in texts:
        key = common.token_key(text)
        long_enough = len(common.tokens(text)) >= NGRAM

        def holds(snippets: list[str], key: str = key, text: str = text, full: bool = long_enough):
            return any(
                common.contains(key, s) or (full and common.contains(common.token_key(s), text))
                for s in snippets
            )

        is_body, is_debris = holds(with_snippets), holds(without_snippets)
        labels.append(
            BODY if is_body and not is_debris else DEBRIS if is_debris and not is_body else -1
        )
    return labels


def page_figures(
    page: Page, prepared: Prepared, common: object
) -> Callable[[frozenset[int]], tuple[float | None, int, int]]:
    """How to score this page's body (its kept paragraphs less some of the judged rows, counted
    as the rows of the page's features) as the scorer does."""
    body = list(prepared.structure.paragraphs)
    decision = prepared.decision
    in_body = np.cumsum(prepared.kept) - 1  # a kept paragraph's place in the body
    place = [
        int(in_body[i]) for i in judged_rows(decision.paragraphs, prepared.kept, decision.zones)
    ]
    gold = page.gold
    snippets = [s["text"] for s in gold.get("with") or [] if s.get(f"in_{page.track}")]
    memo: dict[frozenset[int], tuple[float | None, int, int]] = {}

    def figures(removed: frozenset[int]) -> tuple[float | None, int, int]:
        if removed not in memo:
            gone = {place[row] for row in removed}
            text = "\n\n".join(p for at, p in enumerate(body) if at not in gone)
            if gold.get("body") is not None:
                memo[removed] = (common.bag_prf(text, gold["body"])[1], 0, 0)
            else:
                key = common.token_key(text)
                memo[removed] = (
                    None,
                    sum(common.contains(key, s) for s in snippets),
                    len(snippets),
                )
        return memo[removed]

    return figures


def source_digest() -> str:
    """A digest of the code that makes features and labels: a cache made by other code is stale."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "src" / "ingest" / "structure").glob("*.py")):
        digest.update(path.read_bytes())
    digest.update(inspect.getsource(label_paragraphs).encode())
    return digest.hexdigest()[:16]


def build_examples(
    eval_dir: Path, track: str
) -> tuple[list[Page], dict[str, Prepared], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """The pages of a track, their rules-only records, and each page's features and labels.

    Features and labels are cached under CACHE_DIR (never in the repository), keyed by the
    track and a digest of the code that makes them.
    """
    common = evalcommon(eval_dir)
    pages = load_pages(eval_dir, track)
    prepared = {page.id: prepare(page.text) for page in pages}
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cache = CACHE_DIR / f"{track}-{source_digest()}.pickle"
    if cache.exists():
        data = pickle.loads(cache.read_bytes())
    else:
        data = {}
        for page in pages:
            p = prepared[page.id]
            rows = judged_rows(p.decision.paragraphs, p.kept, p.decision.zones)
            labels = label_paragraphs([p.decision.paragraphs[i] for i in rows], page.gold, common)
            data[page.id] = (page_features(p), np.asarray(labels, dtype=np.int8))
        cache.write_bytes(pickle.dumps(data))
    return pages, prepared, data


def fit_weights(features: np.ndarray, labels: np.ndarray, seed: int = SEED) -> ContentModel:
    """A logistic regression on the labelled rows, its scaling folded into the weights.

    The classes weigh the same in all, and a row weighs the logarithm of its length: a long
    paragraph lost costs the body more than a short one, and a short debris line still counts.
    Features that carry nothing on these rows are dropped (their weight is 0): those that do not
    vary, and those whose standardised weight is below MIN_WEIGHT in a first fit; the regression
    is then fitted again on the rest. The choice is made on the rows given, so inside a
    cross-validation it is made on the training folds only.
    """
    mask = labels != UNLABELLED
    x, y = features[mask], labels[mask]
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    used = scale > 0
    scale[~used] = 1.0
    standard = (x - mean) / scale
    first = regression_on(standard[:, used], y, x[:, LOG_CHARS], seed)
    used[np.flatnonzero(used)[np.abs(first.coef_[0]) < MIN_WEIGHT]] = False
    second = regression_on(standard[:, used], y, x[:, LOG_CHARS], seed)
    weights = np.zeros(features.shape[1])
    weights[used] = second.coef_[0] / scale[used]
    bias = float(second.intercept_[0] - np.dot(weights, mean))
    return ContentModel(weights=weights, bias=bias, threshold=1.0)


def regression_on(x: np.ndarray, y: np.ndarray, weight: np.ndarray, seed: int) -> object:
    """scikit-learn's logistic regression fitted on standardised rows, classes balanced."""
    from sklearn.linear_model import LogisticRegression

    regression = LogisticRegression(
        C=REGULARISATION, max_iter=5000, random_state=seed, class_weight="balanced"
    )
    return regression.fit(x, y, sample_weight=weight)


def choose_threshold(examples: Sequence[Example], scores: dict[str, np.ndarray]) -> float:
    """The lowest threshold at which (and above which) the recall floors hold on these pages,
    on each track's pages apart (an example's id starts with its track)."""
    by_track: dict[str, list[Example]] = {}
    for example in examples:
        by_track.setdefault(example.id.split(":", 1)[0], []).append(example)

    def recalls(group: list[Example], threshold: float) -> tuple[float, float]:
        article, found, present = [], 0, 0
        for example in group:
            removed = frozenset(np.flatnonzero(scores[example.id] > threshold).tolist())
            recall, hit, n = example.figures(removed)
            if recall is not None:
                article.append(recall)
            found, present = found + hit, present + n
        return (
            statistics.mean(article) if article else 1.0,
            found / present if present else 1.0,
        )

    floors = {}
    for track, group in by_track.items():
        base_article, base_with = recalls(group, 1.0)
        floors[track] = (
            min(RECALL_FLOOR, base_article - TOLERANCE),
            min(WITH_FLOOR, base_with - TOLERANCE),
        )
    chosen = 1.0
    for threshold in THRESHOLDS:
        for track, group in by_track.items():
            article, with_recall = recalls(group, threshold)
            if article < floors[track][0] or with_recall < floors[track][1]:
                return chosen
        chosen = threshold
    return chosen


def fit(examples: Sequence[Example], groups: dict[str, int], seed: int = SEED) -> ContentModel:
    """The content model: weights fitted on every example, the threshold chosen on scores the
    weights of other groups (sites) gave (``groups``: each example's inner fold)."""
    folds = sorted(set(groups.values()))
    scores: dict[str, np.ndarray] = {}
    for fold in folds:
        train = [e for e in examples if groups[e.id] != fold]
        if not train:
            continue
        inner = fit_weights(
            np.concatenate([e.features for e in train]),
            np.concatenate([e.labels for e in train]),
            seed,
        )
        for example in examples:
            if groups[example.id] == fold:
                scores[example.id] = inner.scores(example.features)
    threshold = choose_threshold([e for e in examples if e.id in scores], scores)
    model = fit_weights(
        np.concatenate([e.features for e in examples]),
        np.concatenate([e.labels for e in examples]),
        seed,
    )
    return replace(model, threshold=threshold)


class ModelSystem:
    """Rules first, the title model choosing the headline among the rules' candidates, then the
    content model (for ``scripts/crossval.py --system model``).

    Fitting on some pages trains on those pages of every track (their sites are held out of the
    other folds on every track alike), as the shipped content model is trained on every track,
    and the title model on those pages of train_title.TRACKS. The content model is trained on
    the rules' decisions with the headline chosen by the title rules' score, so that the two
    models are fitted apart (the title decides only which head line leaves the body); a fitted
    system's predictor decides each page with the title model fitted with it.
    """

    def __init__(self, eval_dir: Path, k: int) -> None:
        self.eval_dir = eval_dir
        self.inner_k = max(2, k - 1)
        common = evalcommon(eval_dir)
        self.sites = load_sites(eval_dir)
        self.prepared: dict[tuple[str, str], Prepared] = {}
        self.data: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        self.examples: dict[tuple[str, str], Example] = {}
        title_pages: list[Page] = []
        for track in TRACKS:
            pages, prepared, data = build_examples(eval_dir, track)
            title_pages += [page for page in pages if track in train_title.TRACKS]
            for page in pages:
                key = (track, page.id)
                self.prepared[key] = prepared[page.id]
                features, labels = data[page.id]
                figures = page_figures(page, prepared[page.id], common)
                self.examples[key] = Example(f"{track}:{page.id}", features, labels, figures)
        self.title_examples = train_title.build_title_examples(title_pages)

    def train(self, ids: set[str]) -> ContentModel:
        """The model fitted on these pages (of every track), its threshold chosen on them by
        an inner cross-validation by site."""
        examples = [e for (_, pid), e in sorted(self.examples.items()) if pid in ids]
        sites = {pid: site for pid, site in self.sites.items() if pid in ids}
        inner = assign_folds(sites, self.inner_k)
        groups = {e.id: inner[e.id.split(":", 1)[1]] for e in examples}
        model = fit(examples, groups)
        print(f"  threshold {model.threshold}", file=sys.stderr, flush=True)
        return model

    def train_title(self, ids: set[str]) -> TitleModel:
        """The title model fitted on these pages (of train_title.TRACKS)."""
        keys = sorted(key for key in self.title_examples if key.split(":", 1)[1] in ids)
        return train_title.fit_title_model([self.title_examples[key] for key in keys])

    def fit(self, train_pages: Sequence[Page]) -> Callable[[Page], Structure]:
        ids = {page.id for page in train_pages}
        title_model, model = self.train_title(ids), self.train(ids)

        def predict(page: Page) -> Structure:
            decision = decide_by_rules(split_paragraphs(page.text), title_model=title_model)
            return finish_structure(decision, model)

        return predict


def justext_stoplists() -> dict[str, list[str]]:
    """jusText's stop-word lists by BCP 47 tag, each its STOPWORDS_PER_LANGUAGE most frequent
    words. The files are read from the installed package without importing it (its import needs
    lxml's HTML cleaner, which the lists do not)."""
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("jusText is missing: pip install -e '.[train]'")
    folder = Path(next(iter(spec.submodule_search_locations))) / "stoplists"
    lists: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.txt")):
        name = path.stem.replace("_", " ")
        try:
            tag = langcodes.find(name).to_tag()
        except LookupError:
            continue
        words = [w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()]
        words = [w for w in words if w]
        # "Simple English" and other variants find a tag another list has: the first one stays.
        if tag not in lists and "-" not in tag:
            lists[tag] = words[:STOPWORDS_PER_LANGUAGE]
    if "nb" in lists:  # language identification says "no" for Norwegian Bokmål
        lists.setdefault("no", lists["nb"])
    return lists


def write_stopwords(path: Path = STOPWORDS_PATH) -> None:
    """Write the stop-word lists the model reads at run time."""
    payload = {
        "about": f"the {STOPWORDS_PER_LANGUAGE} most frequent words of each stop-word list of"
        " jusText 3.0.2 (BSD 2-Clause License), by BCP 47 tag; written by"
        " scripts/train_structure.py --stopwords",
        "languages": justext_stoplists(),
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(payload['languages'])} stop-word lists to {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--eval-dir",
        type=Path,
        default=REPO.parent / "shared" / "eval-dev",
        help="the evaluation set (default: ../shared/eval-dev beside the repository)",
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="the model file to write")
    parser.add_argument(
        "--title-out", type=Path, default=TITLE_MODEL_PATH, help="the title model file to write"
    )
    parser.add_argument("--stopwords", action="store_true", help="rewrite stopwords.json only")
    args = parser.parse_args(argv)
    if args.stopwords:
        write_stopwords()
        return 0
    # The same fitting as crossval.py's in-sample one: the files that ship are what it scores.
    train_title.write_title_model(train_title.train_title_model(args.eval_dir), args.title_out)
    system = ModelSystem(args.eval_dir, crossval.K)
    model = system.train(set(system.sites))
    labels = Counter(int(v) for e in system.examples.values() for v in e.labels)
    about = {
        "trained_on": f"dev set pages, tracks {', '.join(TRACKS)}",
        "pages": len(system.sites),
        "paragraphs": {"body": labels[BODY], "debris": labels[DEBRIS]},
        "threshold": f"chosen by cross-validation by site ({system.inner_k} folds) for the floors"
        f" {RECALL_FLOOR} (articles' body) and {WITH_FLOOR} (with snippets)",
        "script": "scripts/train_structure.py",
    }
    args.out.write_text(json.dumps(model.to_dict(**about), indent=1) + "\n", encoding="utf-8")
    nonzero = int(np.count_nonzero(model.weights))
    print(f"wrote {args.out}: threshold {model.threshold}, {nonzero} weights")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
