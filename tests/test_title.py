from ingest.title import find_title, is_title_like, score_title


def test_headline_beats_labels_names_and_breadcrumbs():
    candidates = ["News", "Home » World » Europe", "Jane Doe", "Storm floods the coastal towns"]
    assert find_title(candidates) == 3


def test_sentences_are_not_titles():
    assert not is_title_like("The storm flooded the towns.")
    assert is_title_like("Will the storm flood the towns?")


def test_repeated_line_is_preferred():
    assert score_title("Turning point reached", 1, True) > score_title("A long kicker", 0, False)


def test_no_candidates():
    assert find_title([]) is None
