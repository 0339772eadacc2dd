from ingest.structure.debris import find_debris, find_zones

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
