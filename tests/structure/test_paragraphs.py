from ingest.structure.paragraphs import is_prose, split_paragraphs

WRAPPED = (
    "The council met on Tuesday evening to debate the new budget, which\n"
    "includes funding for two libraries and a bridge repair that residents\n"
    "have asked for since the flood two years ago.\n"
    "\n"
    "The vote passed."
)


def test_blank_line_paragraphs():
    assert split_paragraphs("One.\n\nTwo.\n\n\nThree.") == ["One.", "Two.", "Three."]


def test_hard_wrapped_lines_are_joined_with_single_spaces():
    first, second = split_paragraphs(WRAPPED)
    assert first.startswith("The council met") and first.endswith("two years ago.")
    assert "\n" not in first and "which includes" in first
    assert second == "The vote passed."


def test_one_paragraph_per_line_stays_apart():
    lines = [
        "A long sentence that goes on and on about the budget and the bridge repairs. " * 2
    ] * 3
    assert split_paragraphs("\n".join(line.strip() for line in lines)) == [
        line.strip() for line in lines
    ]


def test_list_items_and_short_lines_are_not_joined():
    text = "Shopping list for the weekend trip to the lake house, with extra items\n- bread\n- milk"
    assert split_paragraphs(text)[-2:] == ["- bread", "- milk"]
    assert split_paragraphs("Heading\nShort line\nAnother") == ["Heading", "Short line", "Another"]


def test_prose():
    assert is_prose("The council voted. " * 8)
    assert not is_prose("Related articles")
    assert not is_prose("x" * 200)
