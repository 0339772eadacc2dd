"""Split repaired text into paragraphs, and tell prose paragraphs from short lines.

Three layouts come out the same way:

- paragraphs separated by blank lines;
- one paragraph per line (no blank lines at all);
- hard-wrapped paragraphs (lines broken at a fixed width, e.g. 72-80 characters), which are joined
  back with single spaces. This join is the only place where a paragraph is not a substring of the
  input: each of its lines is, and the paragraph is those lines joined by " ".

List items, headings and short lines are never joined to their neighbours.
"""

from __future__ import annotations

import itertools
import re

# A list item or numbered step at the start of a line: "- x", "* x", "• x", "1. x", "2) x".
# Must not match a line that merely starts with a number ("2024 was a year ...").
LIST_ITEM_RE = re.compile(r"^\s*(?:[-*•·–—▪►]\s|\d{1,3}[.)]\s)")

# Sentence-ending punctuation at the end of a line, allowing closing quotes or brackets after it.
# Matches "... the end." and "... he said.”"; must not match "A title without a stop".
TERMINAL_PUNCT_RE = re.compile(r"[.!?。！？…:;][\"'”’»)\]]{0,3}$")

# A sentence break inside a line: punctuation, optional closing quote, a space and a capital letter
# or an opening quote. Matches "... in 2019. The ..."; must not match "Dr.Who" or "3.5 mm".
SENTENCE_BREAK_RE = re.compile(r"[.!?。！？][\"'”’»)]{0,2}\s+[\"'“‘«(]{0,2}[A-ZÀ-ÞА-Я]")

# TERMINAL_PUNCT_RE and the other patterns anchored at a text's end (a few characters, a final
# newline and a one-character lookbehind) are searched in this many characters at the end: a
# search of the whole text tries every position of a long paragraph before the one that matters.
TAIL_CHARS = 8

# Width limits for hard-wrapped text: a block whose longest line is in this range may be wrapped.
MIN_WRAP_WIDTH = 40
MAX_WRAP_WIDTH = 100
# A wrapped line reaches at least this share of the block's width (the rest of the line is where
# the next word did not fit).
WRAP_FILL = 0.7
# A paragraph this long with a sentence in it is prose: the article's own text.
PROSE_MIN_CHARS = 120


def split_blocks(text: str) -> list[list[str]]:
    """Split text at blank lines into blocks of non-empty lines.

    >>> split_blocks("a\\nb\\n\\n\\nc\\n")
    [['a', 'b'], ['c']]
    """
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            current.append(stripped)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def is_wrapped_line(line: str, next_line: str, width: int) -> bool:
    """Whether ``line`` was broken only because ``next_line``'s first word did not fit.

    >>> is_wrapped_line("x" * 70, "more words", 72)
    True
    >>> is_wrapped_line("A heading", "Text follows here", 72)
    False
    >>> is_wrapped_line("x" * 70, "- a list item", 72)
    False
    """
    if LIST_ITEM_RE.match(next_line) or not MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        return False
    first_word = next_line.split(" ", 1)[0]
    fits_on_line = len(line) + 1 + len(first_word) <= width
    return len(line) >= width * WRAP_FILL and not fits_on_line


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Join the hard-wrapped lines of one block back into paragraphs; keep other lines apart.

    A block is treated as wrapped only when it has at least two lines that fill the width; then a
    line is joined to the next when the next line's first word would not have fitted on it.

    >>> join_wrapped_lines(["one paragraph per line, long enough " * 4, "next"])[1]
    'next'
    >>> w = " ".join(["word"] * 14)
    >>> len(join_wrapped_lines([w, w, "end."]))
    1
    """
    if len(lines) < 2:  # most blocks are one line: nothing to measure
        return list(lines)
    width = max(map(len, lines))
    full = sum(1 for line in lines if len(line) >= width * WRAP_FILL)
    if full < 2 or width > MAX_WRAP_WIDTH:
        return list(lines)
    paragraphs = [lines[0]]
    for previous, line in itertools.pairwise(lines):
        if is_wrapped_line(previous, line, width):
            paragraphs[-1] = f"{paragraphs[-1]} {line}"
        else:
            paragraphs.append(line)
    return paragraphs


def split_paragraphs(text: str) -> list[str]:
    """Split repaired text into paragraphs (see the module docstring for the layouts).

    >>> split_paragraphs("Title\\n\\nFirst line.\\nSecond line.\\n")
    ['Title', 'First line.', 'Second line.']
    """
    return [p for block in split_blocks(text) for p in join_wrapped_lines(block)]


def search_tail(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """``pattern.search`` on the text's last TAIL_CHARS characters, for a pattern anchored at the
    end (``...$``) whose match, with a final newline and any lookbehind, fits in them: the
    same verdict as a search of the whole text, without trying every position before.

    >>> search_tail(TERMINAL_PUNCT_RE, "x" * 500 + " the end.”") is not None
    True
    >>> search_tail(TERMINAL_PUNCT_RE, "A title. Without a stop") is None
    True
    """
    return pattern.search(text[-TAIL_CHARS:])


def ends_sentence(text: str) -> bool:
    """Whether a text ends like a sentence (TERMINAL_PUNCT_RE, searched at its end only).

    >>> ends_sentence("He said so.”"), ends_sentence("A title")
    (True, False)
    """
    return search_tail(TERMINAL_PUNCT_RE, text) is not None


def is_prose(paragraph: str) -> bool:
    """Whether a paragraph is running prose: long, with at least one sentence ending in it.

    >>> is_prose("Short label")
    False
    >>> is_prose("This is a sentence that goes on for a while. " * 3)
    True
    """
    if len(paragraph) < PROSE_MIN_CHARS:
        return False
    return ends_sentence(paragraph) or SENTENCE_BREAK_RE.search(paragraph) is not None
