"""The one place that knows the order of the steps: raw input in, ``Document`` or ``Reject`` out.

Pure composition, no I/O: decode bytes, extract HTML or JSON Lines text, repair, find structure.
Every failure becomes a ``Reject`` with a reason code and the exact bytes.
"""

from __future__ import annotations

from dataclasses import replace

from ingest.config import DEFAULT_CONFIG, PipelineConfig
from ingest.errors import RejectInput
from ingest.ids import make_content_sha256
from ingest.read.html import read_html
from ingest.read.html_text import html_to_text
from ingest.read.text import read_text
from ingest.records import Document, HtmlPage, RawInput, Reject, Structure
from ingest.repair.fixes import repair_text
from ingest.structure.extract import extract_structure
from ingest.structure.markup import extract_html_structure


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
    structure, encoding, fixes = read_structure(raw, config)
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
        fixes=fixes,
        content_sha256=make_content_sha256(body),
        author=structure.author,
        published=structure.published,
        input_bytes=len(raw.raw),
        paragraph_count=len(structure.paragraphs),
        url=raw.url,
        fetched_at=raw.fetched_at,
    )


def read_structure(
    raw: RawInput, config: PipelineConfig = DEFAULT_CONFIG
) -> tuple[Structure, str, tuple[str, ...]]:
    """Decode, repair and structure one input: (structure, encoding, fixes made).

    The steps a document is made by, before the checks on its body; the accuracy script calls
    this too, so that it measures exactly the path ``ingest run`` takes.
    """
    text, encoding, decode_fixes, is_html = read_text(raw)
    page = read_html(text) if is_html else None
    if page is not None:
        page, repair_fixes = repair_page(page, config)
        return extract_html_structure(page), encoding, (*decode_fixes, *repair_fixes)
    if is_html:  # too deep or unreadable as a tree: read as flattened text
        text = html_to_text(text)
    repaired, repair_fixes = repair_text(text, config.repair_profile)
    return extract_structure(repaired), encoding, (*decode_fixes, *repair_fixes)


def repair_page(page: HtmlPage, config: PipelineConfig) -> tuple[HtmlPage, tuple[str, ...]]:
    """The page with every block's text (and caption credit) repaired, and the fixes made, each
    named once in order of first use."""
    fixes: dict[str, None] = {}

    def repaired(text: str) -> str:
        result, made = repair_text(text, config.repair_profile)
        fixes.update(dict.fromkeys(made))
        return result

    blocks = tuple(
        replace(block, text=repaired(block.text), credit=block.credit and repaired(block.credit))
        for block in page.blocks
    )
    hints = tuple(repaired(hint) for hint in page.title_hints)
    return replace(page, blocks=blocks, title_hints=hints), tuple(fixes)
