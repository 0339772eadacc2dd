"""Small WARC and WET files for the tests, made with warcio's writer (nothing is downloaded).

``write_warc(path, records)`` writes records described as dicts and returns the offset at which
each starts in the file, so a test can check ``source == f"{name}#{offset}"``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

DATE = "2024-05-06T07:08:09Z"

# A page that becomes a document: a headline and two paragraphs of prose.
PAGE = (
    b"<html><head><title>Harbour bridge</title></head><body>"
    b"<h1>Harbour bridge reopens after repairs</h1>"
    b"<p>The harbour bridge reopened on Monday after six months of repairs to its deck.</p>"
    b"<p>Engineers said the work finished two weeks early, and traffic returned by noon.</p>"
    b"</body></html>"
)


def response(
    url: str,
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
    date: str = DATE,
    warc_headers: dict[str, str] | None = None,
    http_headers: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """An HTTP ``response`` record."""
    headers = [("Content-Type", content_type), *(http_headers or [])]
    return {
        "type": "response",
        "url": url,
        "payload": body,
        "http": StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
        "warc_headers": {"WARC-Date": date, **(warc_headers or {})},
    }


def record(kind: str, url: str, payload: bytes, content_type: str, date: str = DATE) -> dict:
    """A record without HTTP headers (``conversion``, ``metadata``, ``resource``...)."""
    return {
        "type": kind,
        "url": url,
        "payload": payload,
        "content_type": content_type,
        "warc_headers": {"WARC-Date": date},
    }


def request(url: str) -> dict[str, Any]:
    """The HTTP ``request`` record a crawler writes before its response."""
    http = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "example.com")], is_http_request=True)
    return {
        "type": "request",
        "url": url,
        "payload": b"",
        "http": http,
        "content_type": "application/http; msgtype=request",
        "warc_headers": {},
    }


def revisit(url: str) -> dict[str, Any]:
    """A ``revisit`` record: the page was unchanged, only its HTTP headers are stored."""
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    headers = {
        "WARC-Date": DATE,
        "WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest",
    }
    return {"type": "revisit", "url": url, "payload": b"", "http": http, "warc_headers": headers}


def warc_bytes(
    records: list[dict[str, Any]], *, gzip: bool = True, info: bool = True
) -> tuple[bytes, list[int]]:
    """The file's bytes, and the offset of each record of ``records`` in it."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    if info:
        writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tests"}))
    offsets = []
    for spec in records:
        offsets.append(buffer.tell())
        made = writer.create_warc_record(
            spec["url"],
            spec["type"],
            payload=io.BytesIO(spec["payload"]),
            http_headers=spec.get("http"),
            warc_content_type=spec.get("content_type", "application/http; msgtype=response"),
            warc_headers_dict=spec["warc_headers"],
        )
        writer.write_record(made)
    return buffer.getvalue(), offsets


def write_warc(
    path: Path, records: list[dict[str, Any]], *, gzip: bool = True, info: bool = True
) -> list[int]:
    """Write a WARC (gzipped record by record unless ``gzip`` is False); the records' offsets."""
    data, offsets = warc_bytes(records, gzip=gzip, info=info)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return offsets
