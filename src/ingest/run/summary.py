"""Counts of what a batch or a run did, merged up from batches into the run's summary."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ingest.records import Document, Reject


@dataclass(slots=True)
class RunSummary:
    """What happened to the inputs: every input is a document, a reject, or skipped as seen.

    ``known_files`` were not even read: the manifest lists them unchanged. ``skipped`` inputs
    were read but their doc_id is already in the output.
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
    files_written: list[str] = field(default_factory=list)

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
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.body_bytes += other.body_bytes
        self.rejects.update(other.rejects)
        self.removals.update(other.removals)
        self.files_written.extend(other.files_written)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (rejects and removals sorted by name)."""
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
            "files_written": list(self.files_written),
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
            files_written=list(data["files_written"]),
        )
