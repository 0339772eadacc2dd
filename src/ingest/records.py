"""The records the pipeline produces. Field names are the Parquet column names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Removal:
    """A piece of text the pipeline dropped, and the rule that dropped it."""

    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class Caption:
    """An image caption split out of the text.

    ``position`` is the number of body paragraphs that come before it.
    """

    text: str
    credit: str | None
    position: int


@dataclass(frozen=True, slots=True)
class Structure:
    """What structure extraction finds in repaired text."""

    title: str | None
    language: str | None
    author: str | None
    published: str | None
    paragraphs: tuple[str, ...]
    captions: tuple[Caption, ...] = ()
    removed: tuple[Removal, ...] = ()


@dataclass(frozen=True, slots=True)
class RawInput:
    """One input document as found: where it came from and its exact bytes."""

    source: str
    raw: bytes
    # How to read the bytes: "text" (plain text), "html", or "jsonl" (one JSON Lines line).
    format: str = "text"


@dataclass(frozen=True, slots=True)
class Document:
    """A clean record for ``OUT/documents``."""

    doc_id: str
    source: str
    title: str | None
    language: str | None
    body: str
    captions: tuple[Caption, ...]
    removed: tuple[Removal, ...]
    encoding: str
    fixes: tuple[str, ...]
    content_sha256: str
    author: str | None = None
    published: str | None = None
    input_bytes: int = 0
    paragraph_count: int = 0


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not become a document, with its exact bytes."""

    source: str
    reason: str
    detail: str
    raw: bytes
    doc_id: str | None = None
    duplicate_of: str | None = None
