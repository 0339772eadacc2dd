"""The records the pipeline produces. Field names are the Parquet column names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ingest.ids import make_doc_id


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
class Block:
    """One block of an HTML page's visible text (a paragraph, heading, list item, caption ...)
    with what the markup around it says, as the HTML reader hands it to the structure stage.

    ``tag`` is the element that makes it a block (``p``, ``h1``, ``li``, ``figcaption`` ...);
    ``zone`` the innermost page-furniture element around it (``nav``, ``header``, ``footer``,
    ``aside``, ``form``, or None); ``caption`` whether it sits in a ``figcaption`` or a
    caption-classed element, and ``credit`` the text of a credit-classed element inside that
    caption; ``link_chars`` how many of its characters are link text; ``main`` whether the
    page's main-content extraction kept it.
    """

    text: str
    tag: str
    zone: str | None = None
    caption: bool = False
    credit: str | None = None
    link_chars: int = 0
    main: bool = True


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """What the HTML reader finds in a page: its text blocks in page order, and the page's
    metadata where it has some (headline hints from ``og:title`` and ``<title>``, author and
    date from ``meta``/JSON-LD, the ``<html lang>`` attribute as written)."""

    blocks: tuple[Block, ...]
    title_hints: tuple[str, ...] = ()
    author: str | None = None
    published: str | None = None
    lang: str | None = None


# How an input's bytes are read: plain text (any encoding), HTML, or one JSON Lines line.
INPUT_FORMATS = ("text", "html", "jsonl")


@dataclass(frozen=True, slots=True)
class RawInput:
    """One input document as found: where it came from, its exact bytes and their doc_id.

    The doc_id is computed here, once per input, when the reader makes it: skipping known
    inputs, duplicate checks and the record written all use this one value. ``url`` and
    ``fetched_at`` are the page's address and fetch time where the input says them (a WARC or
    WET record), and go unchanged into its document or reject.

    >>> RawInput("a.txt", b"hello").doc_id
    '2cf24dba5fb0a30e26e83b2ac5b9e29e'
    """

    source: str
    raw: bytes
    format: str = "text"  # one of INPUT_FORMATS
    url: str | None = None
    fetched_at: datetime | None = None
    doc_id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "doc_id", make_doc_id(self.raw))


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
    input_root: str | None = None  # the INPUT it was found under (set when a run writes it)
    url: str | None = None
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Reject:
    """An input that could not become a document, with its exact bytes (only a prefix of a file
    too large to read whole).

    Built by ``Reject.of`` (an input that was read) or ``Reject.unread`` (one that was not).
    """

    source: str
    reason: str
    detail: str
    raw: bytes
    doc_id: str | None = None
    duplicate_of: str | None = None
    input_root: str | None = None  # the INPUT it was found under (set when a run writes it)
    url: str | None = None
    fetched_at: datetime | None = None

    @classmethod
    def of(
        cls, item: RawInput | Reject, reason: str, detail: str, duplicate_of: str | None = None
    ) -> Reject:
        """The reject of an input that was read, keeping its exact bytes, doc_id, url and time.

        ``item`` is the input, or an earlier reject of it (a duplicate of a rejected input).

        >>> Reject.of(RawInput("a.txt", b"hello"), "empty_input", "No text.").doc_id
        '2cf24dba5fb0a30e26e83b2ac5b9e29e'
        """
        return cls(
            source=item.source,
            reason=reason,
            detail=detail,
            raw=item.raw,
            doc_id=item.doc_id,
            duplicate_of=duplicate_of,
            url=item.url,
            fetched_at=item.fetched_at,
        )

    @classmethod
    def unread(
        cls, source: str, reason: str, detail: str, raw: bytes = b"", doc_id: str | None = None
    ) -> Reject:
        """The reject of a file that was not read whole, so no ``RawInput`` holds it.

        A file that could not be read at all keeps no bytes and has no doc_id (so a later run
        tries it again); a file too large to read keeps a prefix and the whole file's doc_id.

        >>> Reject.unread("gone.txt", "unreadable_input", "could not read the file").doc_id is None
        True
        """
        return cls(source=source, reason=reason, detail=detail, raw=raw, doc_id=doc_id)
