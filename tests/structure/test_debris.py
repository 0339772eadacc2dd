from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.structure.debris import ZONE_SETS, find_debris, find_zones, match_rule, rules_in

PROSE = "The council voted on the budget after a long debate about libraries and bridges. " * 2
# A second paragraph: a text that repeats a prose paragraph word for word loses the later copy.
OTHER_PROSE = "Residents asked the council to publish a timetable for the bridge repairs soon. " * 2


def test_zones_skip_a_lone_disclaimer():
    paragraphs = [
        PROSE,
        "Home",
        "News",
        "World",
        "Europe",
        "Headline here",
        PROSE,
        PROSE,
        "Tags: a",
    ]
    assert find_zones(paragraphs).head_end == 6
    assert find_zones(paragraphs).tail_start == 8


def test_edge_rules_fire_only_at_the_edges():
    found = find_debris(["English", PROSE, "English", OTHER_PROSE, "English"])
    assert found == {0: "language_switcher_label", 4: "language_switcher_label"}


def test_prose_is_never_debris():
    long_share = "Share " + PROSE
    assert find_debris([long_share, PROSE]) == {}


def test_repeated_line_search_grows_linearly_on_a_huge_head() -> None:
    """A text of short lines and no prose is all head: each line used to be searched for in the
    whole rest of the text (a 9 MB HTML page spent 85 s there). The search is bounded by
    ``REPEAT_SEARCH_CHARS``, so 10 times the lines cost about 10 times the time."""
    from growth import SCALE, super_linear

    from ingest.structure.debris import Zones, find_repeated_lines

    def work(text: str) -> object:
        lines = text.split("\n")
        return find_repeated_lines(lines, Zones(len(lines), len(lines)), set())

    def page(count: int) -> str:
        return "\n".join(
            f"Line {n} of a page that holds no article at all, short lines only."
            for n in range(count)
        )

    assert super_linear(work, [("short lines", page(4_000), page(4_000 * SCALE))]) == []


# Words of the rules' own debris and of prose, for texts that fire some rules and not others.
RULE_WORDS = (
    "English",
    "Español",
    "Loading",
    "Advertisement",
    "Share",
    "Tweet",
    "|",
    "Read more",
    "Sign up for our newsletter",
    "5 min read",
    "1 of 12",
    "Photo",
    "Tags:",
    "Comments",
    "©",
    "2024",
    "All rights reserved",
    "Leave a comment",
    "@jane",
    "Facebook",
    "Related",
    "the",
    "council",
    "voted",
    "on",
    "Tuesday.",
    "•",
    "Next",
    "Print",
    "Cookies",
    ":",
)


def first_rule_one_by_one(text: str, zones: frozenset[str]) -> str | None:
    """What match_rule must give: each rule of the zones tested in turn, as RULES orders them."""
    return next((rule.name for rule in rules_in(zones) if rule.matcher(text)), None)


@settings(max_examples=400, deadline=None)
@given(
    words=st.lists(st.sampled_from(RULE_WORDS), min_size=1, max_size=12),
    joiner=st.sampled_from([" ", " | ", "\n", ""]),
    zones=st.sampled_from(sorted(ZONE_SETS.values(), key=sorted)),
    padding=st.integers(min_value=0, max_value=320),
)
def test_one_alternation_finds_the_rule_that_testing_each_rule_finds(
    words: list[str], joiner: str, zones: frozenset[str], padding: int
) -> None:
    text = joiner.join(words) + " word" * (padding // 5)
    assert match_rule(text, zones) == first_rule_one_by_one(text, zones)


def test_the_alternation_keeps_the_rules_order_and_their_flags() -> None:
    # "Loading" is a widget word only at the edge; ADVERTISEMENT in capitals is still matched.
    assert match_rule("LOADING", ZONE_SETS[True, False]) == "trailing_widget_word"
    assert match_rule("Loading", ZONE_SETS[False, False]) is None
    assert match_rule("ADVERTISEMENT", ZONE_SETS[False, False]) == "advertisement_label"
    # A language name comes before every pattern rule; a length past a pattern's limit is not
    # matched by it (a gallery counter is at most 30 characters).
    assert match_rule("English", ZONE_SETS[True, True]) == "language_switcher_label"
    # Both share_row (a function rule) and share_prompt (a pattern rule after it) fire here:
    # the function rule, first in RULES, names it.
    assert first_rule_one_by_one("Share the", ZONE_SETS[True, False]) == "share_row"
    assert match_rule("Share the", ZONE_SETS[True, False]) == "share_row"
    assert match_rule("Share the", ZONE_SETS[False, False]) == "share_prompt"
    assert match_rule("1 of 12", ZONE_SETS[False, False]) == "gallery_counter"
    assert match_rule("1 of 12" + " " * 40, ZONE_SETS[False, False]) is None


def test_only_short_paragraphs_are_remembered() -> None:
    from ingest.structure.debris import MATCH_CACHE_CHARS, remembered_rule

    remembered_rule.cache_clear()
    before = remembered_rule.cache_info().currsize
    long_text = "Share " * (MATCH_CACHE_CHARS // 6 + 1)
    assert match_rule(long_text, ZONE_SETS[False, False]) is None
    assert remembered_rule.cache_info().currsize == before
    assert match_rule("Advertisement", ZONE_SETS[False, False]) == "advertisement_label"
    assert match_rule("Advertisement", ZONE_SETS[False, False]) == "advertisement_label"
    assert remembered_rule.cache_info().currsize == before + 1
