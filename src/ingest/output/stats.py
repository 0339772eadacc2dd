"""A report on an output dataset: what it holds, what was rejected, and what each rule removed.

``collect_stats`` streams the Parquet files of ``documents/`` and ``rejects/`` in record batches,
reading only the columns it needs (a reject's ``raw`` bytes are never read, and a document's
``body`` only as its length, one batch at a time), so memory stays bounded on any dataset size.
The result renders three ways: a compact text table (``render_text``), JSON (``stats_to_json``)
and a self-contained HTML page with inline SVG charts and no network access (``render_html``).
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.fs as pafs

# Example texts kept for each rule, and how many characters of each: enough to judge a rule at a
# glance without turning the report into a dump of the dataset.
EXAMPLES_PER_RULE = 3
EXAMPLE_CHARS = 160
# Rows per streamed batch: bounds the memory of a scan to a few MB of article text.
SCAN_BATCH_ROWS = 2048
# Credits listed by name (the most frequent ones).
TOP_CREDITS = 10
# Upper edges of the body-length histogram, in characters (the last bin is open-ended).
LENGTH_BINS = (250, 500, 1000, 2000, 4000, 8000, 16000, 32000)
UNKNOWN_LANGUAGE = "(none)"
# An example worth showing holds a few letters or digits: a lone "•" or "X" says little about a
# rule, so such texts are shown only when the rule removed nothing else.
TELLING_EXAMPLE_RE = re.compile(r"\w.*\w.*\w", re.DOTALL)


@dataclass(slots=True)
class RuleStats:
    """How often one rule removed text, and a few of the texts it removed."""

    rule: str
    count: int
    examples: list[str] = field(default_factory=list)


@dataclass(slots=True)
class DatasetStats:
    """What an output dataset holds, in figures."""

    documents: int = 0
    rejects: int = 0
    documents_with_title: int = 0
    rejects_by_reason: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    removals: list[RuleStats] = field(default_factory=list)
    captions: int = 0
    captions_with_credit: int = 0
    top_credits: dict[str, int] = field(default_factory=dict)
    body_chars: dict[str, int] = field(default_factory=dict)  # min, p10, p50, p90, max
    body_length_histogram: dict[str, int] = field(default_factory=dict)


def scan(
    files: Sequence[str], filesystem: pafs.FileSystem | None, columns: dict[str, pc.Expression]
) -> Iterator[pa.RecordBatch]:
    """Record batches of the projected ``columns`` over ``files`` (nothing when there are none)."""
    if not files:
        return iter(())
    dataset = ds.dataset(list(files), filesystem=filesystem, format="parquet")
    return dataset.to_batches(
        columns=columns, batch_size=SCAN_BATCH_ROWS, batch_readahead=1, fragment_readahead=1
    )


def count_values(counter: Counter[str], values: pa.Array, none_label: str | None = None) -> None:
    """Add the counts of ``values`` to ``counter`` (nulls under ``none_label``, or skipped)."""
    for item in pc.value_counts(values).to_pylist():
        value = item["values"]
        if value is None:
            if none_label is None:
                continue
            value = none_label
        counter[value] += item["counts"]


def add_examples(
    examples: dict[str, list[str]], fallback: dict[str, str], rules: pa.Array, texts: pa.Array
) -> None:
    """Keep the first few distinct telling texts each rule removed (see ``TELLING_EXAMPLE_RE``),
    shortened to ``EXAMPLE_CHARS``; ``fallback`` keeps a rule's first text of any kind."""
    wanted = [rule for rule in examples if len(examples[rule]) < EXAMPLES_PER_RULE]
    new = set(pc.unique(rules).to_pylist()) - examples.keys()
    if not wanted and not new:
        return
    mask = pc.is_in(rules, value_set=pa.array([*wanted, *new], pa.string()))
    for rule, text in zip(
        pc.filter(rules, mask).to_pylist(), pc.filter(texts, mask).to_pylist(), strict=True
    ):
        kept = examples.setdefault(rule, [])
        short = shorten(text)
        fallback.setdefault(rule, short)
        if len(kept) < EXAMPLES_PER_RULE and short not in kept and TELLING_EXAMPLE_RE.search(text):
            kept.append(short)


def shorten(text: str) -> str:
    """``text`` on one line, cut to ``EXAMPLE_CHARS`` characters with an ellipsis.

    >>> shorten("Share\\non Facebook")
    'Share ⏎ on Facebook'
    >>> len(shorten("x" * 500)) == EXAMPLE_CHARS
    True
    """
    one_line = " ⏎ ".join(text.split("\n"))
    if len(one_line) <= EXAMPLE_CHARS:
        return one_line
    return one_line[: EXAMPLE_CHARS - 1] + "…"


def describe_lengths(lengths: np.ndarray) -> tuple[dict[str, int], dict[str, int]]:
    """Quantiles and a histogram of body lengths in characters.

    >>> quantiles, histogram = describe_lengths(np.array([100, 300, 300, 5000]))
    >>> quantiles["p50"], histogram["< 250"], histogram["250-499"], histogram["4000-7999"]
    (300, 1, 2, 1)
    """
    if lengths.size == 0:
        return {}, {}
    points = np.percentile(lengths, [0, 10, 50, 90, 100], method="nearest")
    quantiles = dict(
        zip(("min", "p10", "p50", "p90", "max"), (int(p) for p in points), strict=True)
    )
    counts = np.bincount(
        np.searchsorted(LENGTH_BINS, lengths, side="right"), minlength=len(LENGTH_BINS) + 1
    )
    labels = [f"< {LENGTH_BINS[0]}"]
    labels += [f"{low}-{high - 1}" for low, high in itertools.pairwise(LENGTH_BINS)]
    labels.append(f"≥ {LENGTH_BINS[-1]}")
    return quantiles, dict(zip(labels, (int(c) for c in counts), strict=True))


def collect_stats(
    document_files: Sequence[str],
    reject_files: Sequence[str],
    filesystem: pafs.FileSystem | None = None,
) -> DatasetStats:
    """Figures for the dataset made of these Parquet files, read in bounded memory."""
    stats = DatasetStats()
    languages: Counter[str] = Counter()
    removals: Counter[str] = Counter()
    credits: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    fallback: dict[str, str] = {}
    lengths: list[np.ndarray] = []
    columns = {
        "language": pc.field("language"),
        "has_title": pc.is_valid(pc.field("title")),
        "body_chars": pc.utf8_length(pc.field("body")),
        "removed": pc.field("removed"),
        "captions": pc.field("captions"),
    }
    for batch in scan(document_files, filesystem, columns):
        stats.documents += batch.num_rows
        stats.documents_with_title += pc.sum(batch.column("has_title")).as_py() or 0
        count_values(languages, batch.column("language"), UNKNOWN_LANGUAGE)
        lengths.append(batch.column("body_chars").to_numpy(zero_copy_only=False))
        removed = pc.list_flatten(batch.column("removed"))
        if len(removed):
            rules, texts = removed.field("rule"), removed.field("text")
            count_values(removals, rules)
            add_examples(examples, fallback, rules, texts)
        captions = pc.list_flatten(batch.column("captions"))
        stats.captions += len(captions)
        if len(captions):
            credit = captions.field("credit")
            stats.captions_with_credit += len(credit) - credit.null_count
            count_values(credits, credit)
    reasons: Counter[str] = Counter()
    for batch in scan(reject_files, filesystem, {"reason": pc.field("reason")}):
        stats.rejects += batch.num_rows
        count_values(reasons, batch.column("reason"))
    stats.rejects_by_reason = dict(reasons.most_common())
    stats.languages = dict(languages.most_common())
    stats.removals = [
        RuleStats(rule, count, examples.get(rule) or [fallback[rule]])
        for rule, count in removals.most_common()
    ]
    stats.top_credits = dict(credits.most_common(TOP_CREDITS))
    all_lengths = np.concatenate([*lengths, np.array([], dtype=np.int64)])
    stats.body_chars, stats.body_length_histogram = describe_lengths(all_lengths)
    return stats


def stats_to_json(stats: DatasetStats) -> str:
    """The figures as a JSON object (the same fields as the text and HTML reports)."""
    return json.dumps(asdict(stats), indent=2, ensure_ascii=False)


def render_text(stats: DatasetStats, top_rules: int = 12) -> str:
    """A compact plain-text report: one line per figure, the most frequent rules with examples."""
    lines = [
        f"documents       {stats.documents:>10,}   with a title: {stats.documents_with_title:,}",
        f"rejects         {stats.rejects:>10,}",
    ]
    lines += [f"  {reason:<28}{count:>8,}" for reason, count in stats.rejects_by_reason.items()]
    languages = ", ".join(f"{lang} {count:,}" for lang, count in list(stats.languages.items())[:8])
    lines.append(f"languages       {languages or '-'}")
    lines.append(
        f"captions        {stats.captions:>10,}   with a credit: {stats.captions_with_credit:,}"
    )
    if stats.top_credits:
        lines.append("  credits: " + ", ".join(f"{c} ({n})" for c, n in stats.top_credits.items()))
    if stats.body_chars:
        quantiles = "  ".join(f"{k} {v:,}" for k, v in stats.body_chars.items())
        lines.append(f"body characters {quantiles}")
    lines.append(f"removals by rule ({len(stats.removals)} rules)")
    for rule in stats.removals[:top_rules]:
        lines.append(f"  {rule.rule:<28}{rule.count:>8,}")
        lines += [f"      “{example}”" for example in rule.examples]
    if len(stats.removals) > top_rules:
        rest = len(stats.removals) - top_rules
        lines.append(f"  … {rest} more rules (all of them in --json and --html)")
    return "\n".join(lines) + "\n"


def svg_bars(items: Iterable[tuple[str, int]], width: int = 560) -> str:
    """A horizontal bar chart as an inline SVG element (labels left, counts right).

    >>> svg = svg_bars([("en", 3), ("de", 1)])
    >>> svg.startswith("<svg") and svg.count("<rect") == 2
    True
    """
    rows = list(items)
    if not rows:
        return "<p class='none'>none</p>"
    top = max(count for _, count in rows) or 1
    row_height, label_width, number_width = 22, 190, 70
    bar_room = width - label_width - number_width
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' "
        f"height='{row_height * len(rows) + 4}' role='img'>"
    ]
    for index, (label, count) in enumerate(rows):
        y = index * row_height + 2
        bar = max(1, round(bar_room * count / top)) if count else 0
        parts.append(
            f"<text x='{label_width - 6}' y='{y + 15}' text-anchor='end'>"
            f"{html.escape(label[:32])}</text>"
            f"<rect x='{label_width}' y='{y + 3}' width='{bar}' height='{row_height - 6}'/>"
            f"<text x='{label_width + bar + 4}' y='{y + 15}'>{count:,}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


HTML_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 62em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; border-bottom: 1px solid #ddd; }
.cards { display: flex; gap: 1em; flex-wrap: wrap; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .6em 1em; min-width: 9em; }
.card b { display: block; font-size: 1.6em; }
svg text { font-size: 12px; fill: #333; } svg rect { fill: #4a78b5; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; vertical-align: top;
  padding: .3em .5em; border-bottom: 1px solid #eee; }
td.n { text-align: right; white-space: nowrap; }
q { color: #555; display: block; font-size: .92em; } .none { color: #888; }
"""


def render_html(stats: DatasetStats, title: str = "ingest dataset report") -> str:
    """A self-contained HTML page: figures, inline SVG charts, every rule with its examples."""
    cards = [
        ("documents", stats.documents),
        ("rejects", stats.rejects),
        ("with a title", stats.documents_with_title),
        ("captions", stats.captions),
        ("captions with a credit", stats.captions_with_credit),
        ("rules that fired", len(stats.removals)),
    ]
    rule_rows = "".join(
        f"<tr><td>{html.escape(rule.rule)}</td><td class='n'>{rule.count:,}</td><td>"
        + "".join(f"<q>{html.escape(example)}</q>" for example in rule.examples)
        + "</td></tr>"
        for rule in stats.removals
    )
    quantiles = ", ".join(f"{k} {v:,}" for k, v in stats.body_chars.items()) or "no documents"
    sections = [
        "<div class='cards'>"
        + "".join(
            f"<div class='card'><b>{value:,}</b>{html.escape(name)}</div>" for name, value in cards
        )
        + "</div>",
        "<h2>Rejects by reason</h2>" + svg_bars(stats.rejects_by_reason.items()),
        "<h2>Languages</h2>" + svg_bars(list(stats.languages.items())[:20]),
        "<h2>Body length (characters)</h2>"
        f"<p>{html.escape(quantiles)}</p>" + svg_bars(stats.body_length_histogram.items()),
        "<h2>Removals by rule</h2>"
        + svg_bars((rule.rule, rule.count) for rule in stats.removals[:25])
        + "<table><tr><th>rule</th><th>removals</th><th>examples</th></tr>"
        + rule_rows
        + "</table>",
        "<h2>Photo credits</h2>" + svg_bars(stats.top_credits.items()),
    ]
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><style>{HTML_STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>" + "".join(sections) + "</body></html>\n"
    )
