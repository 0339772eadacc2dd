"""Find debris among paragraphs with the named rules of :mod:`ingest.structure.rules`, by position.

Debris lives at the head and the tail of a text, around the article's prose. Each paragraph is
given at most one rule; a paragraph that no rule matches is kept. Prose paragraphs are debris only
by context: inside a comment thread, or as the second copy of a paragraph.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ingest.structure.bylines import is_byline, is_dateline, search_date
from ingest.structure.captions import MAX_CAPTION_CHARS, split_credit
from ingest.structure.memo import REMEMBERED_CHARS, remember_short
from ingest.structure.navigation import find_navigation
from ingest.structure.paragraphs import is_prose
from ingest.structure.rules import RULES, Rule
from ingest.structure.rules.comments import (
    COMMENT_SECTION,
    is_comment_author,
    is_comment_heading,
    is_reply_button,
)
from ingest.structure.rules.footers import AUTHOR_BOX, COOKIE_NOTICE, TAG_ROW, is_copyright_footer
from ingest.structure.rules.labels import TRAILING_WIDGET_WORD
from ingest.structure.rules.links import (
    DUPLICATE_PARAGRAPH,
    NAVIGATION_BLOCK,
    NAVIGATION_TEASER,
    RELATED_BOX,
    RELATED_LIST,
    TRAILING_LINKS,
    is_link_like,
)
from ingest.structure.rules.registry import PatternMatch
from ingest.structure.rules.sharing import NEWSLETTER_PROMPT, READ_MORE, SHARE_ROW

# A tag-row heading with nothing after its colon ("Tags:", "Related Tags:"): its items follow.
# Must not match "Tags: politics" (the items are on the line).
BARE_HEADING_RE = re.compile(r":\s*$")

# Two prose paragraphs at most this many paragraphs apart belong to one run of prose.
PROSE_GAP = 4
# Rules whose hit in the tail marks where the page's furniture begins: the short link-like lines
# after it are furniture too (see mark_trailing_links).
TAIL_BOUNDARY_RULES = frozenset(
    rule.name
    for rule in (
        SHARE_ROW,
        RELATED_LIST,
        NEWSLETTER_PROMPT,
        TAG_ROW,
        TRAILING_WIDGET_WORD,
        READ_MORE,
        COOKIE_NOTICE,
    )
)
# The longest paragraph any pattern rule tests (longer ones skip every pattern rule).
LONGEST_PATTERN_CHARS = max(
    rule.matcher.max_chars for rule in RULES.values() if isinstance(rule.matcher, PatternMatch)
)
MAX_TAG_CHARS = 40
MAX_TAG_WORDS = 5
# A related box inside the article lists at most this many links below its heading.
MAX_RELATED_BOX_ITEMS = 16
# An author box holds at most this many paragraphs below its heading (name, role, bio).
MAX_AUTHOR_BOX_ITEMS = 4
# A comment thread shows at least this many author lines and reply buttons after the prose starts.
MIN_COMMENT_MARKS = 3
# The date stamp under a comment's author line is at most this long.
MAX_COMMENT_DATE_CHARS = 60
# Its heading sits at most this many paragraphs above the first of them (a comment form between).
COMMENT_HEADING_DISTANCE = 25
# A head paragraph repeated later is a standfirst or a duplicated headline when it is this long
# (shorter ones must repeat a whole paragraph exactly).
MIN_REPEATED_SUBSTRING_CHARS = 30
# How far after a head paragraph its repeat inside a later paragraph is looked for (characters):
# a standfirst is said again within the article, and the bound keeps the search linear on a
# text whose head is huge (a page of 100,000 short lines searched the whole text per line).
REPEAT_SEARCH_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class Zones:
    """Where the prose starts and ends: ``head`` paragraphs come before, ``tail`` ones after."""

    head_end: int
    tail_start: int

    def zones_of(self, index: int) -> frozenset[str]:
        """The rule zones (``head``, ``tail``, ``edge``, ``anywhere``) that hold a paragraph."""
        return ZONE_SETS[index < self.head_end, index >= self.tail_start]


# The zone names of a paragraph, by (whether it is in the head, whether it is in the tail): one
# frozenset per case, built once instead of once per paragraph.
ZONE_SETS: dict[tuple[bool, bool], frozenset[str]] = {
    (False, False): frozenset({"anywhere"}),
    (True, False): frozenset({"anywhere", "head", "edge"}),
    (False, True): frozenset({"anywhere", "tail", "edge"}),
    (True, True): frozenset({"anywhere", "head", "tail", "edge"}),
}


@remember_short(maxsize=4096, max_chars=MAX_CAPTION_CHARS)
def is_article_prose(paragraph: str) -> bool:
    """Whether a paragraph is prose that belongs to the article (a credited caption does not)."""
    return is_prose(paragraph) and split_credit(paragraph)[1] is None


def find_zones(paragraphs: list[str]) -> Zones:
    """Where the article's run of prose starts and where it ends.

    The run starts at the first prose paragraph that another one follows closely (a lone
    disclaimer above the headline does not start it) and ends after the last such paragraph.

    >>> find_zones(["Menu", "A sentence. " * 20, "Tags: a"])
    Zones(head_end=1, tail_start=2)
    >>> find_zones(["No prose here"])
    Zones(head_end=1, tail_start=1)
    """
    prose = [index for index, text in enumerate(paragraphs) if is_article_prose(text)]
    if not prose:
        return Zones(len(paragraphs), len(paragraphs))
    close = [
        (first, second)
        for first, second in itertools.pairwise(prose)
        if second - first <= PROSE_GAP
    ]
    if not close:
        return Zones(prose[0], prose[-1] + 1)
    return Zones(close[0][0], close[-1][1] + 1)


# Paragraphs whose rule is remembered: a site's menus, footers and share rows repeat from page
# to page (on the dev set, whose pages are nearly all of different sites, a quarter of the calls
# repeat one already made). Only short ones are kept, so the memory stays under a few MB: debris
# is short.
MATCH_CACHE_SIZE = 4096
MATCH_CACHE_CHARS = REMEMBERED_CHARS


def match_rule(text: str, zones: frozenset[str]) -> str | None:
    """The name of the first rule that removes this paragraph in these zones, or None (every
    rule's test is a function of the paragraph alone, so a short paragraph's is remembered).

    >>> match_rule("English", frozenset({"anywhere", "head", "edge"}))
    'language_switcher_label'
    >>> match_rule("English", frozenset({"anywhere"})) is None
    True
    """
    if len(text) <= MATCH_CACHE_CHARS:
        return remembered_rule(text, zones)
    return first_rule(text, zones)


@lru_cache(maxsize=MATCH_CACHE_SIZE)
def remembered_rule(text: str, zones: frozenset[str]) -> str | None:
    """:func:`first_rule`, remembered."""
    return first_rule(text, zones)


def first_rule(text: str, zones: frozenset[str]) -> str | None:
    """The name of the first rule that removes this paragraph in these zones, or None."""
    tests = applicable_tests(zones, min(len(text), LONGEST_PATTERN_CHARS + 1))
    first = None
    if tests.patterns is not None and (found := tests.patterns.match(text)) is not None:
        first = int(found.lastgroup[1:])  # type: ignore[index]
    for position, name, test in tests.predicates:
        if first is not None and position > first:
            break
        if test(text):
            return name
    return None if first is None else tests.names[first]


@dataclass(frozen=True, slots=True)
class ZoneTests:
    """The tests of the rules that may fire on one paragraph, in :data:`RULES` order.

    ``names`` are the rules' names by position; ``predicates`` the function rules as (position,
    name, test); ``patterns`` every pattern rule's regex in one alternation, each in a group
    named ``r`` and its position (None when no pattern rule applies). The alternation matches
    with the first of its patterns that matches at the paragraph's start, so one ``match``
    finds the first pattern rule that fires; a function rule before it still comes first.
    """

    names: tuple[str, ...]
    predicates: tuple[tuple[int, str, Callable[[str], object]], ...]
    patterns: re.Pattern[str] | None


@lru_cache(maxsize=4 * (LONGEST_PATTERN_CHARS + 2))
def applicable_tests(zones: frozenset[str], length: int) -> ZoneTests:
    """The tests of the rules that may fire in these zones on a paragraph this long: a pattern
    rule too short for the paragraph is left out. Lengths above every pattern rule's limit share
    one entry, and so do lengths that leave the same rules (the alternations are compiled once
    per set of rules)."""
    rules = rules_in(zones)
    fits = tuple(
        not isinstance(rule.matcher, PatternMatch) or length <= rule.matcher.max_chars
        for rule in rules
    )
    return zone_tests(rules, fits)


# The flags a regex may carry into an alternation, each as the letter of a scoped group.
SCOPED_FLAGS = ((re.IGNORECASE, "i"), (re.MULTILINE, "m"), (re.DOTALL, "s"), (re.VERBOSE, "x"))


def scoped(pattern: re.Pattern[str]) -> str:
    """A pattern's text with its flags in a scoped group, to sit in an alternation with others.

    >>> scoped(re.compile("loading$", re.IGNORECASE))
    '(?i:loading$)'
    """
    letters = "".join(letter for flag, letter in SCOPED_FLAGS if pattern.flags & flag)
    if pattern.flags & re.ASCII:
        msg = f"pattern {pattern.pattern!r} is ASCII-only: an alternation can't scope that flag"
        raise ValueError(msg)
    return f"(?{letters}:{pattern.pattern})" if letters else f"(?:{pattern.pattern})"


@lru_cache(maxsize=64)
def zone_tests(rules: tuple[Rule, ...], fits: tuple[bool, ...]) -> ZoneTests:
    """:class:`ZoneTests` of the rules whose ``fits`` is true."""
    kept = [rule for rule, fit in zip(rules, fits, strict=True) if fit]
    predicates = []
    alternatives = []
    for position, rule in enumerate(kept):
        matcher = rule.matcher
        if isinstance(matcher, PatternMatch):
            alternatives.append(f"(?P<r{position}>{scoped(matcher.pattern)})")
        else:
            predicates.append((position, rule.name, matcher))
    patterns = re.compile("|".join(alternatives)) if alternatives else None
    return ZoneTests(tuple(rule.name for rule in kept), tuple(predicates), patterns)


@lru_cache(maxsize=16)
def rules_in(zones: frozenset[str]) -> tuple[Rule, ...]:
    """The rules that may fire in these zones, in :data:`RULES` order (a paragraph has one of
    four zone sets, so this is worked out four times, not once per paragraph and rule)."""
    return tuple(rule for rule in RULES.values() if rule.where in zones)


def is_tag_item(text: str) -> bool:
    """Whether a paragraph is one item of a tag list: a few words, no sentence.

    >>> is_tag_item("Delhi Pollution"), is_tag_item("The case was closed in 2019.")
    (True, False)
    """
    return (
        len(text) <= MAX_TAG_CHARS
        and len(text.split()) <= MAX_TAG_WORDS
        and not text.endswith((".", "!", "?"))
    )


def mark_list_items(paragraphs: list[str], found: dict[int, str], zones: Zones) -> None:
    """Give the items after a related-list or bare tag heading the heading's rule (in place).

    A related list runs to the end of the text; a tag list runs while its items are short.
    """
    for index in sorted(found):
        rule = found[index]
        text = paragraphs[index]
        if rule == RELATED_LIST.name and RELATED_LIST.matcher(text):
            for item in range(index + 1, len(paragraphs)):
                if not is_article_prose(paragraphs[item]):
                    found.setdefault(item, rule)
        elif (
            rule == TAG_ROW.name
            and TAG_ROW.matcher(text)
            and (BARE_HEADING_RE.search(text) or (":" not in text and index >= zones.tail_start))
        ):
            item = index + 1
            while item < len(paragraphs) and item not in found and is_tag_item(paragraphs[item]):
                if "edge" not in zones.zones_of(item):
                    break
                found[item] = rule
                item += 1


def is_headline_slot(paragraphs: list[str], index: int, zones: Zones) -> bool:
    """Whether a head paragraph sits where the headline does: right above the prose, or right
    above a byline or dateline (a related box above the headline must not take it)."""
    if index >= zones.head_end:
        return False
    following = index + 1
    return following >= zones.head_end or (
        following < len(paragraphs)
        and (is_byline(paragraphs[following]) or is_dateline(paragraphs[following]))
    )


def mark_related_boxes(paragraphs: list[str], found: dict[int, str], zones: Zones) -> None:
    """Mark a related-stories heading before the tail, and the links right below it (in place).

    The box ends at the first paragraph that is not link-like (prose, a sentence, another rule's
    line), at a byline or dateline or the line where the headline sits, or after
    MAX_RELATED_BOX_ITEMS links; the tail is left to ``related_list``.

    >>> found = {}
    >>> mark_related_boxes(["Related", "A headline", "Text. " * 30], found, Zones(2, 3))
    >>> found
    {0: 'related_box'}
    >>> mark_related_boxes(["Text. " * 30, "Related", "A link", "Text. " * 30], found, Zones(0, 4))
    >>> found
    {0: 'related_box', 1: 'related_box', 2: 'related_box'}
    """
    index = 0
    while index < zones.tail_start:
        if index in found or not RELATED_BOX.matcher(paragraphs[index]):
            index += 1
            continue
        found[index] = RELATED_BOX.name
        item = index + 1
        while (
            item < zones.tail_start
            and item - index <= MAX_RELATED_BOX_ITEMS
            and item not in found
            and not is_article_prose(paragraphs[item])
            and is_link_like(paragraphs[item])
            and not is_byline(paragraphs[item])
            and not is_dateline(paragraphs[item])
            and not is_headline_slot(paragraphs, item, zones)
        ):
            found[item] = RELATED_BOX.name
            item += 1
        index = item


def mark_author_box(paragraphs: list[str], found: dict[int, str], zones: Zones) -> None:
    """Mark an author box after the article: its heading and the lines below it (in place).

    The box runs from its heading to the bio, the first prose paragraph below it, and only when
    that bio is the text's last prose paragraph (an author box in the middle of an interview
    introduces the person the article is about).

    >>> found = {}
    >>> bio = "Jane Roe writes about cities. " * 5
    >>> mark_author_box(["Text. " * 30, "About the author", "Jane Roe", bio], found, Zones(0, 4))
    >>> found
    {1: 'author_box', 2: 'author_box', 3: 'author_box'}
    """
    for index in range(zones.head_end, len(paragraphs)):
        if index in found or not AUTHOR_BOX.matcher(paragraphs[index]):
            continue
        end = None
        for item in range(index + 1, min(len(paragraphs), index + 1 + MAX_AUTHOR_BOX_ITEMS)):
            if is_article_prose(paragraphs[item]):
                end = item
                break
        if end is None or end + 1 < zones.tail_start:
            continue
        for item in range(index, end + 1):
            found.setdefault(item, AUTHOR_BOX.name)
        return


def mark_trailing_links(paragraphs: list[str], found: dict[int, str], zones: Zones) -> None:
    """Mark the link-like lines after the first furniture hit in the tail as ``trailing_links``.

    A link-like line is short and does not end like a sentence (a headline, a menu entry). Real
    short closing sentences after a share row stay.
    """
    hits = [i for i, rule in found.items() if i >= zones.tail_start and rule in TAIL_BOUNDARY_RULES]
    if not hits:
        return
    for index in range(min(hits) + 1, len(paragraphs)):
        text = paragraphs[index]
        if index not in found and is_link_like(text):
            found[index] = TRAILING_LINKS.name


def mark_comment_thread(paragraphs: list[str], found: dict[int, str], zones: Zones) -> None:
    """Mark a reader comment thread, from its heading or first comment to the end (in place).

    A thread is recognised by its repeated marks after the article's prose has started: reply
    buttons, and author lines (``jdoe says:``) with a date stamp below them (a quote's lead-in,
    "The mayor says:", has prose below it). One or two such lines are not a thread.
    """
    marks = [
        index
        for index in range(zones.head_end, len(paragraphs))
        if is_reply_button(paragraphs[index])
        or (
            is_comment_author(paragraphs[index])
            and index + 1 < len(paragraphs)
            and len(paragraphs[index + 1]) <= MAX_COMMENT_DATE_CHARS
            and search_date(paragraphs[index + 1]) is not None
        )
    ]
    if len(marks) < MIN_COMMENT_MARKS:
        return
    start = marks[0]
    for index in range(max(zones.head_end, marks[0] - COMMENT_HEADING_DISTANCE), marks[0]):
        if is_comment_heading(paragraphs[index]):
            start = index
            break
    for index in range(start, len(paragraphs)):
        found.setdefault(index, COMMENT_SECTION.name)


def mark_navigation(paragraphs: list[str], found: dict[int, str]) -> None:
    """Mark a whole page's menus and link lists, and the teasers below them (in place).

    :func:`ingest.structure.navigation.find_navigation` finds them around the page's densest run
    of prose; a paragraph another rule has already taken keeps that rule.

    >>> teaser = "A teaser for another story, with its first sentence. " * 3
    >>> page = ["Headline", "Text. " * 40, "More. " * 40, "• Home", "• News", "• Sport", teaser]
    >>> found = {4: "share_button"}
    >>> mark_navigation(page, found)
    >>> found
    {4: 'share_button', 3: 'navigation_block', 5: 'navigation_block', 6: 'navigation_teaser'}
    """
    blocks, teasers = find_navigation(paragraphs, is_copyright_footer)
    for index in blocks:
        found.setdefault(index, NAVIGATION_BLOCK.name)
    for index in teasers:
        found.setdefault(index, NAVIGATION_TEASER.name)


def mark_duplicate_paragraphs(paragraphs: list[str], found: dict[int, str], zones: Zones) -> None:
    """Mark a prose paragraph after the article's run of prose that repeats, word for word, an
    earlier one after the head (in place).

    A whole page repeats teasers, tickers and sometimes the whole article (a print copy, a
    carousel); the body needs each paragraph once, so the first copy stays. A first copy in the
    head is left to ``repeated_line`` (which removes the head copy), and one that another rule
    removed does not count (the later copy may be the article's). Only copies after the run (in
    the tail) go: removing one inside the run could move its ends or split it, and extraction
    run again on the body would then judge other lines as head or tail.

    >>> found = {}
    >>> text = "The council met on Tuesday to vote on the budget for the next year. " * 2
    >>> other = "Other text. " * 12
    >>> page = ["Title", text, other, text, "Most read", "Share", "Menu", "Jobs", text]
    >>> mark_duplicate_paragraphs(page, found, Zones(1, 4))
    >>> found
    {8: 'duplicate_paragraph'}
    """
    first: dict[str, int] = {}
    for index, text in enumerate(paragraphs):
        if index in found or not is_article_prose(text):
            continue
        earlier = first.setdefault(text, index)
        if earlier != index and earlier >= zones.head_end and index >= zones.tail_start:
            found[index] = DUPLICATE_PARAGRAPH.name


def find_repeated_lines(paragraphs: list[str], zones: Zones, skip: set[int]) -> list[int]:
    """Head paragraphs that the text repeats later (a standfirst or a duplicated headline).

    A long one may reappear inside a later paragraph; a short one must reappear as a whole one.

    >>> find_repeated_lines(["Same headline", "Same headline", "Body. " * 30], Zones(2, 3), set())
    [0]
    """
    joined = "\n".join(paragraphs)
    starts = []
    offset = 0
    for text in paragraphs:
        starts.append(offset)
        offset += len(text) + 1
    last_index = {text: index for index, text in enumerate(paragraphs)}
    repeated = []
    for index in range(zones.head_end):
        text = paragraphs[index]
        if index in skip:
            continue
        if last_index[text] > index or (
            len(text) >= MIN_REPEATED_SUBSTRING_CHARS
            and index + 1 < len(paragraphs)
            and joined.find(text, starts[index + 1], starts[index + 1] + REPEAT_SEARCH_CHARS) >= 0
        ):
            repeated.append(index)
    return repeated


def find_debris(paragraphs: list[str], zones: Zones | None = None) -> dict[int, str]:
    """Map each debris paragraph's index to the name of the rule that removes it.

    ``zones`` is ``find_zones(paragraphs)``, when the caller has it already.

    >>> find_debris(["English", "Title", "A sentence. " * 20, "Share", "Top 10 beaches"])
    {0: 'language_switcher_label', 3: 'share_row', 4: 'trailing_links'}
    """
    if zones is None:
        zones = find_zones(paragraphs)
    found: dict[int, str] = {}
    for index, text in enumerate(paragraphs):
        if is_article_prose(text):
            continue
        rule = match_rule(text, zones.zones_of(index))
        if rule:
            found[index] = rule
    mark_list_items(paragraphs, found, zones)
    mark_related_boxes(paragraphs, found, zones)
    mark_author_box(paragraphs, found, zones)
    mark_trailing_links(paragraphs, found, zones)
    mark_comment_thread(paragraphs, found, zones)
    mark_navigation(paragraphs, found)
    mark_duplicate_paragraphs(paragraphs, found, zones)
    return dict(sorted(found.items()))
