"""navigation_block: the article's core on a whole page, and the menus around it."""

from __future__ import annotations

from growth import SCALE, super_linear

from ingest.structure.debris import find_debris
from ingest.structure.navigation import (
    find_core,
    find_navigation,
    find_navigation_blocks,
    is_menu_line,
    is_navigation_like,
)

PROSE = (
    "The council voted on Tuesday to keep the library open on Sundays, after a petition signed by "
    "more than two thousand residents asked it to reverse last year's cuts."
)
PARAGRAPH_BREAK = "\n\n"
MENU = ["• Home", "• News", "• Sport", "• Weather", "• Contact"]


def test_menu_lines():
    assert is_menu_line("• Home")
    assert is_menu_line("□ Local news")
    assert is_menu_line("Home > News > Local")
    assert is_menu_line("About | Jobs | Press")
    assert not is_menu_line("• Preheat the oven to two hundred degrees.")
    assert not is_menu_line("• England (Group A): tenth appearance")
    assert not is_menu_line("[photo-03]")
    assert not is_menu_line("The vote was 7 > 3 in favour.")


def test_navigation_like_keeps_sentences():
    assert is_navigation_like("Contact us")
    assert not is_navigation_like("She said the doors would open at nine.")
    assert not is_navigation_like(PROSE)


def test_core_is_the_run_of_prose():
    paragraphs = [*MENU, "Headline", PROSE, "A subheading", PROSE, PROSE, *MENU]
    assert find_core(paragraphs) == (6, 10)


def test_blocks_around_the_core_are_navigation():
    paragraphs = [*MENU, *MENU, "Headline", PROSE, PROSE, PROSE, *MENU, "Site footer"]
    found = find_navigation_blocks(paragraphs)
    assert found == [*range(10), *range(14, 20)]
    assert paragraphs[10] == "Headline"


def test_short_lines_before_the_first_menu_line_below_the_article_stay():
    paragraphs = ["Headline", PROSE, PROSE, PROSE, "Tickets: 12 euros", "Box office", *MENU]
    found = find_navigation_blocks(paragraphs)
    assert 4 not in found and 5 not in found
    assert found == list(range(6, 11))


def test_prose_below_the_first_block_under_the_core_is_teasers():
    teaser = "A teaser for another story, with the first sentence of its standfirst. " * 2
    paragraphs = ["Headline", PROSE, PROSE + " It rained.", PROSE + " Then.", *MENU, teaser]
    blocks, teasers = find_navigation(paragraphs)
    assert blocks == list(range(4, 9)) and teasers == [9]


def test_prose_above_the_first_block_under_the_core_stays():
    closing = "A correction to an earlier version of this story, which gave the wrong date. " * 2
    paragraphs = ["Headline", PROSE, PROSE + " It rained.", "Correction", closing, *MENU]
    blocks, teasers = find_navigation(paragraphs)
    assert teasers == [] and 4 not in blocks


def test_without_a_core_only_long_menu_streaks_go():
    long_menu = [f"• Section {n}" for n in range(8)]
    data = ["Price list", "• Small", "• Medium", "• Large", "Prices include tax."]
    assert find_navigation_blocks([*long_menu, *data]) == list(range(8))
    assert find_navigation_blocks([*long_menu[:7], *data]) == []


def test_a_colon_does_not_shield_a_whole_menu():
    menu = [f"• Section {n}" for n in range(21)]
    article = ["Headline", PROSE, PROSE + " It rained.", PROSE + " Then."]
    follow = ["Follow our newsroom online here:", *menu, *article]
    assert find_navigation_blocks(follow) == list(range(1, 22))
    shopping = ["For the picnic you will need:", *menu[:20], *article]
    assert find_navigation_blocks(shopping) == []


def test_rule_name_is_recorded():
    paragraphs = ["Headline", PROSE, PROSE + " Then it adjourned.", PROSE + " It rained.", *MENU]
    assert set(find_debris(paragraphs).values()) == {"navigation_block"}


def menu_page(menus: int) -> str:
    """Three long menus with prose between them, as paragraphs joined by ``PARAGRAPH_BREAK``."""
    return PARAGRAPH_BREAK.join((MENU * menus + [PROSE] * 3) * 3)


def test_block_detection_is_linear():
    # CPU time at 10x the menus grows about 10x (not 100x), however busy the machine is.
    pair = ("menus", menu_page(400), menu_page(400 * SCALE))
    work = lambda text: find_navigation_blocks(text.split(PARAGRAPH_BREAK))  # noqa: E731
    assert super_linear(work, [pair]) == []
