"""Find the article in a whole page, and the navigation blocks around it.

A page rendered as text (w3m, a browser's "save as text") holds the article somewhere among menus,
link lists, teasers and footers. The article is the densest run of prose: each paragraph gets a
weight (long prose counts for its length, a menu-like line counts against), and the article's
*core* is the run of paragraphs with the largest total weight (Kadane's maximum subarray, one pass
over the paragraphs).

Outside the core, a *navigation block* is a run of paragraphs that are all navigation-like: menu
items, w3m bullets, breadcrumbs, pipe-separated link rows, image placeholders, or short lines that
do not read as sentences. A run counts only when it is long enough (:data:`MIN_BLOCK_LINES`) or
holds an unmistakable menu line; the few lines just before the core (the headline, the byline, a
standfirst) are left to the other rules. Below the first such block under the core, the rest of the
page is the site's: its prose too is removed (as teasers). A page without a core (a data sheet, a
gallery) loses only long streaks of menu lines. Precision first: nothing inside the core is ever
touched, and prose above the first block below it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ingest.structure.memo import remember_short
from ingest.structure.paragraphs import ends_sentence, is_prose

# A list bullet as w3m renders it at the start of a line, with the rest of the line after it.
# Matches "• Home", "□ Sports", "☆ Essen-Kray", "○ Login"; must not match "- a dash" or "1. item"
# (which articles write themselves).
W3M_BULLET_RE = re.compile(r"^[•□☆○■★●◦▪▫◆◇►▸‣]\s*")
# The bullets W3M_BULLET_RE starts with: a line that starts with none of them has no bullet.
W3M_BULLETS = tuple("•□☆○■★●◦▪▫◆◇►▸‣")

# A line made only of bracketed placeholders: image alt texts, form fields and buttons as w3m
# renders them. Matches "[logo]", "[INS::INS]", "[          ][Search]", "[]"; must not match
# "[photo]The council met on Tuesday." (text after the bracket).
PLACEHOLDER_RE = re.compile(r"^(?:\[[^\[\]\n]{0,80}\]\s*)+$")

# An image file name left on a line of its own. Matches "header-logo.png", "fh180x100.jpg";
# must not match "The file was a .png image."
IMAGE_FILE_RE = re.compile(r"^[^\s]{1,150}\.(?:jpe?g|png|gif|webp|svg|bmp)$", re.IGNORECASE)

# A breadcrumb trail: short items joined by ">", "»", "›" or "/". Matches "Home > News > World",
# "Startseite » Politik » Ausland"; must not match "x > 3" inside a sentence (items are counted).
BREADCRUMB_SEPARATOR_RE = re.compile(r"\s[>»›/]\s|\s?[»›]\s?")

# Separators of a link row: pipes and middle dots. Matches "About | Contact | Jobs".
LINK_ROW_SEPARATOR_RE = re.compile(r"\s[|·]\s|\s?\|\s?")
# Every match of BREADCRUMB_SEPARATOR_RE (LINK_ROW_SEPARATOR_RE) holds one of these characters: a
# line without them is one item, not a row, and is not split.
BREADCRUMB_CHARS = ">»›/"
LINK_ROW_CHARS = "|·"

# The characters a horizontal rule is drawn with: a line that starts with none of them is not one.
RULE_LINE_CHARS = "━─—–-_=*~.·•"
# A horizontal rule drawn with box characters or dashes: "━━━━", "-----", "____".
RULE_LINE_RE = re.compile(rf"^[{re.escape(RULE_LINE_CHARS)}]{{3,}}$")

# A short line reads as a sentence when it has this many words and ends like one.
MIN_SENTENCE_WORDS = 4
# Link rows and breadcrumbs have items of at most this many words.
MAX_ITEM_WORDS = 6
# A bulleted menu entry has at most this many words (a list item of an article is usually longer).
MAX_MENU_WORDS = 4
# A line this short with no sentence ending is navigation-like (a menu entry or a teaser headline).
MAX_NAV_CHARS = 100

# Weights, in characters of prose: a menu line costs as much as this many characters of prose,
# so that a menu between two stretches of prose separates them, while a subheading or a caption
# inside the article does not.
NAV_WEIGHT = 60
SHORT_WEIGHT = 25
# A page whose densest run of prose weighs less than this has no article to anchor on (a data
# sheet, a gallery): only long streaks of menu lines are removed as navigation there.
MIN_CORE_WEIGHT = 400
# On a page without a core, a streak of at least this many consecutive menu lines is a site menu
# (a data sheet's bulleted list of specifications is shorter).
MIN_CORELESS_MENU_STREAK = 8
# A run of at least this many navigation-like paragraphs outside the core is a navigation block.
MIN_BLOCK_LINES = 3
# A run is a navigation block when at least one in this many of its lines is a menu line.
MENU_SHARE_DENOMINATOR = 2
# A list that a line ending in a colon introduces has at most this many lines; a longer block
# after such a line ("Follow us online:") is a menu.
MAX_INTRODUCED_LIST_LINES = 20
# The paragraphs this close before the core are its head (headline, byline, standfirst): only a
# streak of menu lines running into it is removed there.
HEAD_WINDOW = 6


def strip_bullet(text: str) -> str:
    """The line without a w3m bullet in front.

    >>> strip_bullet("• Home"), strip_bullet("Home")
    ('Home', 'Home')
    """
    if not text.startswith(W3M_BULLETS):
        return text
    return W3M_BULLET_RE.sub("", text, count=1)


def holds_any(text: str, characters: str) -> bool:
    """Whether any of the characters occurs in the text.

    >>> holds_any("Home > News", BREADCRUMB_CHARS), holds_any("Home", BREADCRUMB_CHARS)
    (True, False)
    """
    for character in characters:  # a loop, not any(): no generator per call on this hot path
        if character in text:
            return True
    return False


def is_item_row(text: str, separator: re.Pattern[str]) -> bool:
    """Whether a line is at least two short items joined by ``separator``."""
    items = [item for item in separator.split(text) if item.strip()]
    return len(items) >= 2 and all(len(item.split()) <= MAX_ITEM_WORDS for item in items)


def is_short_sentence(text: str) -> bool:
    """Whether a short line reads as a sentence: a few words and a sentence ending.

    >>> is_short_sentence("He left the room."), is_short_sentence("Contact us")
    (True, False)
    """
    return ends_sentence(text) and len(text.split()) >= MIN_SENTENCE_WORDS


def is_placeholder(text: str) -> bool:
    """Whether a line stands for an image or a form field: a bracketed placeholder, an image file
    name or a drawn rule. Galleries inside articles are made of these, so they are not menu lines.

    >>> is_placeholder("[photo-01]"), is_placeholder("team.jpg"), is_placeholder("[a]b")
    (True, True, False)
    """
    # Each pattern runs only when it could match: a placeholder starts with "[", a file name has
    # no space, a rule starts with one of its characters (most lines are none of them).
    return bool(
        (text.startswith("[") and PLACEHOLDER_RE.match(text))
        or (" " not in text and IMAGE_FILE_RE.match(text))
        or (text[:1] in RULE_LINE_CHARS and RULE_LINE_RE.match(text))
    )


@remember_short(maxsize=8192)
def is_menu_line(text: str) -> bool:
    """Whether a paragraph is unmistakably navigation: a bulleted short entry, a placeholder, an
    image file name, a breadcrumb, a row of links or a drawn rule.

    >>> is_menu_line("• Sports"), is_menu_line("Home > News > World"), is_menu_line("[logo]")
    (True, True, False)
    >>> is_menu_line("• Preheat the oven and butter the dish."), is_menu_line("Sports")
    (False, False)
    """
    if len(text) > MAX_NAV_CHARS * 2:
        return False
    rest = strip_bullet(text)
    if is_placeholder(rest):
        return False
    if rest != text:
        return len(rest.split()) <= MAX_MENU_WORDS and not ends_sentence(rest)
    if ends_sentence(text):
        return False
    return (holds_any(text, BREADCRUMB_CHARS) and is_item_row(text, BREADCRUMB_SEPARATOR_RE)) or (
        holds_any(text, LINK_ROW_CHARS) and is_item_row(text, LINK_ROW_SEPARATOR_RE)
    )


@remember_short(maxsize=8192)
def is_navigation_like(text: str) -> bool:
    """Whether a paragraph could be part of a navigation block: a menu line, or a short line that
    does not read as a sentence.

    >>> is_navigation_like("Contact us"), is_navigation_like("The vote was close, she said.")
    (True, False)
    """
    if is_menu_line(text) or is_placeholder(strip_bullet(text)):
        return True
    return len(text) <= MAX_NAV_CHARS and not is_short_sentence(text) and not is_prose(text)


@remember_short(maxsize=8192)
def weigh_paragraph(text: str) -> int:
    """How much a paragraph speaks for being in the article (prose) or against (navigation);
    remembered like the tests it is made of (a site's menus repeat from page to page).

    >>> weigh_paragraph("• Home"), weigh_paragraph("Contact us")
    (-60, -25)
    >>> weigh_paragraph("She said it was fine.")
    0
    """
    menu = is_menu_line(text)
    if not menu and is_prose(text):
        return len(text)
    if menu:
        return -NAV_WEIGHT
    if is_navigation_like(text):
        return -SHORT_WEIGHT
    return 0


def find_core(paragraphs: list[str]) -> tuple[int, int] | None:
    """The ``(start, end)`` of the run of paragraphs with the most prose weight, or None.

    >>> find_core(["• Home", "• News", "Text. " * 30, "Short line", "More text. " * 20, "• Jobs"])
    (2, 5)
    >>> find_core(["• Home"]) is None
    True
    """
    return find_heaviest_run([weigh_paragraph(text) for text in paragraphs])


def find_heaviest_run(weights: list[int]) -> tuple[int, int] | None:
    """The ``(start, end)`` of the run with the largest positive total weight, or None.

    >>> find_heaviest_run([-60, 180, -25, 220, -60]), find_heaviest_run([-60]) is None
    ((1, 4), True)
    """
    best, best_span = 0, None
    total, start = 0, 0
    for index, weight in enumerate(weights):
        if total <= 0:
            total, start = 0, index
        total += weight
        if total > best:
            best, best_span = total, (start, index + 1)
    return best_span


def is_navigation_block(block: list[str]) -> bool:
    """Whether a run of navigation-like paragraphs is a menu or link list: enough of its lines are
    unmistakable menu lines.

    >>> is_navigation_block(["• Home", "• News", "Contact"])
    True
    >>> is_navigation_block(["Step one", "Step two", "Step three"])
    False
    """
    menu = sum(1 for text in block if is_menu_line(text))
    return len(block) >= MIN_BLOCK_LINES and menu * MENU_SHARE_DENOMINATOR >= len(block)


def split_runs(indexes: list[int]) -> list[list[int]]:
    """Split sorted indexes into runs of consecutive ones.

    >>> split_runs([0, 1, 2, 5, 6, 9])
    [[0, 1, 2], [5, 6], [9]]
    """
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def trim_toward_core(run: list[int], paragraphs: list[str], before_core: bool) -> list[int]:
    """The run without the lines on the core's side of its menu lines nearest the core.

    Short lines between the article and a menu (a table's last rows, a closing list) stay.

    >>> trim_toward_core([5, 6, 7], ["x"] * 5 + ["Price: 10", "• Home", "• News"], False)
    [6, 7]
    """
    menu = [position for position, index in enumerate(run) if is_menu_line(paragraphs[index])]
    if not menu:
        return []
    return run[: menu[-1] + 1] if before_core else run[menu[0] :]


def measure_menu_streaks(paragraphs: list[str]) -> list[int]:
    """For each paragraph, the length of the run of consecutive menu lines it is in (0 if none).

    >>> measure_menu_streaks(["• Home", "• News", "Headline", "• Jobs"])
    [2, 2, 0, 1]
    """
    streaks = [0] * len(paragraphs)
    first = 0
    for index in range(len(paragraphs) + 1):
        if index < len(paragraphs) and is_menu_line(paragraphs[index]):
            continue
        for member in range(first, index):
            streaks[member] = index - first
        first = index + 1
    return streaks


def is_introduced_list(paragraphs: list[str], first: int) -> bool:
    """Whether the paragraph before a block introduces it as a list ("Ingredients:", "You need:").

    >>> is_introduced_list(["You will need:", "• Flour"], 1)
    True
    >>> is_introduced_list(["Menu", "• Home"], 1)
    False
    """
    return first > 0 and paragraphs[first - 1].rstrip().endswith(":")


def find_navigation_blocks(paragraphs: list[str]) -> list[int]:
    """The indexes of the paragraphs in navigation blocks outside the article's core.

    >>> menu = ["• Home", "• News", "• Sport", "• Weather"]
    >>> find_navigation_blocks(menu + ["Headline", "Text. " * 40, "More. " * 40] + menu)
    [0, 1, 2, 3, 7, 8, 9, 10]

    The few lines just above the core are left for the headline and byline rules, unless they
    continue a menu:

    >>> find_navigation_blocks(["• Home", "• News", "Headline", "• by A. Writer", "Text. " * 80])
    []
    """
    return find_navigation(paragraphs)[0]


def find_navigation(
    paragraphs: list[str], is_footer: Callable[[str], bool] | None = None
) -> tuple[list[int], list[int]]:
    """The navigation blocks outside the article's core (see :func:`find_navigation_blocks`), and
    the prose paragraphs below the first block under the core: on a whole page, what follows
    the article's first menu or footer block is the site's, not the article's (teasers of other
    stories with their standfirsts, the site's blurbs).

    >>> menu = ["• Home", "• News", "• Sport", "• Weather"]
    >>> teaser = "A teaser for another story, with its first sentence. " * 3
    >>> find_navigation(["Headline", "Text. " * 40, "More. " * 40, *menu, teaser])
    ([3, 4, 5, 6], [7])

    ``is_footer`` tells a line that only a page's footer holds (a copyright line): below the
    core, the first such line starts the site's part as a navigation block does.

    >>> footer = "(c) 2024 Example Media"
    >>> page = ["Headline", "Text. " * 40, "More. " * 40, footer, "Other story", "It is short."]
    >>> find_navigation(page, lambda text: text.startswith("(c)"))
    ([3, 4, 5], [])
    """
    weights = [weigh_paragraph(text) for text in paragraphs]
    core = find_heaviest_run(weights)
    streaks = measure_menu_streaks(paragraphs)
    if core is None or sum(weights[core[0] : core[1]]) < MIN_CORE_WEIGHT:
        long_streaks = [i for i, streak in enumerate(streaks) if streak >= MIN_CORELESS_MENU_STREAK]
        return long_streaks, []
    start, end = core
    window = range(max(0, start - HEAD_WINDOW), start)
    outside = [
        *(i for i in range(start) if i not in window or streaks[i] >= MIN_BLOCK_LINES),
        *range(end, len(paragraphs)),
    ]
    candidates = [index for index in outside if is_navigation_like(paragraphs[index])]
    found: list[int] = []
    for run in split_runs(candidates):
        block = trim_toward_core(run, paragraphs, before_core=run[0] < start)
        if (
            block
            and len(block) <= MAX_INTRODUCED_LIST_LINES
            and is_introduced_list(paragraphs, block[0])
        ):
            continue
        if is_navigation_block([paragraphs[index] for index in block]):
            found.extend(block)
    tail = [index for index in found if index >= end]
    if is_footer is not None:
        footer = next((i for i in range(end, len(paragraphs)) if is_footer(paragraphs[i])), None)
        if footer is not None and not is_prose(paragraphs[footer]):
            found.append(footer)
            tail = [footer, *tail]
    tail.sort()
    teasers: list[int] = []
    if tail:
        seen = set(found)
        for index in range(tail[0], len(paragraphs)):
            if index in seen:
                continue
            if is_prose(paragraphs[index]):
                teasers.append(index)
            else:
                found.append(index)
    return sorted(found), teasers
