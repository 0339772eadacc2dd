"""The one place that knows the order of the steps: raw input in, ``Document`` or ``Reject`` out.

Pure composition, no I/O: decode bytes, extract HTML or JSON Lines text, repair, find structure.
Every failure becomes a ``Reject`` with a reason code and the exact bytes.
"""

from __future__ import annotations

from ingest.config import DEFAULT_CONFIG, PipelineConfig
from ingest.errors import RejectInput
from ingest.ids import make_content_sha256
from ingest.read.html_text import html_to_text
from ingest.read.text import read_text
from ingest.records import Document, RawInput, Reject
from ingest.repair.fixes import repair_text
from ingest.structure.extract import extract_structure


def process_document(raw: RawInput, config: PipelineConfig = DEFAULT_CONFIG) -> Document | Reject:
    """Turn one raw input into a clean document, or into a reject that keeps its bytes.

    Never raises: an unexpected error inside a step becomes a reject with reason
    ``internal_error``, so one bad input cannot stop a batch.

    >>> page = "Caf\\u00c3\\u00a9 prices rise\\n\\nCoffee rose again, traders said on Tuesday.\\n"
    >>> doc = process_document(RawInput("a.txt", page.encode()))  # mojibake: "CafÃ©"
    >>> print(doc.title, doc.body, sep=" | ")
    Café prices rise | Coffee rose again, traders said on Tuesday.
    >>> doc.fixes[:2]
    ('ftfy:encode:latin-1', 'ftfy:decode:utf-8')
    >>> process_document(RawInput("blank.txt", b"  \\n")).reason
    'empty_input'
    """
    try:
        return build_document(raw, config)
    except RejectInput as rejected:
        return Reject.of(raw, rejected.reason, rejected.detail)
    except Exception as error:
        detail = f"the pipeline failed on this input ({type(error).__name__}: {error})"
        return Reject.of(raw, "internal_error", detail[:500])


def build_document(raw: RawInput, config: PipelineConfig) -> Document:
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
        doc_id=raw.doc_id,
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
        url=raw.url,
        fetched_at=raw.fetched_at,
    )
