"""The structure stage's remembered tests hold short paragraphs only, and answer as unremembered."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.structure.captions import is_credit_line, split_credit
from ingest.structure.debris import is_article_prose
from ingest.structure.memo import REMEMBERED_CHARS, remember_short
from ingest.structure.model import load_stopwords, stopwords_for
from ingest.structure.navigation import is_menu_line, is_navigation_like, weigh_paragraph
from ingest.structure.title import count_words

REMEMBERED = [
    is_article_prose,
    is_credit_line,
    split_credit,
    is_menu_line,
    is_navigation_like,
    weigh_paragraph,
    count_words,
]
LONG_PROSE = "The council met on Tuesday and voted on the budget for the year. " * 8


@pytest.mark.parametrize("test", REMEMBERED, ids=lambda test: test.__name__)
def test_a_long_paragraph_is_answered_but_not_held(test):
    assert len(LONG_PROSE) > REMEMBERED_CHARS
    test.cache_clear()
    test(LONG_PROSE)
    assert test.cache_info().currsize == 0
    test("Photo: Jane Doe/Example Agency")
    assert test.cache_info().currsize == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=40),
            st.sampled_from(["• Home", "Getty Images", "Share | Tweet", "Contact us", LONG_PROSE]),
        ),
        min_size=1,
        max_size=6,
    ).map(" ".join)
)
def test_remembered_answers_are_the_tests_own(text):
    for test in REMEMBERED:
        assert test(text) == test(text) == test.__wrapped__(text)


def test_the_decorator_keeps_the_functions_name_and_documentation():
    @remember_short(maxsize=2)
    def shout(text: str) -> str:
        """Loud."""
        return text.upper()

    assert (shout.__name__, shout.__doc__, shout("a")) == ("shout", "Loud.", "A")


def test_stop_words_are_read_per_language():
    load_stopwords.cache_clear()
    assert "der" in stopwords_for("de-AT")
    # "de-AT" has no list of its own: it was asked for, then "de".
    assert load_stopwords.cache_info().currsize == 2
    assert stopwords_for("de") is load_stopwords("de")
    assert load_stopwords.cache_info().currsize == 2
