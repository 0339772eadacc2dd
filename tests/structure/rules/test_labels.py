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


def test_the_quick_name_test_turns_away_no_name_langcodes_accepts():
    import itertools
    import string

    import langcodes

    from ingest.structure.rules.labels import look_up_language_name, two_letter_language_names

    known = two_letter_language_names()
    accepted = []
    codes = ["".join(pair) for pair in itertools.product(string.ascii_lowercase, repeat=2)]
    for code in codes:
        language = langcodes.Language.get(code)
        for display in ("en", "fr", "de", "es", code):
            for name in {language.display_name(display), language.autonym()}:
                for word in (name, *name.split(), name.title(), name.upper()):
                    if word.isalpha() and look_up_language_name(word) is not None:
                        accepted.append(word)
                        assert word.casefold() in known, word
    # Names in every script, as langcodes writes them: the check above saw many.
    assert len(set(accepted)) > 300
    assert find_language_name("Loading") is None and find_language_name("Français") == "fr"
