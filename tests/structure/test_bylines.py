from ingest.structure.bylines import Byline, find_date, is_name_like, read_byline


def test_bylines():
    assert read_byline("By Jane Doe") == Byline(False, "Jane Doe", None)
    assert read_byline("Von Max Muster") == Byline(False, "Max Muster", None)
    assert read_byline("By the river we walked") is None


def test_author_and_date():
    found = read_byline("Chris Davies - Nov 19, 2019, 10:31 pm CST")
    assert found == Byline(False, "Chris Davies", "Nov 19, 2019, 10:31 pm CST")


def test_datelines():
    assert (
        find_date("Published 12:01 AM EST, Mon March 4, 2024") == "12:01 AM EST, Mon March 4, 2024"
    )
    assert find_date("19. Oktober 2019") == "19. Oktober 2019"
    assert find_date("Updated 3 hours ago") == "3 hours ago"
    assert find_date("The meeting on March 4, 2024 ended late.") is None


def test_names():
    assert is_name_like("Jean-Luc O'Neil")
    assert not is_name_like("Breaking news today")


def test_person_names_are_two_to_four_words_each():
    from ingest.structure.bylines import is_person_names

    assert is_person_names("Kevin Johnson and Kevin McCoy")
    assert is_person_names("Ana Ruiz, Max Muster & Jane Doe")
    assert not is_person_names("Things We Never Knew We Wanted")
    assert not is_person_names("Garden Tours und Events")
    assert not is_person_names("Breaking news today")
