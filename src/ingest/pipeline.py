"""The one place that knows the order of the steps: raw input in, ``Document`` or ``Reject`` out.

Pure composition, no I/O: decode bytes, extract HTML or JSON Lines text, repair, find structure.
Every failure becomes a ``Reject`` with a reason code and the exact bytes.
"""

from __future__ import annotations

import json

from ingest.config import DEFAULT_CONFIG, PipelineConfig
from ingest.decode import decode_and_explain
from ingest.errors import RejectInput
from ingest.html_text import html_to_text
from ingest.ids import make_content_sha256, make_doc_id
from ingest.records import Document, RawInput, Reject
from ingest.repair import repair_text
from ingest.structure import extract_structure

JSONL_TEXT_FIELDS = ("text", "html")


def process_document(raw: RawInput, config: PipelineConfig = DEFAULT_CONFIG) -> Document | Reject:
    """Turn one raw input into a clean document, or into a reject that keeps its bytes.

    Never raises: an unexpected error inside a step becomes a reject with reason
    ``internal_error``, so one bad input cannot stop a batch.
    """
    doc_id = make_doc_id(raw.raw)
    try:
        return build_document(raw, doc_id, config)
    except RejectInput as rejected:
        return make_reject(raw, rejected.reason, rejected.detail, doc_id)
    except Exception as error:
        detail = f"the pipeline failed on this input ({type(error).__name__}: {error})"
        return make_reject(raw, "internal_error", detail[:500], doc_id)


def build_document(raw: RawInput, doc_id: str, config: PipelineConfig) -> Document:
    """The steps in order; raises ``RejectInput`` when the input cannot become a document."""
    if len(raw.raw) > config.max_input_bytes:
        detail = f"{len(raw.raw)} bytes is more than the {config.max_input_bytes}-byte limit"
        raise RejectInput("too_large", detail)
    text, encoding, decode_fixes, is_html = read_text(raw)
    if is_html:
        text = html_to_text(text)
    repaired, repair_fixes = repair_text(text, config.repair_profile)
    structure = extract_structure(repaired)
    body = "\n\n".join(structure.paragraphs)
    if not body.strip():
        msg = "no article text is left once debris is removed"
        raise RejectInput("empty_after_cleaning", msg)
    return Document(
        doc_id=doc_id,
        source=raw.source,
        title=structure.title,
        language=structure.language,
        body=body,
        captions=structure.captions,
        removed=structure.removed,
        encoding=encoding,
        fixes=(*decode_fixes, *repair_fixes),
        content_sha256=make_content_sha256(body),
        author=structure.author,
        published=structure.published,
        input_bytes=len(raw.raw),
        paragraph_count=len(structure.paragraphs),
    )


def read_text(raw: RawInput) -> tuple[str, str, tuple[str, ...], bool]:
    """Decode the input: (text, encoding, fixes made while decoding, whether the text is HTML)."""
    if raw.format == "jsonl":
        text, is_html = read_jsonl_record(raw.raw)
        return text, "utf-8", (), is_html
    decoded = decode_and_explain(raw.raw)
    return decoded.text, decoded.encoding, decoded.fixes, raw.format == "html"


def read_jsonl_record(line: bytes) -> tuple[str, bool]:
    """The text of one JSON Lines record: its ``text`` field, or its ``html`` field as HTML."""
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


def make_reject(raw: RawInput, reason: str, detail: str, doc_id: str | None = None) -> Reject:
    """A reject for this input, keeping its exact bytes."""
    return Reject(source=raw.source, reason=reason, detail=detail, raw=raw.raw, doc_id=doc_id)
