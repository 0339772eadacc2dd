"""The head: bylines and datelines, the breadcrumb trail on the headline's line, and head
paragraphs the text repeats later.

These rules are applied by :mod:`ingest.structure.extract` around the headline it finds; their
matchers are the one-paragraph tests.
"""

from __future__ import annotations

import re

from ingest.structure.bylines import is_byline, is_dateline
from ingest.structure.paragraphs import is_prose
from ingest.structure.rules.registry import Rule
from ingest.structure.title import TRAIL_ENDS

# --- breadcrumb ------------------------------------------------------------------------------

# What a breadcrumb trail leaves on the headline's line before the headline: items ending in a
# trail separator ("Home » News »", "You are here: home / Business /"), or a numbered trail's
# step ("3."). Must not match a phrase that does not end in a separator ("Home News").
TRAIL_STEP_RE = re.compile(r"\d{1,3}\.")
# A trail before a headline is at most this long (two titles' worth, as title.py allows).
MAX_TRAIL_PREFIX_CHARS = 600


def is_trail_prefix(text: str) -> bool:
    """Whether a piece of text is a breadcrumb trail's items before the headline, or its step.

    >>> is_trail_prefix("Home » News »"), is_trail_prefix("3."), is_trail_prefix("Home News")
    (True, True, False)
    """
    if len(text) > MAX_TRAIL_PREFIX_CHARS:
        return False
    return text.endswith(TRAIL_ENDS) or TRAIL_STEP_RE.fullmatch(text) is not None


def is_head_line(text: str) -> bool:
    """Whether a paragraph can sit in the head of a text: anything but prose.

    >>> is_head_line("Home » News"), is_head_line("The council met. " * 10)
    (True, False)
    """
    return not is_prose(text)


BYLINE = Rule.context(
    "byline",
    "The author line near the head (By Jane Doe); its name goes to `author`.",
    is_byline,
    applied_by="ingest.structure.extract.read_bylines",
)
DATELINE = Rule.context(
    "dateline",
    "A date stamp near the head (Updated 3 hours ago); its date goes to `published`.",
    is_dateline,
    applied_by="ingest.structure.extract.read_bylines",
)
BREADCRUMB = Rule.context(
    "breadcrumb",
    "The breadcrumb trail on the headline's line (Home » News »), or a numbered trail's"
    " step number: the last item is the title.",
    is_trail_prefix,
    applied_by="ingest.structure.extract.extract_paragraph_structure",
)
REPEATED_LINE = Rule.context(
    "repeated_line",
    "A head paragraph the text repeats later: a standfirst or a doubled headline.",
    is_head_line,
    applied_by="ingest.structure.extract.mark_repeated_lines",
)
