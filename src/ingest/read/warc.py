"""WARC and WET files, read record by record: each page a raw input, every other record accounted.

A ``.warc`` or ``.warc.gz`` file (Common Crawl's WARCs, ``wget --warc-file``) holds HTTP
``response`` records; a ``.warc.wet.gz`` (or ``.wet``, ``.wet.gz``) holds Common Crawl's
``conversion`` records, the plain text of each page. warcio parses the file as a stream: one
record's payload is in memory at a time (at most ``max_bytes`` of it), never the file.

What each record becomes:

- a ``response`` with an HTTP 2xx status: its payload (chunked transfer and Content-Encoding
  undone) is a ``RawInput`` in the format its Content-Type says, ``html`` for HTML and ``text``
  for plain text or no type, so it takes the path an ``.html`` or ``.txt`` file takes;
- a ``conversion`` record: its text is a ``text`` raw input;
- a response of another type: a ``non_html_response`` reject; another status:
  ``unsuccessful_status``; a record marked ``WARC-Truncated``: ``truncated_payload`` (each
  keeping the payload, whose digest is the doc_id, as for any input);
- a record the file ends inside: a ``truncated_record`` reject holding the record's stored
  bytes; what cannot be parsed at all: a ``bad_warc`` reject holding the stored bytes from that
  offset to the end (both bounded as in ``ingest.read.limits``). The records before either are
  read as usual;
- ``warcinfo``, ``request``, ``metadata``, ``revisit``, ``resource``, ``continuation``
  records are not input documents: each is a ``SkippedRecord`` with a code from
  ``ingest.reasons.SKIP_REASONS``, counted in the run's summary.

Every raw input and reject is named ``path#offset``: the byte offset where the record starts in
the file as stored (in a ``.warc.gz``, where its gzip member starts). It carries the record's
``WARC-Target-URI`` as ``url`` and its ``WARC-Date`` as ``fetched_at``.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator, WARCIterator
from warcio.recordloader import ArcWarcRecord

from ingest.read.limits import bounded_reject, prefix_and_digest, read_chunks
from ingest.records import RawInput, Reject

# File names read as WARC or WET, after lower-casing (``.warc.wet.gz`` ends in ``.wet.gz``).
WARC_SUFFIXES = (".warc", ".warc.gz", ".wet", ".wet.gz")

# Content-Types (before any ``;`` parameter) whose payload is read as HTML, and as plain text.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", ""})  # no Content-Type: like a file with no extension

# The record types that hold a page; every other one is skipped with the code below.
PAGE_TYPES = frozenset({"response", "conversion"})
SKIP_CODES = {
    "warcinfo": "warc_warcinfo",
    "request": "warc_request",
    "metadata": "warc_metadata",
    "revisit": "warc_revisit",
    "resource": "warc_resource",
    "continuation": "warc_continuation",
}

# A WARC-Date: ``2024-05-06T07:08:09Z``, maybe with a fraction of a second (WARC 1.1 allows up
# to nanoseconds; microseconds are kept). Must not match a date without ``T``, time or ``Z``.
WARC_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z")

# The reject of a record whose headers the file ends inside.
CUT_HEADERS = ("truncated_record", "the file ends inside the headers of this record")


@dataclass(frozen=True, slots=True)
class SkippedRecord:
    """A WARC record that is not an input document: its ``path#offset`` and a skip code."""

    source: str
    reason: str


def is_warc_name(name: str) -> bool:
    """Whether a file name is read as WARC or WET.

    >>> [is_warc_name(n) for n in ("a.warc.gz", "CC.warc.wet.gz", "x.wet", "page.html.gz")]
    [True, True, True, False]
    """
    return name.lower().endswith(WARC_SUFFIXES)


def parse_warc_date(value: str | None) -> datetime | None:
    """A WARC-Date as a UTC datetime (to the microsecond), or None when it is not one.

    >>> parse_warc_date("2024-05-06T07:08:09.1234567Z")
    datetime.datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=datetime.timezone.utc)
    >>> parse_warc_date("yesterday") is None, parse_warc_date("2024-13-01T00:00:00Z") is None
    (True, True)
    """
    found = WARC_DATE_RE.fullmatch(value.strip()) if value else None
    if found is None:
        return None
    *parts, fraction = found.groups()
    micro = int((fraction or "0").ljust(6, "0")[:6])
    try:
        return datetime(*map(int, parts), micro, tzinfo=UTC)
    except ValueError:
        return None


def read_warc_file(
    path: str, source: str, max_bytes: int
) -> Iterator[RawInput | Reject | SkippedRecord]:
    """Every record of the WARC or WET file at ``path``, in order (see the module's docstring).

    ``source`` names the file; each record is ``source#offset``. A payload over ``max_bytes``
    is a ``too_large`` reject holding its prefix. The file as a whole has no size limit.
    Raises ``OSError`` when the file cannot be read.
    """
    with Path(path).open("rb") as handle:
        records = WARCIterator(handle)  # WARC only: never guess another format (ARC)
        offset = 0  # where the next record starts
        try:
            for record in records:
                item = read_record(record, records, source, max_bytes)
                if isinstance(item, int):  # nothing after it can be trusted: kept, to the end
                    detail = "the file ends (or its compression breaks) before the record does"
                    reason = "truncated_record"
                    yield stored_bytes_reject(path, source, item, reason, detail, record)
                    return
                yield item
                offset = records.offset  # warcio's position after the record and its blank lines
            if offset < os.fstat(handle.fileno()).st_size:  # warcio stops at a cut header
                yield stored_bytes_reject(path, source, offset, *CUT_HEADERS)
        except OSError:
            raise
        except Exception as error:  # warcio's errors on bytes that are no record (of any type)
            if parsed_to_the_end(records, handle):
                reason, detail = CUT_HEADERS
            else:
                reason = "bad_warc"
                detail = f"not readable as WARC from this offset on ({describe(error)})"
            yield stored_bytes_reject(path, source, offset, reason, detail)


def parsed_to_the_end(records: ArchiveIterator, handle: BinaryIO) -> bool:
    """Whether warcio had read the whole file when it failed: then the file ends in a record."""
    reader = records.reader
    return (reader is None or reader.rem_length() == 0) and not handle.read(1)


def read_record(
    record: ArcWarcRecord, records: ArchiveIterator, source: str, max_bytes: int
) -> RawInput | Reject | SkippedRecord | int:
    """What one record becomes; its offset alone when the file ends inside it."""
    kind = record.rec_type
    if kind not in PAGE_TYPES:
        return SkippedRecord(f"{source}#{records.get_record_offset()}", skip_code(kind))
    stream = record.content_stream()
    payload = stream.read(max_bytes + 1)
    too_large = len(payload) > max_bytes
    read = prefix_and_digest(payload, read_chunks(stream)) if too_large else None
    offset = records.get_record_offset()
    if getattr(record.raw_stream, "limit", 0) > 0:  # its Content-Length was never reached
        return offset
    name = f"{source}#{offset}"
    if read is not None:
        detail = f"{read[1]} bytes of payload is more than the {max_bytes}-byte limit"
        return with_page(bounded_reject(name, "too_large", detail, read, "record"), record)
    raw = RawInput(name, payload, input_format(record), **page_fields(record))
    return reject_by_record(record, raw) or raw


def reject_by_record(record: ArcWarcRecord, raw: RawInput) -> Reject | None:
    """The reject a record's headers call for (truncated, unsuccessful, not HTML), else None."""
    truncated = record.rec_headers.get_header("WARC-Truncated")
    if truncated:
        detail = f"the crawler kept only part of the payload (WARC-Truncated: {truncated})"
        return Reject.of(raw, "truncated_payload", detail[:300])
    http = record.http_headers
    if http is not None:
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            detail = f"the HTTP status is {http.statusline[:100]}, not 2xx"
            return Reject.of(raw, "unsuccessful_status", detail)
    media = media_type(record)
    if record.rec_type == "response" and media not in HTML_TYPES | TEXT_TYPES:
        detail = f"the payload is {media[:100]}, neither HTML nor plain text"
        return Reject.of(raw, "non_html_response", detail)
    return None


def media_type(record: ArcWarcRecord) -> str:
    """The record's payload type, lower-cased, without parameters ("" when none is given)."""
    headers = record.http_headers if record.http_headers is not None else record.rec_headers
    value = headers.get_header("Content-Type") or ""
    return value.split(";", 1)[0].strip().lower()


def input_format(record: ArcWarcRecord) -> str:
    """``html`` for an HTML payload, else ``text`` (a conversion record is always text)."""
    if record.rec_type == "response" and media_type(record) in HTML_TYPES:
        return "html"
    return "text"


def page_fields(record: ArcWarcRecord) -> dict[str, object]:
    """The record's ``url`` and ``fetched_at``, for its raw input or reject."""
    headers = record.rec_headers
    return {
        "url": headers.get_header("WARC-Target-URI") or None,
        "fetched_at": parse_warc_date(headers.get_header("WARC-Date")),
    }


def with_page(reject: Reject, record: ArcWarcRecord | None) -> Reject:
    """``reject`` with the url and fetch time of the record it came from."""
    return reject if record is None else dataclasses.replace(reject, **page_fields(record))


def skip_code(kind: str | None) -> str:
    """The skip code of a record type that holds no page.

    >>> skip_code("revisit"), skip_code("x-custom")
    ('warc_revisit', 'warc_unknown_type')
    """
    return SKIP_CODES.get(kind or "", "warc_unknown_type")


def stored_bytes_reject(
    path: str,
    source: str,
    offset: int,
    reason: str,
    detail: str,
    record: ArcWarcRecord | None = None,
) -> Reject:
    """A reject of the bytes stored from ``offset`` to the end of the file, bounded."""
    with Path(path).open("rb") as handle:
        handle.seek(offset)
        read = prefix_and_digest(b"", read_chunks(handle))
    return with_page(bounded_reject(f"{source}#{offset}", reason, detail, read, "record"), record)


def describe(error: BaseException) -> str:
    """The error's type and the first non-blank line of its message (warcio's run over several).

    >>> describe(ValueError("\\n  bad gzip\\n more"))
    'ValueError: bad gzip'
    """
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return f"{type(error).__name__}: {lines[0] if lines else ''}"[:200]
