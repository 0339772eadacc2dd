"""Photo credits and caption labels on lines of their own.

A credit line goes to the caption above it, a credit split over a label line and a name line
becomes that caption's credit, and a caption's label makes the line below it a caption; the
tests of one line are in :mod:`ingest.structure.captions`, and
:func:`ingest.structure.extract.attach_credit_lines` applies them.

>>> PHOTO_CREDIT.matcher("Jane Doe | Getty Images"), PHOTO_CREDIT.matcher("Getty Images fell 3%.")
(True, False)
>>> SPLIT_CREDIT.matcher("Image copyright"), CAPTION_LABEL.matcher("Image caption")
(True, True)
"""

from __future__ import annotations

from ingest.structure.captions import (
    is_caption_label_line,
    is_credit_label_line,
    is_credit_line,
)
from ingest.structure.rules.registry import Rule

PHOTO_CREDIT = Rule.context(
    "photo_credit",
    "A photo credit on a line of its own (joined to the caption above when there is one).",
    is_credit_line,
    applied_by="ingest.structure.extract.attach_credit_lines",
)
SPLIT_CREDIT = Rule.context(
    "split_credit",
    "A photo credit split over two lines, its label (Foto:, Image copyright) and the name"
    " below it: the name becomes the caption's credit.",
    is_credit_label_line,
    applied_by="ingest.structure.extract.attach_credit_lines",
)
CAPTION_LABEL = Rule.context(
    "caption_label",
    "A caption's label on a line of its own (Image caption): the line below it is the caption.",
    is_caption_label_line,
    applied_by="ingest.structure.extract.take_labelled_caption",
)
