from ingest.structure.rules.labels import (
    IMAGE_PLACEHOLDER,
    TRAILING_WIDGET_WORD,
    find_language_name,
    split_language_row,
)


def test_language_names_are_not_guessed():
    assert find_language_name("EN") is None
    assert find_language_name("Home") is None
    assert find_language_name("Deutsch") == "de"


def test_a_language_row_needs_every_item_to_be_a_language():
    assert split_language_row("Deutsch · English") == ["de", "en"]
    assert split_language_row("Deutsch · Impressum") is None


def test_pattern_rules_bound_the_paragraph_length():
    assert TRAILING_WIDGET_WORD.matcher("Loading...")
    # The pattern alone matches any comment count; a paragraph this long is no widget's word.
    long_count = "1" * 70 + " Comments"
    assert TRAILING_WIDGET_WORD.matcher.pattern.match(long_count)
    assert not TRAILING_WIDGET_WORD.matcher(long_count)


def test_image_placeholders_need_a_file_name_mark():
    assert IMAGE_PLACEHOLDER.matcher("[Social-Fac] [Social-Twi]")
    assert not IMAGE_PLACEHOLDER.matcher("[Editor] [Note]")
