"""Measure structure extraction by site-held-out cross-validation on the dev set.

The dev pages of one track are split into K folds grouped by site (the registrable domain of the
gold's ``url``: no site is in two folds). For each fold, the system is fitted on the other K-1
folds and its records for the held-out fold are scored by the dev set's own scorer; the figures
are averaged over the folds. The same system fitted on every page and scored fold by fold gives
the in-sample figure beside each cross-validated one, and the gap between them: a change that
raises the in-sample figures and not the cross-validated ones is not an improvement.

A system is anything with ``fit(train_pages) -> predictor``, where the predictor maps one
:class:`Page` to a :class:`~ingest.records.Structure` (see ``SYSTEMS``). ``rules`` is the pipeline
with both learned decisions switched off (the headline chosen by the title rules' score, no
content model); it fits nothing, so its cross-validated figures equal the in-sample ones.
``model`` is the pipeline as it ships (the same code path, ``decide_by_rules`` and
``finish_structure``), its title model and content model refitted in each fold; its in-sample
figures are those of the shipped files.

Examples (from the repository root):

    python scripts/crossval.py --track region
    python scripts/crossval.py --track page --system model --json /tmp/cv-page.json
"""

from __future__ import annotations

import hashlib
import json
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import pyarrow as pa
import pyarrow.parquet as pq
from accuracy import (
    SCHEMA,
    count_rules,
    decode_text,
    eval_parser,
    print_fired,
    structure_row,
)

from ingest.records import Structure
from ingest.structure.extract import decide_by_rules, finish_structure
from ingest.structure.paragraphs import split_paragraphs

K = 5
# An archived page's url holds the archived one after the archive's own prefix.
ARCHIVE_HOST = "web.archive.org"
# Second-level labels under which a country's registrable domains sit (bbc.co.uk, abc.net.au).
SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac", "edu", "or", "ne"})
# The figures of the scorer's two tables, by dataset: (key in its metrics, column name).
FIGURES = {
    "aeb": (
        ("body_precision", "body_P"),
        ("body_recall", "body_R"),
        ("body_f1", "body_F1"),
        ("shingle_f1", "shingle_F1"),
        ("title_exact", "title_EM"),
        ("caption_precision", "cap_P"),
        ("caption_recall", "cap_R"),
    ),
    "trafilatura-eval": (
        ("with_recall", "with_R"),
        ("without_leak", "without_leak"),
        ("title_exact", "title_EM"),
        ("caption_precision", "cap_P"),
        ("caption_recall", "cap_R"),
    ),
}
TABLE_TITLES = {
    "aeb": "ARTICLES: scrapinghub article-extraction-benchmark",
    "trafilatura-eval": "PAGES: trafilatura evaluation",
}


@dataclass(frozen=True)
class Page:
    """One dev page of one track: its id, site, track, input file name, repaired text and gold."""

    id: str
    site: str
    track: str
    source: str
    text: str
    gold: dict

    @property
    def dataset(self) -> str:
        """``aeb`` (gold body) or ``trafilatura-eval`` (with/without snippets)."""
        return dataset_of(self.id)


Predictor = Callable[[Page], Structure]


class System(Protocol):
    """What cross-validation needs of a system: fitting on pages gives a predictor."""

    def fit(self, train_pages: Sequence[Page]) -> Predictor: ...


class RulesSystem:
    """The named rules alone: the pipeline with the title model and the content model switched
    off; nothing is fitted."""

    def __init__(self, eval_dir: Path, k: int) -> None:
        del eval_dir, k  # nothing to fit, nothing to read

    def fit(self, train_pages: Sequence[Page]) -> Predictor:
        return lambda page: finish_structure(
            decide_by_rules(split_paragraphs(page.text), title_model=None), None
        )


def model_system(eval_dir: Path, k: int) -> System:
    """The pipeline as it ships, rules first, then the title model and the content model, both
    trained on the training pages (train_structure.py) instead of the shipped files."""
    from train_structure import ModelSystem

    return ModelSystem(eval_dir, k)


SYSTEMS: dict[str, Callable[[Path, int], System]] = {"rules": RulesSystem, "model": model_system}


def registrable_domain(host: str) -> str:
    """The site a host belongs to: its last two labels, three under a country's ``co``/``com``.

    >>> registrable_domain("www.bbc.co.uk"), registrable_domain("edition.cnn.com")
    ('bbc.co.uk', 'cnn.com')
    """
    labels = host.lower().strip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def site_of(gold: dict) -> str:
    """The site of a gold page: the registrable domain of its url (the archived one for an
    archive's url; for a url that is only a file name, ``hard::zeit.de.zugverkehr.html``, the
    domain its name starts with)."""
    url = gold.get("url") or ""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host == ARCHIVE_HOST:
        archived = parts.path.split("/", 3)[-1]
        if "//" not in archived:
            archived = "http://" + archived
        host = urlsplit(archived).hostname or ""
    if not host:
        name = url.rsplit("::", 1)[-1].removesuffix(".html")
        labels = name.split("-", 1)[0].split(".")
        host = ".".join(labels[:3] if len(labels) > 2 and labels[1] in SECOND_LEVEL else labels[:2])
    return registrable_domain(host)


def site_hash(site: str) -> str:
    """The order sites are dealt in: a hash, so that no one picks it and it never changes."""
    return hashlib.sha256(site.encode()).hexdigest()


def dataset_of(page_id: str) -> str:
    """``aeb`` (gold body) or ``trafilatura-eval`` (with/without snippets), from a page id."""
    return "aeb" if page_id.startswith("aeb-") else "trafilatura-eval"


def assign_folds(sites: dict[str, str], k: int = K) -> dict[str, int]:
    """Fold of each page id, given each page id's site: whole sites dealt in hash order, each to
    the fold that then holds the fewest pages of its dataset (ties: fewest pages, then the
    lowest fold). The same pages give the same folds on every track and every machine."""
    by_site: dict[str, list[str]] = {}
    for page_id, site in sorted(sites.items()):
        by_site.setdefault(site, []).append(page_id)
    sizes = [Counter() for _ in range(k)]
    folds: dict[str, int] = {}
    for site in sorted(by_site, key=site_hash):
        members = by_site[site]
        dataset = Counter(map(dataset_of, members)).most_common(1)[0][0]
        fold = min(range(k), key=lambda f: (sizes[f][dataset], sum(sizes[f].values()), f))
        for page_id in members:
            folds[page_id] = fold
            sizes[fold][dataset_of(page_id)] += 1
    return folds


def load_sites(eval_dir: Path) -> dict[str, str]:
    """The site of every gold page, by page id."""
    return {
        path.stem: site_of(json.loads(path.read_text(encoding="utf-8")))
        for path in sorted((eval_dir / "gold").glob("*.json"))
    }


def load_pages(eval_dir: Path, track: str) -> list[Page]:
    """Every dev page that has an input on this track, in id order."""
    pages = []
    for gold_path in sorted((eval_dir / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        source = gold["id"] + ".txt"
        path = eval_dir / "inputs" / track / source
        if path.is_file():
            text = decode_text(path.read_bytes())
            pages.append(Page(gold["id"], site_of(gold), track, source, text, gold))
    return pages


def load_scorer(eval_dir: Path) -> object:
    """The dev set's score.py, imported from its folder (it is not part of the project)."""
    sys.path.insert(0, str(eval_dir))
    import score

    return score


def write_rows(structures: dict[str, Structure], pages: Sequence[Page], out: Path) -> None:
    """Write the scorer's Parquet for these pages' records into a fresh folder."""
    out.mkdir(parents=True, exist_ok=True)
    rows = [structure_row(page.source, structures[page.id]) for page in pages]
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), out / "documents.parquet")


def score_folds(
    scorer: object, eval_dir: Path, out: Path, track: str, folds: dict[str, int], k: int
) -> list[dict]:
    """The scorer's metrics (by dataset) of each fold's pages, from one run's Parquet."""
    results = []
    for fold in range(k):
        only = {pid for pid, f in folds.items() if f == fold}
        result, _ = scorer.score_run(eval_dir, out, track, only=only)
        results.append(result["metrics"])
    return results


def mean_over_folds(per_fold: list[dict], dataset: str, key: str) -> float | None:
    """A figure averaged over the folds where it is defined (a fold may have no titles)."""
    values = [m[dataset][key] for m in per_fold if m.get(dataset, {}).get(key) is not None]
    return statistics.mean(values) if values else None


def cross_validate(
    system: System, pages: Sequence[Page], folds: dict[str, int], k: int
) -> tuple[dict[str, Structure], dict[str, Structure]]:
    """Each page's record from the system fitted on the other folds, and from the system fitted
    on every page (the in-sample record)."""
    held_out: dict[str, Structure] = {}
    for fold in range(k):
        train = [page for page in pages if folds[page.id] != fold]
        predict = system.fit(train)
        for page in pages:
            if folds[page.id] == fold:
                held_out[page.id] = predict(page)
        print(f"  fold {fold}: fitted on {len(train)} pages", file=sys.stderr, flush=True)
    predict = system.fit(list(pages))
    in_sample = {page.id: predict(page) for page in pages}
    return held_out, in_sample


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def fmt_gap(cv: float | None, ins: float | None) -> str:
    return "-" if cv is None or ins is None else f"{ins - cv:+.3f}"


def print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


def report(name: str, track: str, cv: list[dict], ins: list[dict], k: int) -> dict:
    """Print each dataset's figures as ``cv (in-sample, gap)``, then fold by fold; return them."""
    summary: dict = {}
    for dataset, figures in FIGURES.items():
        if not any(dataset in m for m in cv):
            continue
        header = ["system", "track", "n", *(column for _, column in figures)]
        n = sum(m[dataset]["n"] for m in cv if dataset in m)
        cells = [name, track, str(n)]
        summary[dataset] = {}
        for key, _ in figures:
            cv_value = mean_over_folds(cv, dataset, key)
            in_value = mean_over_folds(ins, dataset, key)
            summary[dataset][key] = {"cv": cv_value, "in_sample": in_value}
            cells.append(f"{fmt(cv_value)} ({fmt(in_value)}, {fmt_gap(cv_value, in_value)})")
        print_table(
            f"{TABLE_TITLES[dataset]} [cross-validated, {k} folds by site;"
            " each cell: cv (in-sample, in-sample - cv)]",
            header,
            [cells],
        )
        fold_rows = []
        for fold in range(k):
            metrics_cv, metrics_in = cv[fold].get(dataset), ins[fold].get(dataset)
            if metrics_cv is None:
                continue
            row = [f"fold {fold}", track, str(metrics_cv["n"])]
            row += [
                f"{fmt(metrics_cv.get(key))} ({fmt(metrics_in.get(key))})" for key, _ in figures
            ]
            fold_rows.append(row)
        print_table(f"{TABLE_TITLES[dataset]} [per fold: cv (in-sample)]", header, fold_rows)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = eval_parser(__doc__)
    parser.add_argument("--system", choices=sorted(SYSTEMS), default="rules", help="what to fit")
    parser.add_argument("--folds", type=int, default=K, help=f"number of folds (default {K})")
    parser.add_argument("--json", type=Path, help="write the figures (cv, in-sample, per fold)")
    args = parser.parse_args(argv)

    scorer = load_scorer(args.eval_dir)
    pages = load_pages(args.eval_dir, args.track)
    folds = assign_folds(load_sites(args.eval_dir), args.folds)
    out = args.out or Path(tempfile.mkdtemp(prefix=f"crossval-{args.track}-"))
    system = SYSTEMS[args.system](args.eval_dir, args.folds)
    held_out, in_sample = cross_validate(system, pages, folds, args.folds)
    write_rows(held_out, pages, out / "cv")
    write_rows(in_sample, pages, out / "in-sample")

    print("in-sample, every page scored at once (the table scripts/accuracy.py prints):")
    result, _ = scorer.score_run(args.eval_dir, out / "in-sample", args.track)
    scorer.report([(args.system, result)])
    cv = score_folds(scorer, args.eval_dir, out / "cv", args.track, folds, args.folds)
    ins = score_folds(scorer, args.eval_dir, out / "in-sample", args.track, folds, args.folds)
    sites = Counter(folds[page.id] for page in {page.site: page for page in pages}.values())
    sizes = Counter(folds.values())
    print(
        "folds (sites/pages): "
        + ", ".join(f"{f}: {sites[f]}/{sizes[f]}" for f in range(args.folds))
    )
    summary = report(args.system, args.track, cv, ins, args.folds)
    fired: Counter = Counter()
    for structure in held_out.values():
        fired.update(count_rules(structure))
    print(f"\nParquet under {out}")
    print_fired(fired)
    if args.json:
        payload = {"track": args.track, "system": args.system, "summary": summary}
        payload |= {"cv_per_fold": cv, "in_sample_per_fold": ins}
        args.json.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
