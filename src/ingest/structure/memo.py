"""Remembered answers about short paragraphs.

A site's menus, share rows, credits and footers repeat from page to page, so the tests the
structure stage runs on a paragraph are remembered (``functools.lru_cache``). A cache holds its
keys, though: remembering every paragraph would keep a worker's last few thousand paragraphs of
prose alive, megabytes that never repeat. Only paragraphs of at most :data:`REMEMBERED_CHARS`
characters are remembered; a longer one is tested afresh, which for these tests is cheap (most
of them turn a long paragraph away by its length or its last characters).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

# Debris, labels and credits are shorter than this; longer paragraphs seldom repeat.
REMEMBERED_CHARS = 300

Answer = TypeVar("Answer")


def remember_short(
    maxsize: int, max_chars: int = REMEMBERED_CHARS
) -> Callable[[Callable[[str], Answer]], Callable[[str], Answer]]:
    """Remember a one-text test's answers (at most ``maxsize``) for texts of at most
    ``max_chars`` characters; a longer text is tested each time and never held.

    The returned function has the cache's ``cache_info`` and ``cache_clear``.

    >>> calls = []
    >>> @remember_short(maxsize=8, max_chars=5)
    ... def shout(text):
    ...     calls.append(text)
    ...     return text.upper()
    >>> [shout(t) for t in ("menu", "menu", "a long line", "a long line")]
    ['MENU', 'MENU', 'A LONG LINE', 'A LONG LINE']
    >>> calls, shout.cache_info().currsize
    (['menu', 'a long line', 'a long line'], 1)
    """

    def decorate(test: Callable[[str], Answer]) -> Callable[[str], Answer]:
        remembered = lru_cache(maxsize=maxsize)(test)

        @wraps(test)
        def answer(text: str) -> Answer:
            if len(text) > max_chars:
                return test(text)
            return remembered(text)

        answer.cache_info = remembered.cache_info  # type: ignore[attr-defined]
        answer.cache_clear = remembered.cache_clear  # type: ignore[attr-defined]
        return answer

    return decorate
