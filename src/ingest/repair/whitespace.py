"""Whitespace normalisation steps: small pure functions, each named by the fix step it records.

``normalize_newlines`` runs before ftfy (so that ftfy's segments are real lines); the steps in
``WHITESPACE_STEPS`` run after it, in that order. What is deliberately kept:

- U+3000 IDEOGRAPHIC SPACE: ordinary spacing in Chinese and Japanese text (paragraph indents,
  spacing around full-width punctuation), not an odd space.
- U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER: they change the meaning of Persian and
  Indic words and build emoji sequences (👩‍👩‍👧).
- Tabs and runs of spaces inside a line: the structure stage decides what they mean.
- A single newline between lines: only runs of blank lines are collapsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Line breaks other than LF: CRLF, CR, VT and FF (Word writes VT for a manual line break), LINE
# SEPARATOR and PARAGRAPH SEPARATOR. Must not match NEL (U+0085): it is usually mojibake of "…",
# which ftfy repairs.
LINE_BREAK_RE = re.compile("\r\n|[\r\x0b\x0c\u2028\u2029]")
LINE_BREAK_CHARS = "\r\x0b\x0c\u2028\u2029"

# Spaces that are not U+0020: no-break space, Ogham space, the U+2000-U+200A typographic spaces,
# narrow no-break space and medium mathematical space. Must not match U+3000 (see the module doc),
# tabs, or the zero-width characters.
ODD_SPACE_RE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f]")

# Invisible characters with no meaning in an article: ZERO WIDTH SPACE, WORD JOINER and ZERO WIDTH
# NO-BREAK SPACE (a byte-order mark inside the text). Must not match ZWNJ/ZWJ (U+200C/U+200D).
ZERO_WIDTH_RE = re.compile("[\u200b\u2060\ufeff]")

# SOFT HYPHEN: an invisible hyphenation hint left by word processors and CMSes.
SOFT_HYPHEN_RE = re.compile("\u00ad")

# Spaces and tabs at the end of a line (not U+3000, which is text in CJK). Stripped per line
# rather than with a regex: "[ \t]+$" restarts at every space of a long run and goes quadratic.
TRAILING_SPACE_CHARS = " \t"

# Three or more LFs in a row, i.e. two or more blank lines. Must not match one blank line ("\n\n").
BLANK_LINES_RE = re.compile("\n{3,}")


def normalize_newlines(text: str) -> str:
    r"""Turn every line break into LF.

    >>> normalize_newlines("a\r\nb\rc\u2028d\x85")
    'a\nb\nc\nd\x85'
    """
    # Most texts have none: five substring tests cost a fiftieth of the regex's scan.
    if not any(char in text for char in LINE_BREAK_CHARS):
        return text
    return LINE_BREAK_RE.sub("\n", text)


def replace_odd_spaces(text: str) -> str:
    """Turn no-break and typographic spaces into plain spaces; keep U+3000.

    >>> replace_odd_spaces("12\u00a0km\u2009h \u3000x")
    '12 km h \u3000x'
    """
    return ODD_SPACE_RE.sub(" ", text)


def remove_zero_width(text: str) -> str:
    """Remove zero-width spaces, word joiners and stray BOMs; keep ZWJ and ZWNJ.

    >>> remove_zero_width("a\u200bb\u2060c\ufeffd \U0001f469\u200d\U0001f467")
    'abcd \U0001f469\u200d\U0001f467'
    """
    return ZERO_WIDTH_RE.sub("", text)


def remove_soft_hyphens(text: str) -> str:
    """Remove soft hyphens.

    >>> remove_soft_hyphens("inter\u00adnational")
    'international'
    """
    return SOFT_HYPHEN_RE.sub("", text)


def trim_trailing_spaces(text: str) -> str:
    r"""Remove spaces and tabs at the end of each line.

    >>> trim_trailing_spaces("a  \nb\t\n c")
    'a\nb\n c'
    """
    return "\n".join(line.rstrip(TRAILING_SPACE_CHARS) for line in text.split("\n"))


def strip_edge_blank_lines(text: str) -> str:
    r"""Remove line breaks at the start and end of the text (the indent of the first line stays).

    >>> strip_edge_blank_lines("\n\n  a\nb\n\n")
    '  a\nb'
    """
    return text.strip("\n")


def collapse_blank_lines(text: str) -> str:
    r"""Collapse two or more blank lines into one; a single blank line is a paragraph break.

    >>> collapse_blank_lines("a\n\n\n\nb\n\nc\nd")
    'a\n\nb\n\nc\nd'
    """
    if "\n\n\n" not in text:  # a substring test is ten times faster than the regex's scan
        return text
    return BLANK_LINES_RE.sub("\n\n", text)


# The steps run after ftfy, in this order, by the fix step name they record.
WHITESPACE_STEPS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("odd_spaces_to_space", replace_odd_spaces),
    ("zero_width_removed", remove_zero_width),
    ("soft_hyphens_removed", remove_soft_hyphens),
    ("trailing_spaces_trimmed", trim_trailing_spaces),
    ("edge_blank_lines_removed", strip_edge_blank_lines),
    ("blank_lines_collapsed", collapse_blank_lines),
)
