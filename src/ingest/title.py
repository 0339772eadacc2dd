"""Find the headline among the first paragraphs of a text.

The headline is a short-ish line near the head, without a full stop: not a section label, a
breadcrumb, an author's name, a byline, a date or a caption (bylines, dates and captions are
classified before the title is looked for). Each candidate gets a score; the best one wins.
"""

from __future__ import annotations

import re

from ingest.bylines import is_name_like
from ingest.paragraphs import SENTENCE_BREAK_RE

MIN_TITLE_CHARS = 4
MAX_TITLE_CHARS = 250
MAX_TITLE_WORDS = 35
# Headlines longer than this are rarer than standfirsts of that length.
LONG_TITLE_WORDS = 12
# Only the first few remaining head paragraphs are candidates.
MAX_CANDIDATES = 12

# How a headline may not end: with a colon, comma or semicolon (a label or a broken line).
# Matches "Tags:", "Naturkosmetik,"; must not match "... For Rs 300?" or "Hope!".
NON_TITLE_END_RE = re.compile(r"[:,;–-]$")
# A sentence's full stop (not an ellipsis or an abbreviation's dot inside a headline).
# Matches "It was reported."; must not match "Alles Neue mach der Mai…" or "Wait..."
FULL_STOP_RE = re.compile(r"(?<![.\s])\.[\"'”’»)]{0,2}$")
# A breadcrumb trail or a menu: "Home » News", "home / Betrieb / IT", "Home > World".
# Must not match a headline with one slash ("Dare to Play 3 / October pack").
BREADCRUMB_RE = re.compile(r"[»›>]|^home\b|(?:\s/\s.*){2}", re.IGNORECASE)
# Characters of scripts written without spaces: there a word count says nothing.
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def is_title_like(text: str) -> bool:
    """Whether a paragraph could be a headline at all.

    >>> is_title_like("Disaffection grows in US military amid ICE raids")
    True
    >>> is_title_like("Tags:"), is_title_like("x" * 300), is_title_like("A sentence.")
    (False, False, False)
    """
    if not MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS or NON_TITLE_END_RE.search(text):
        return False
    if FULL_STOP_RE.search(text):
        return False
    return CJK_RE.search(text) is not None or len(text.split()) <= MAX_TITLE_WORDS


def score_title(text: str, rank: int, repeated: bool) -> float:
    """How much a candidate looks like the headline: longer phrases win over labels and names.

    >>> score_title("Senate passes the budget bill", 1, False) > score_title("Politics", 0, False)
    True
    >>> score_title("Jane Doe", 0, False) < score_title("Storm hits the coast", 1, False)
    True
    """
    words = len(text.split())
    if CJK_RE.search(text):
        words = max(words, len(text) // 3)
    score = min(words, 5) * 0.5 - rank * 0.5
    if words <= 2:
        score -= 2
    if words <= 4 and is_name_like(text) and not repeated:
        score -= 3
    if BREADCRUMB_RE.search(text):
        score -= 3
    if SENTENCE_BREAK_RE.search(text):
        score -= 3
    if words > LONG_TITLE_WORDS:
        score -= (words - LONG_TITLE_WORDS) * 0.4
    if repeated:
        score += 3
    return score


def find_title(candidates: list[str], repeated: frozenset[str] = frozenset()) -> int | None:
    """The index of the headline among the head's remaining paragraphs, in order, or None.

    ``repeated`` holds paragraphs the text repeats, which headlines often are. The caller passes
    only paragraphs that something follows: a headline heads a text, so a text's last paragraph
    is never its title (this also keeps extraction a fixed point on its own body).

    >>> find_title(["Politics", "Senate passes the budget bill", "By Jane Doe"])
    1
    >>> find_title(["Just a label"])
    0
    >>> find_title(["Tags:"]) is None
    True
    """
    best: tuple[float, int] | None = None
    for rank, text in enumerate(candidates[:MAX_CANDIDATES]):
        if not is_title_like(text):
            continue
        score = score_title(text, rank, text in repeated)
        if best is None or score > best[0]:
            best = (score, rank)
    return None if best is None else best[1]
