"""Counts of what a batch or a run did, merged up from batches into the run's summary."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from ingest.read.files import Discovery
from ingest.records import Document, Reject

NOT_REGULAR_LISTED = 10  # entries that are not regular files named in a summary (all are counted)

# A run of characters that a Prefect artifact key may not hold: it allows only lowercase ASCII
# letters, digits and dashes. Applied to a lowercased, accent-stripped name, so it matches `_`,
# `.`, spaces and what is left of other scripts; it must not match a-z or 0-9.
NOT_IN_ARTIFACT_KEY_RE = re.compile(r"[^a-z0-9]+")


def output_name(output: str) -> str:
    """The last part of an output's location, which names its runs and its summary.

    >>> output_name("/data/articles/"), output_name("s3://bucket/crawl/2026"), output_name("/")
    ('articles', '2026', 'out')
    """
    return PurePosixPath(output.rstrip("/")).name or "out"


def summary_key(output: str) -> str:
    """The Prefect artifact key of an output's run summaries: ``ingest-<output name>``, slugged.

    Runs into one output publish under one key (its latest is the output's last run), runs
    into other outputs under theirs. Outputs with the same last name share a key.

    >>> summary_key("/data/Articles_2026.v2"), summary_key("s3://b/données")
    ('ingest-articles-2026-v2', 'ingest-donnees')
    >>> summary_key("/srv/___"), summary_key("/srv/新闻")
    ('ingest-out', 'ingest-out')
    """
    ascii_name = unicodedata.normalize("NFKD", output_name(output)).encode("ascii", "ignore")
    slug = NOT_IN_ARTIFACT_KEY_RE.sub("-", ascii_name.decode().lower()).strip("-")
    return f"ingest-{slug or 'out'}"


@dataclass(slots=True)
class RunSummary:
    """What happened to the inputs: every input is a document, a reject, or skipped as seen.

    ``known_files`` were not even read: the manifest lists them unchanged. ``skipped`` inputs
    were read but their doc_id is already in the output. ``skipped_records`` counts, by skip
    code (``ingest.reasons.SKIP_REASONS``), the WARC records that are not input documents.
    ``unreadable_folders`` (path and error) could not be listed, and ``not_regular_files``
    entries (FIFOs, devices, symlink loops, links out of INPUT...) were not read: the first of
    them are in ``not_regular_first``.
    """

    files: int = 0
    known_files: int = 0
    inputs: int = 0
    documents: int = 0
    skipped: int = 0
    captions: int = 0
    input_bytes: int = 0
    body_bytes: int = 0
    rejects: Counter[str] = field(default_factory=Counter)
    removals: Counter[str] = field(default_factory=Counter)
    skipped_records: Counter[str] = field(default_factory=Counter)
    files_written: list[str] = field(default_factory=list)
    unreadable_folders: list[dict[str, str]] = field(default_factory=list)
    not_regular_files: int = 0
    not_regular_first: list[dict[str, str]] = field(default_factory=list)
    # A run's wall time, from when its caller started it (Prefect's start-up included), and the
    # share of it spent before the flow began reading inputs. Zero in a batch's summary.
    seconds: float = 0.0
    startup_seconds: float = 0.0

    def count_discovery(self, discovery: Discovery) -> None:
        """Count what discovery could not or would not read."""
        self.unreadable_folders.extend(
            {"path": s.path, "error": s.why} for s in discovery.unreadable_folders
        )
        self.not_regular_files += len(discovery.not_regular)
        room = NOT_REGULAR_LISTED - len(self.not_regular_first)
        self.not_regular_first.extend(
            {"path": s.path, "kind": s.why} for s in discovery.not_regular[: max(room, 0)]
        )

    def count_document(self, doc: Document) -> None:
        """Count one document."""
        self.inputs += 1
        self.documents += 1
        self.captions += len(doc.captions)
        self.input_bytes += doc.input_bytes
        self.body_bytes += len(doc.body.encode("utf-8", "surrogatepass"))
        self.removals.update(removal.rule for removal in doc.removed)

    def count_reject(self, rej: Reject) -> None:
        """Count one reject."""
        self.inputs += 1
        self.input_bytes += len(rej.raw)
        self.rejects[rej.reason] += 1

    def count_skipped_record(self, reason: str) -> None:
        """Count one WARC record that is not an input document, by its skip code."""
        self.skipped_records[reason] += 1

    def merge(self, other: RunSummary) -> None:
        """Add another summary's counts to this one.

        >>> run, batch = RunSummary(files=2, documents=1), RunSummary(files=1, documents=1)
        >>> batch.rejects["empty_input"] += 1
        >>> run.merge(batch)
        >>> counts = run.to_dict()
        >>> counts["files"], counts["documents"], counts["rejects"], counts["rejects_by_reason"]
        (3, 2, 1, {'empty_input': 1})
        >>> RunSummary.from_dict(counts) == run
        True
        """
        for name in (
            "files",
            "known_files",
            "inputs",
            "documents",
            "skipped",
            "captions",
            "input_bytes",
            "not_regular_files",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.body_bytes += other.body_bytes
        self.rejects.update(other.rejects)
        self.removals.update(other.removals)
        self.skipped_records.update(other.skipped_records)
        self.files_written.extend(other.files_written)
        self.unreadable_folders.extend(other.unreadable_folders)
        room = NOT_REGULAR_LISTED - len(self.not_regular_first)
        self.not_regular_first.extend(other.not_regular_first[: max(room, 0)])

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (rejects and removals sorted by name), with the run's rates.

        ``mb_per_second`` is input MB over the whole run, ``mb_per_second_after_startup`` over
        the time after Prefect's start-up, when the inputs were read and processed.

        >>> counts = RunSummary(input_bytes=6_000_000, seconds=8.0, startup_seconds=5.0).to_dict()
        >>> counts["mb_per_second"], counts["mb_per_second_after_startup"]
        (0.75, 2.0)
        """
        megabytes = self.input_bytes / 1e6
        after_startup = self.seconds - self.startup_seconds
        return {
            "files": self.files,
            "known_files": self.known_files,
            "inputs": self.inputs,
            "documents": self.documents,
            "rejects": sum(self.rejects.values()),
            "skipped": self.skipped,
            "captions": self.captions,
            "input_bytes": self.input_bytes,
            "body_bytes": self.body_bytes,
            "rejects_by_reason": dict(sorted(self.rejects.items())),
            "removals_by_rule": dict(sorted(self.removals.items())),
            "skipped_records": sum(self.skipped_records.values()),
            "skipped_records_by_reason": dict(sorted(self.skipped_records.items())),
            "files_written": list(self.files_written),
            "unreadable_folders": len(self.unreadable_folders),
            "unreadable_folder_list": list(self.unreadable_folders),
            "not_regular_files": self.not_regular_files,
            "not_regular_first": list(self.not_regular_first),
            "seconds": round(self.seconds, 3),
            "startup_seconds": round(self.startup_seconds, 3),
            "mb_per_second": round(megabytes / self.seconds, 3) if self.seconds > 0 else None,
            "mb_per_second_after_startup": (
                round(megabytes / after_startup, 3) if after_startup > 0 else None
            ),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSummary:
        """The inverse of ``to_dict``."""
        return cls(
            files=data["files"],
            known_files=data["known_files"],
            inputs=data["inputs"],
            documents=data["documents"],
            skipped=data["skipped"],
            captions=data["captions"],
            input_bytes=data["input_bytes"],
            body_bytes=data["body_bytes"],
            rejects=Counter(data["rejects_by_reason"]),
            removals=Counter(data["removals_by_rule"]),
            skipped_records=Counter(data["skipped_records_by_reason"]),
            files_written=list(data["files_written"]),
            unreadable_folders=list(data["unreadable_folder_list"]),
            not_regular_files=data["not_regular_files"],
            not_regular_first=list(data["not_regular_first"]),
            seconds=data["seconds"],
            startup_seconds=data["startup_seconds"],
        )


def most_frequent(counts: dict[str, int], n: int | None = None) -> list[tuple[str, int]]:
    """The ``n`` largest counts (all when None), largest first, ties by name.

    >>> most_frequent({"b": 2, "a": 2, "c": 5, "d": 1}, 3)
    [('c', 5), ('a', 2), ('b', 2)]
    """
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


# Files written named on the markdown page (all are in the table artifact and --json).
FILES_LISTED = 10


def summary_markdown(summary: dict[str, Any], location: str) -> str:
    """A run's summary (``to_dict`` plus ``run_id``) as a markdown page for Prefect's UI.

    >>> page = summary_markdown({**RunSummary(documents=2).to_dict(), "run_id": "R"}, "out")
    >>> print(page.splitlines()[0])
    # ingest run R into out
    """
    megabytes = summary["input_bytes"] / 1e6
    rate, after = summary["mb_per_second"], summary["mb_per_second_after_startup"]
    rates = f"{rate:.2f} MB/s" if rate is not None else "-"
    if after is not None:
        rates += f", {after:.2f} MB/s after {summary['startup_seconds']:.1f} s of start-up"
    lines = [
        f"# ingest run {summary['run_id']} into {location}",
        "",
        f"**{summary['documents']} documents** and **{summary['rejects']} rejects** from "
        f"{summary['files']} files ({megabytes:.2f} MB) in {summary['seconds']:.1f} s "
        f"({rates}).",
        "",
        "| measure | value |",
        "| --- | ---: |",
    ]
    for name in (
        "files",
        "known_files",
        "inputs",
        "documents",
        "rejects",
        "skipped",
        "captions",
        "input_bytes",
        "body_bytes",
        "not_regular_files",
        "unreadable_folders",
        "failed_batches",
    ):
        if name in summary:
            lines.append(f"| {name} | {summary[name]} |")
    for title, counts in (
        ("Rejects by reason", summary["rejects_by_reason"]),
        ("Removals by rule", summary["removals_by_rule"]),
    ):
        lines += ["", f"## {title}", ""]
        if not counts:
            lines.append("none")
            continue
        lines += ["| name | count |", "| --- | ---: |"]
        lines += [f"| `{name}` | {count} |" for name, count in most_frequent(counts)]
    written = summary["files_written"]
    lines += ["", f"## Files written: {len(written)}", ""]
    lines += [f"- `{path}`" for path in written[:FILES_LISTED]]
    if len(written) > FILES_LISTED:
        lines.append(f"- and {len(written) - FILES_LISTED} more (in the table artifact)")
    return "\n".join(lines) + "\n"
