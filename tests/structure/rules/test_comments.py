from ingest.structure.rules.comments import (
    COMMENT_FORM,
    is_comment_author,
    is_comment_heading,
    is_comment_line,
)


def test_comment_author_lines_end_in_the_verb():
    assert is_comment_author("12. J. Doe says:")
    assert not is_comment_author("The mayor says: we will rebuild the bridge.")


def test_comment_headings_name_the_thread():
    assert is_comment_heading("5 thoughts on “Storm hits the coast”")
    assert not is_comment_heading("Comments from readers were mixed.")


def test_the_thread_starts_from_any_of_its_marks():
    assert all(map(is_comment_line, ["jdoe says:", "Antworten", "Kommentare"]))


def test_comment_form_lines_are_fixed_phrases():
    assert COMMENT_FORM.matcher("Deine E-Mail-Adresse wird nicht veröffentlicht.")
    assert not COMMENT_FORM.matcher("The e-mail address was published in the report.")
