"""The text of one raw input: its bytes decoded, or the text field of its JSON Lines record."""

from __future__ import annotations

import json

from ingest.errors import RejectInput
from ingest.read.decode import decode_and_explain
from ingest.records import RawInput

# The fields of a JSON Lines record that hold the document, in the order they are looked for.
JSONL_TEXT_FIELDS = ("text", "html")


def read_text(raw: RawInput) -> tuple[str, str, tuple[str, ...], bool]:
    """Decode the input: (text, encoding, fixes made while decoding, whether the text is HTML)."""
    if raw.format == "jsonl":
        text, is_html = read_jsonl_record(raw.raw)
        return text, "utf-8", (), is_html
    decoded = decode_and_explain(raw.raw)
    return decoded.text, decoded.encoding, decoded.fixes, raw.format == "html"


def read_jsonl_record(line: bytes) -> tuple[str, bool]:
    """The text of one JSON Lines record: its ``text`` field, or its ``html`` field as HTML.

    Raises ``RejectInput`` (``invalid_json_line``) for anything else.

    >>> read_jsonl_record(b'{"text": "Hello", "html": "<p>Hi</p>"}')
    ('Hello', False)
    >>> read_jsonl_record(b'{"html": "<p>Hi</p>"}')
    ('<p>Hi</p>', True)
    >>> read_jsonl_record(b"[1]")
    Traceback (most recent call last):
    ...
    ingest.errors.RejectInput: invalid_json_line: the line is valid JSON but not an object ...
    """
    try:
        record = json.loads(line)
    except (ValueError, RecursionError) as error:
        msg = f"the line is not valid JSON ({error})"
        raise RejectInput("invalid_json_line", msg[:300]) from None
    if not isinstance(record, dict):
        msg = "the line is valid JSON but not an object with a text or html field"
        raise RejectInput("invalid_json_line", msg)
    for field in JSONL_TEXT_FIELDS:
        value = record.get(field)
        if isinstance(value, str):
            return value, field == "html"
    msg = "the JSON object has no string field named text or html"
    raise RejectInput("invalid_json_line", msg)
