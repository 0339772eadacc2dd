"""The library's face for one document at a time: text, bytes or HTML in, a record out.

These give exactly the record ``ingest run`` writes for a file holding the same bytes: the same
``doc_id``, body, title, captions and removals. They never raise on bad input: what cannot become
a document comes back as a ``Reject`` that keeps the bytes, with its reason code.

>>> from ingest import process_text
>>> text = "English\\n\\nA headline for the example\\n\\n" + "Prose. " * 30
>>> doc = process_text(text, source="x.txt")
>>> doc.title, doc.language, [r.rule for r in doc.removed]
('A headline for the example', 'en', ['language_switcher_label'])
>>> process_text("   ").reason
'empty_input'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from ingest.config import DEFAULT_CONFIG, PipelineConfig
from ingest.pipeline import process_document
from ingest.read.names import source_name
from ingest.read.warc import SkippedRecord, read_warc_file
from ingest.records import INPUT_FORMATS, Document, RawInput, Reject


def process_bytes(
    data: bytes,
    source: str = "<bytes>",
    *,
    format: str = "text",
    config: PipelineConfig = DEFAULT_CONFIG,
) -> Document | Reject:
    """The record for one input's bytes: decoded, repaired and structured as a file would be.

    ``format`` is ``text`` (any encoding; detected), ``html``, or ``jsonl`` (one JSON Lines line
    with a ``text`` or ``html`` field). ``source`` is what the record's ``source`` says.

    >>> process_bytes("Caf\\xe9 culture is a topic. ".encode("cp1252") * 12).encoding
    'cp1252'
    """
    if format not in INPUT_FORMATS:
        msg = f"format must be one of {', '.join(INPUT_FORMATS)}, not {format!r}"
        raise ValueError(msg)
    if not isinstance(data, bytes | bytearray | memoryview):
        msg = f"data must be bytes, not {type(data).__name__} (use process_text for a str)"
        raise TypeError(msg)
    return process_document(RawInput(source, bytes(data), format), config)


def process_text(
    text: str, source: str = "<text>", *, config: PipelineConfig = DEFAULT_CONFIG
) -> Document | Reject:
    """The record for a text already decoded: the same as for a UTF-8 file holding it.

    A string with a lone surrogate (U+D800-U+DFFF: not a character, and not encodable as UTF-8)
    comes back as an ``undecodable_bytes`` reject whose ``raw`` holds it as UTF-8 with the
    surrogates passed through.
    """
    if not isinstance(text, str):
        msg = f"text must be str, not {type(text).__name__} (use process_bytes for bytes)"
        raise TypeError(msg)
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as error:
        raw = RawInput(source, text.encode("utf-8", "surrogatepass"))
        detail = f"the text holds a lone surrogate at character {error.start}, which is not text"
        return Reject.of(raw, "undecodable_bytes", detail)
    return process_bytes(data, source, config=config)


def process_html(
    html: str | bytes, source: str = "<html>", *, config: PipelineConfig = DEFAULT_CONFIG
) -> Document | Reject:
    """The record for an HTML page, as for an ``.html`` file (bytes keep their own encoding).

    >>> process_html("<h1>A title for it</h1><p>" + "Prose. " * 30 + "</p>").title
    'A title for it'
    """
    data = html.encode("utf-8", "surrogatepass") if isinstance(html, str) else html
    return process_bytes(data, source, format="html", config=config)


def process_warc(
    path: str | os.PathLike[str],
    source: str | None = None,
    *,
    config: PipelineConfig = DEFAULT_CONFIG,
) -> Iterator[Document | Reject]:
    """The record of every page in a WARC or WET file, in order, read as ``ingest run`` reads it.

    Each is named ``source#offset`` (``source`` defaults to the file's name) and carries the
    record's ``url`` and ``fetched_at``. The file is streamed, one record at a time. Records that
    are no page (``warcinfo``, ``request``, ``revisit``...) give nothing here; ``ingest run``
    counts them. Pages with the same bytes or body are not turned into ``duplicate`` rejects:
    that is the output's business, as for ``process_bytes``. Raises ``OSError`` when the file
    cannot be read.
    """
    name = source if source is not None else source_name(Path(path).name)
    for item in read_warc_file(os.fspath(path), name, config.max_input_bytes):
        if isinstance(item, SkippedRecord):
            continue
        yield item if isinstance(item, Reject) else process_document(item, config)
