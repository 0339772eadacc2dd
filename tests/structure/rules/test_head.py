from ingest.structure.rules.head import BREADCRUMB, BYLINE, DATELINE, is_head_line


def test_bylines_and_datelines_are_told_apart():
    assert BYLINE.matcher("By Jane Doe") and not DATELINE.matcher("By Jane Doe")
    assert DATELINE.matcher("Updated 3 hours ago") and not BYLINE.matcher("Updated 3 hours ago")


def test_a_breadcrumb_ends_in_a_separator_or_is_a_step():
    assert BREADCRUMB.matcher("You are here: home / Business /")
    assert BREADCRUMB.matcher("12.")
    assert not BREADCRUMB.matcher("1234.")


def test_head_lines_are_anything_but_prose():
    assert is_head_line("Menu")
    assert not is_head_line("The council met on Tuesday to vote on the budget for next year. " * 2)
