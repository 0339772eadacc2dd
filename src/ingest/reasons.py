"""Reject reason codes: stable names (values of ``rejects.reason``), each with its meaning."""

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
}
