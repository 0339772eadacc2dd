from ingest.structure.rules.footers import (
    AUTHOR_BOX,
    COPYRIGHT_FOOTER,
    TAIL_DATELINE,
    is_cookie_notice,
)


def test_a_photographers_mark_is_no_copyright_footer():
    # "© Jane Doe" credits a photo (captions.py); a footer carries a year or a rights phrase.
    assert COPYRIGHT_FOOTER.matcher("© 2024 Example Media")
    assert not COPYRIGHT_FOOTER.matcher("© Jane Doe")


def test_a_cookie_notice_needs_a_site_or_consent_word():
    assert is_cookie_notice("Diese Website verwendet Cookies.")
    assert not is_cookie_notice("Cookies and cream, the shop's best seller.")


def test_a_tail_dateline_says_what_the_date_is():
    assert TAIL_DATELINE.matcher("Updated: 19.11.2019")
    assert not TAIL_DATELINE.matcher("19.11.2019")


def test_an_author_box_heading_is_short():
    assert AUTHOR_BOX.matcher("Über den Autor:")
    assert not AUTHOR_BOX.matcher("About the author, little is known.")
