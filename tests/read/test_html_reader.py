"""The HTML reader's choice of main-content blocks (``ingest.read.html.mark_main``)."""

from __future__ import annotations

from ingest.read.html import mark_main
from ingest.records import Block


def test_a_block_across_two_kept_lines_is_not_main_whatever_their_order() -> None:
    """The kept lines are matched one by one: a block made of one line's end and the next
    line's start lies inside neither. (The lines were once joined in a set's order, so one of
    the two middle blocks was main or not depending on PYTHONHASHSEED.)"""
    first, second = "alpha beta gamma delta epsilon", "zeta eta theta iota kappa"
    blocks = [
        Block(first, "p"),
        Block("delta epsilon zeta eta", "p"),
        Block("iota kappa alpha beta", "p"),
        Block("beta gamma delta epsilon", "p"),
    ]
    marked = mark_main(blocks, f"{first}\n{second}")
    assert [block.main for block in marked] == [True, False, False, True]


def test_a_block_inside_a_kept_line_or_holding_one_is_main() -> None:
    kept = "one two three four five six"
    blocks = [
        Block("two three four five", "p"),
        Block("zero one two three four five six seven", "p"),
        Block("menu item", "li"),
    ]
    assert [b.main for b in mark_main(blocks, kept)] == [True, True, False]
