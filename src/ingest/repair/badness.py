"""ftfy's mojibake test ``is_bad``, answered the same way at a fraction of the cost.

ftfy decides whether a line needs encoding repair with ``is_bad``: one search of ``BADNESS_RE``,
an alternation of some thirty short sequences (``"[bad] [accented]"``, ``"Ã[\\xa0¡]"`` ...).
Python's regex engine cannot skip ahead in such an alternation, so it tries every alternative at
every position of the line, and on text without mojibake that search is most of ftfy's cost.

Every alternative needs at least one non-ASCII character from a small set at a fixed distance
(at most ``ANCHOR_REACH`` characters) from where its match starts: ``"[bad] [accented]"`` needs a
"bad" character first, ``"[a-z]\\s?[ÃÂ] "`` needs an Ã or Â one or two characters in. We read those
*anchors* from ftfy's own pattern when this module is imported, choosing in each alternative the
item whose characters are rarest in running text. ``is_bad`` then finds the anchors with one
character-class search (which the engine does fast) and tries ``BADNESS_RE`` only at the few
positions a match could start from. Any match of the full search starts at one of those
positions, so the answer is the same; tests/repair/test_badness.py checks it on generated text, and
scripts/check_fast_path.py on real pages.

ftfy itself calls ``is_bad`` several times on each line it repairs. ``ftfy_using_fast_is_bad``
lets it call ours instead while a block is open; when none is, ftfy is untouched.
"""

from __future__ import annotations

import contextlib
import re
import re._constants as sre_constants  # the parser of the re module: stable since Python 3.11
import re._parser as sre_parser
import threading
import unicodedata
from collections.abc import Iterable, Iterator

import ftfy
import ftfy.badness
import ftfy.fixes
from ftfy.badness import BADNESS_RE

# Punctuation of ordinary running text, as costly to anchor on as a lowercase letter.
RUNNING_TEXT_PUNCTUATION = frozenset("\u2013\u2014\u2018\u2019\u201c\u201d\u201e«»\u00a0\u2026·")


class NoAnchorError(ValueError):
    """An alternative of the pattern can match without any non-ASCII character we can name."""


def anchor_cost(chars: Iterable[str]) -> int:
    """Guess how often a set of characters occurs in text: lowercase letters are most common.

    >>> anchor_cost("é") > anchor_cost("É") > anchor_cost("¤")
    True
    """
    cost = 0
    for char in chars:
        name = unicodedata.name(char, "")
        if "SMALL LETTER" in name or char in RUNNING_TEXT_PUNCTUATION:
            cost += 10
        elif "CAPITAL LETTER" in name:
            cost += 3
        else:
            cost += 1
    return cost


def item_shape(op: object, av: object) -> tuple[frozenset[str] | None, int]:
    """The characters one parsed item matches (None: not a plain set) and its maximum width."""
    if op is sre_constants.LITERAL:
        return frozenset(chr(av)), 1  # type: ignore[arg-type]
    if op is sre_constants.IN:
        chars: set[str] = set()
        for member_op, member_av in av:  # type: ignore[attr-defined]
            if member_op is sre_constants.LITERAL:
                chars.add(chr(member_av))
            elif member_op is sre_constants.RANGE:
                chars.update(map(chr, range(member_av[0], member_av[1] + 1)))
            else:  # NEGATE or a category such as \s or \w: anything, ASCII included
                return None, 1
        return frozenset(chars), 1
    if op in (sre_constants.ANY, sre_constants.NOT_LITERAL):
        return None, 1
    if op is sre_constants.AT:
        return None, 0
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        _low, high, sub = av  # type: ignore[misc]
        width = sum(item_shape(sub_op, sub_av)[1] for sub_op, sub_av in sub.data)
        return None, width * high
    message = f"unexpected item in the pattern: {op}"
    raise NoAnchorError(message)


def find_anchors(pattern: re.Pattern[str]) -> tuple[frozenset[str], int]:
    """Return the anchor characters of an alternation and how far before an anchor a match starts.

    >>> anchors, reach = find_anchors(re.compile("[a-z]é|x[¤¦]y|ü"))
    >>> sorted(anchors), reach
    (['¤', '¦', 'é', 'ü'], 1)
    """
    if pattern.flags & re.IGNORECASE:  # anchors would then need every case of each character
        message = "a case-insensitive pattern is not supported"
        raise NoAnchorError(message)
    parsed = sre_parser.parse(pattern.pattern, pattern.flags)
    if len(parsed.data) == 1 and parsed.data[0][0] is sre_constants.BRANCH:
        alternatives = parsed.data[0][1][1]
    else:
        alternatives = [parsed]
    anchors: set[str] = set()
    reach = 0
    for alternative in alternatives:
        offset = 0
        best: tuple[int, frozenset[str], int] | None = None
        for op, av in alternative.data:
            chars, width = item_shape(op, av)
            if chars and all(ord(char) > 0x7F for char in chars):
                cost = anchor_cost(chars)
                if best is None or cost < best[0]:
                    best = (cost, chars, offset)
            offset += width
        if best is None:
            message = f"an alternative has no non-ASCII anchor: {alternative}"
            raise NoAnchorError(message)
        anchors |= best[1]
        reach = max(reach, best[2])
    return frozenset(anchors), reach


ANCHORS, ANCHOR_REACH = find_anchors(BADNESS_RE)
ANCHOR_RE = re.compile("[" + "".join(map(re.escape, sorted(ANCHORS))) + "]")
# After this many anchors in one text (all-caps Cyrillic or Greek is nearly all anchors), one
# search over the rest is cheaper than trying the pattern near each of them.
MAX_ANCHORS_TRIED = 16


def is_bad(text: str) -> bool:
    """Return ftfy's ``is_bad(text)``: whether the text looks like it contains mojibake.

    >>> is_bad("Trumpâ€™s"), is_bad("Trump’s “café” in Zürich")
    (True, False)
    """
    match_at = BADNESS_RE.match
    tried = -1  # the last start position tried
    for count, anchor in enumerate(ANCHOR_RE.finditer(text)):
        position = anchor.start()
        first = max(position - ANCHOR_REACH, tried + 1)
        if count == MAX_ANCHORS_TRIED:  # every start from here on, as ftfy's own search does
            return BADNESS_RE.search(text, first) is not None
        for start in range(first, position + 1):
            if match_at(text, start):
                return True
        tried = position
    return False


# ftfy_using_fast_is_bad's bookkeeping: blocks open now, in any thread, and what ftfy had before.
_swap_lock = threading.Lock()
_swap_depth = 0
_swapped_out: tuple[object, object] | None = None


@contextlib.contextmanager
def ftfy_using_fast_is_bad() -> Iterator[None]:
    """Make ftfy's fixers call this module's ``is_bad`` (same answers, faster) inside the block.

    ftfy looks ``is_bad`` up in its own modules' globals (``ftfy`` and ``ftfy.fixes``) on every
    call, so the swap takes effect at once. It is process-wide: while any block is open, in any
    thread, every caller of ftfy gets the fast test (the same answers). The first block to open
    swaps it in and the last to close puts back what was there before.

    >>> with ftfy_using_fast_is_bad():
    ...     ftfy.fix_text("Trumpâ€™s", uncurl_quotes=False)
    'Trump’s'
    >>> ftfy.is_bad is ftfy.badness.is_bad
    True
    """
    global _swap_depth, _swapped_out

    with _swap_lock:
        if _swap_depth == 0:
            _swapped_out = (ftfy.is_bad, ftfy.fixes.is_bad)  # type: ignore[attr-defined]
            ftfy.is_bad = ftfy.fixes.is_bad = is_bad  # type: ignore[attr-defined]
        _swap_depth += 1
    try:
        yield
    finally:
        with _swap_lock:
            _swap_depth -= 1
            if _swap_depth == 0 and _swapped_out is not None:
                ftfy.is_bad, ftfy.fixes.is_bad = _swapped_out  # type: ignore[attr-defined]
                _swapped_out = None
