"""The learned decision: the content model (:mod:`ingest.structure.model`) as a named rule."""

from __future__ import annotations

from ingest.structure.rules.registry import Rule


def is_paragraph(text: str) -> bool:
    """Whether the model may judge a paragraph: any paragraph the named rules kept.

    >>> is_paragraph("Subscribe now"), is_paragraph("")
    (True, False)
    """
    return bool(text)


CONTENT_MODEL = Rule.context(
    "content_model",
    "A paragraph the named rules kept that the content model (a logistic regression over each"
    " paragraph's shape, position, neighbours and the rules' verdicts around it) scores as"
    " debris above its precision-first threshold.",
    is_paragraph,
    applied_by="ingest.structure.extract.finish_structure",
)
