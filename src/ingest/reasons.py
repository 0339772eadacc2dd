"""Reject reason codes (values of ``rejects.reason``) and the skip codes of WARC records: stable
names, each with its meaning."""

from __future__ import annotations

REASONS: dict[str, str] = {
    "empty_input": "The input holds no bytes, or only whitespace.",
    "binary_content": "The bytes are not text (an image, PDF, archive or other binary format).",
    "nul_bytes": "The text holds NUL bytes that no text encoding explains.",
    "undecodable_bytes": "No text encoding decodes the bytes without loss.",
    "empty_after_cleaning": "Nothing of the article is left once debris is removed.",
    "invalid_json_line": "A JSON Lines line is not valid JSON, or holds no text or html field.",
    "bad_gzip": "A .gz input is truncated or not gzip data.",
    "unreadable_input": "The input could not be read (it vanished, or permission was denied).",
    "too_large": "The input is larger than the configured maximum size.",
    "internal_error": "A pipeline step failed on this input: a bug, kept with the bytes.",
    "duplicate": "The same body (content_sha256) was already kept from another input.",
    "non_html_response": (
        "A WARC response whose Content-Type is neither HTML nor plain text (an image, a PDF, a "
        "script...): raw holds its HTTP payload."
    ),
    "unsuccessful_status": (
        "A WARC response whose HTTP status is not 2xx (a redirect, a not-found or error page): "
        "raw holds its HTTP payload."
    ),
    "truncated_payload": (
        "A WARC record the crawler marked WARC-Truncated (cut at a size or time limit): raw "
        "holds the part it kept."
    ),
    "truncated_record": (
        "A WARC record the file ends (or its compression breaks) inside: raw holds the record's "
        "bytes as stored, from its offset on."
    ),
    "bad_warc": (
        "A WARC or WET file that cannot be parsed from this offset on (not WARC, or gzipped "
        "whole rather than record by record): raw holds the stored bytes from there to the end."
    ),
}

# Why a record of a WARC or WET file is not an input document: counted in the run's summary
# (``skipped_records_by_reason``), never written. Every kind that holds a page is read.
SKIP_REASONS: dict[str, str] = {
    "warc_warcinfo": "A warcinfo record: it describes the file, not a page.",
    "warc_request": "A request record: what the crawler sent, not a page.",
    "warc_metadata": "A metadata record: the crawler's notes on a capture (links, timings).",
    "warc_revisit": (
        "A revisit record: the page was unchanged since an earlier capture, whose response "
        "record holds it; a revisit holds no page of its own."
    ),
    "warc_resource": (
        "A resource record (a crawler's log, a file stored without an HTTP exchange): not read "
        "as a page."
    ),
    "warc_continuation": (
        "A continuation record: a later segment of a record split over several; segments are "
        "not joined."
    ),
    "warc_unknown_type": "A record whose WARC-Type the WARC standard does not define.",
}
