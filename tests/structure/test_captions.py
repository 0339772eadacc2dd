from ingest.structure import captions
from ingest.structure.captions import (
    is_bare_caption,
    is_caption_label_line,
    is_credit_line,
    is_split_credit,
    split_credit,
)


def test_split_credit_forms():
    assert split_credit("Crowds at the fair. (AFP)") == ("Crowds at the fair.", "AFP")
    assert split_credit("A dog. Credit: Jane Doe") == ("A dog.", "Credit: Jane Doe")
    assert split_credit("A dog. Image: Example Agency") == ("A dog.", "Image: Example Agency")
    assert split_credit("No credit here (really)") == ("No credit here (really)", None)


def test_credit_and_caption_are_substrings():
    text = "Marchers on the bridge in 2024. [AP Photo/Jane Doe]"
    caption, credit = split_credit(text)
    assert caption in text and credit in text


def test_credit_lines():
    assert is_credit_line("Getty Images")
    assert is_credit_line("Photograph by Jane Doe")
    assert not is_credit_line("Photos of the day")


def test_bare_caption_needs_an_article_and_length():
    assert is_bare_caption("An aerial view of the flooded valley after the storm")
    assert not is_bare_caption("Why the valley flooded")
    assert not is_bare_caption("An aerial view of the flooded valley after the storm.")


def test_credit_lines_ending_in_an_agency():
    assert is_credit_line("Jane Doe | Example Times | Getty Images")
    assert is_credit_line("Jane Doe, ASSOCIATED PRESS")
    assert is_credit_line("County Museum via AP")
    assert is_credit_line("Getty")
    assert not is_credit_line("Jobs, pay, AP")
    assert not is_credit_line("Allentown, PA")
    assert not is_credit_line("He gave an interview to AP")


def test_inline_credits():
    assert split_credit("The ward at night / picture alliance") == (
        "The ward at night",
        "picture alliance",
    )
    assert split_credit("Geese at dawn.Jane Doe/Example Agency") == (
        "Geese at dawn.",
        "Jane Doe/Example Agency",
    )
    assert split_credit("Playoff picture: the race tightens") == (
        "Playoff picture: the race tightens",
        None,
    )
    assert split_credit("Get it now ($4.99/mo)") == ("Get it now ($4.99/mo)", None)


def test_credit_split_over_two_lines():
    assert is_split_credit("Foto:", "Jane Doe")
    assert is_split_credit("Image copyright", "Example Agency")
    assert is_split_credit("Credit:", "Getty Images")
    assert is_split_credit("Photo", "@janedoe")
    # Not a label, or not a credit after it.
    assert not is_split_credit("Source:", "Jane Doe")
    assert not is_split_credit("Image", "Close")
    assert not is_split_credit("Photos of the day", "Jane Doe")
    assert not is_split_credit("Photo:", "The mayor opened the bridge.")
    assert not is_split_credit("Photo:", "one two three four five six seven")


def test_caption_label_lines():
    assert is_caption_label_line("Image caption")
    assert is_caption_label_line("Media caption")
    assert not is_caption_label_line("Caption")
    assert not is_caption_label_line("Image captions in the new app")


def test_copyright_mark_at_the_end_of_a_caption():
    assert split_credit("The harbour at dawn © Jane Doe") == ("The harbour at dawn", "© Jane Doe")
    assert split_credit("Stacked bricks on a pallet. - © jdoe_ - stock.example.com") == (
        "Stacked bricks on a pallet.",
        "© jdoe_ - stock.example.com",
    )
    assert split_credit("Radfahren im Winter (c) Example Tourism | example.at") == (
        "Radfahren im Winter",
        "(c) Example Tourism | example.at",
    )
    # A footer, a rights phrase, a mark inside a sentence or after a one-word label stays.
    assert split_credit("Forum software © 2010-2019 Example Ltd.")[1] is None
    assert split_credit("Example News © Example Media. All rights reserved")[1] is None
    assert split_credit("Foto © Jane Doe")[1] is None
    assert split_credit("He wrote © Jane Doe on the wall, then left!")[1] is None


def test_every_agency_is_a_credit_in_brackets_and_on_its_own_line():
    # One list of agencies serves both: an agency credited in brackets is also a credit line.
    agencies = [name for name in captions.AGENCIES.split("|") if name.replace(" ", "").isalpha()]
    assert "associated press" in agencies and "abaca" in agencies
    for agency in agencies:
        name = agency.upper()
        assert split_credit(f"Workers on the old bridge in May 2024. ({name})")[1] == name
        assert is_credit_line(name), name
