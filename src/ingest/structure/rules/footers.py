"""Footers and tails: what follows an article on its page.

A cookie banner, the tag row, the copyright line, a blog post's "Posted in" footer, a publication
stamp after the article, and the author box with its bio.
"""

from __future__ import annotations

import re

from ingest.structure.bylines import is_dateline
from ingest.structure.captions import is_photo_copyright
from ingest.structure.rules.registry import PatternMatch, Rule

# --- cookie_notice -----------------------------------------------------------------------------

# A cookie banner: cookies with a site/consent word. Matches "We use cookies to improve your
# experience. Accept"; must not match a recipe ("Bake the cookies for ten minutes.").
COOKIE_RE = re.compile(
    r"\bcookies?\b.{0,200}?\b(?:we use|this (?:site|website)|our (?:site|website)|consent|accept"
    r"|privacy|policy|settings|datenschutz|einwilligung|zustimmen|akzeptieren)"
    r"|\b(?:we use|this (?:site|website) uses|diese (?:website|seite) verwendet|wir verwenden)"
    r"\b.{0,40}?\bcookies\b",
    re.IGNORECASE,
)


# Quick tests before an unanchored IGNORECASE search. Under IGNORECASE, a pattern letter other
# than i and s matches only characters whose lower case is that letter, so a fragment without i and
# s that the pattern must match is found in ``text.lower()`` (tests/structure/test_fast_paths.py
# pins them).
# COOKIE_RE matches "cookie" in every branch; "cook" holds no i or s.
# COPYRIGHT_RE starts with ©, "(c)" or "copyright", or holds "reserved", "reservados", "réservés"
# (all hold "rv") or "vorbehalten".
COPYRIGHT_FIRST_CHARS = ("©", "(", "c", "C")


def may_be_copyright_footer(text: str) -> bool:
    """Whether COPYRIGHT_RE can match (see above).

    >>> may_be_copyright_footer("Alle Rechte VORBEHALTEN"), may_be_copyright_footer("Menu")
    (True, False)
    """
    if text.startswith(COPYRIGHT_FIRST_CHARS):
        return True
    lowered = text.lower()
    return "rv" in lowered or "vorbehalten" in lowered


def is_cookie_notice(text: str) -> bool:
    """Whether a paragraph is a cookie banner.

    >>> is_cookie_notice("This website uses cookies. Accept")
    True
    >>> is_cookie_notice("Bake the cookies for ten minutes.")
    False
    """
    return len(text) <= 400 and "cook" in text.lower() and bool(COOKIE_RE.search(text))


# --- tag_row -----------------------------------------------------------------------------------

# A tag or topic row, with its items on the same line or on the lines after it.
# Matches "Tags:", "Topics: Politics, Health", "Schlagworte:", "Related Tags:", "Themen: Presse",
# "Related Tags", "Schlagworte zum Thema:" (a heading without its colon takes its items only in
# the tail);
# must not match a sentence that uses the word ("Tags are used to sort the photos.").
TAG_ROW_RE = re.compile(
    r"^(?:related )?(?:tags?|topics?|tagged(?: with| as)?|filed under|categories|category"
    r"|schlagworte|schlagwörter|themen|thema|stichworte|schlüsselwörter|etiquetas|temas"
    r"|mots-clés|tematy|tagi)(?: zu[mr]? (?:thema|artikel|beitrag))?"
    r"\s*(?::(?:\s*[^.!?]{0,200})?)?$",
    re.IGNORECASE,
)


# --- copyright_footer --------------------------------------------------------------------------

# A copyright line. Matches "© 2024 Example Media. All rights reserved.", "Copyright 2019 X",
# "All rights reserved."; must not match prose about copyright law ("Copyright law protects ...").
COPYRIGHT_RE = re.compile(
    r"^(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*\d{4})|\ball rights reserved\b|alle rechte vorbehalten"
    r"|todos los derechos reservados|tous droits réservés",
    re.IGNORECASE,
)


def is_copyright_footer(text: str) -> bool:
    """Whether a paragraph is a copyright footer.

    >>> is_copyright_footer("© 2024 Example Media. All rights reserved.")
    True
    >>> is_copyright_footer("Copyright law protects the expression of ideas.")
    False
    """
    return (
        len(text) <= 200
        and may_be_copyright_footer(text)
        and bool(COPYRIGHT_RE.search(text))
        and not is_photo_copyright(text)
    )


# --- post_footer -------------------------------------------------------------------------------

# A blog post's footer line: where it was filed and its categories, after the article.
# Matches "This entry was posted in News. Bookmark the permalink.", "Posted in Travel | Permalink",
# "Abgelegt unter Aktuelles und mit ...", "Veröffentlicht in: Reisen", "Markiert: #winter",
# "Kategorien: Mode"; must not match a sentence ("Posted in 2019, the video was seen by many.").
POST_FOOTER_RE = re.compile(
    r"^(?:(?:this (?:entry|post) was )?posted in\b|abgelegt unter\b|veröffentlicht in\b"
    r"|markiert\s*:|kategorien?\b)(?:[^.!?]{0,250}|.{0,250}\bbookmark the permalink\.?)$",
    re.IGNORECASE,
)


# --- tail_dateline ---------------------------------------------------------------------------

# The word a publication stamp starts with. Matches "First published on Nov 20, 2019",
# "Updated: 19.11.2019", "Veröffentlicht am 3. Mai"; must not match a bare date or time, which
# may be data ("Hora: 14:00" in a match report, "20.07.2015" in a live blog).
PUBLICATION_STAMP_RE = re.compile(
    r"^(?:first |last )?(?:published|updated|posted|modified|veröffentlicht|aktualisiert"
    r"|zuletzt aktualisiert|erstellt|publicado|actualizado|publié|mis à jour|opublikowano)\b",
    re.IGNORECASE,
)


def is_tail_dateline(text: str) -> bool:
    """Whether a paragraph is a publication stamp: a date stamp that says what the date is.

    >>> is_tail_dateline("First published on November 20, 2019 / 1:07 AM")
    True
    >>> is_tail_dateline("November 20, 2019"), is_tail_dateline("Published in a journal.")
    (False, False)
    """
    return bool(PUBLICATION_STAMP_RE.match(text)) and is_dateline(text)


# --- author_box --------------------------------------------------------------------------------

# The heading of an author box after the article. Matches "About the author", "Über den Autor",
# "Zur Person", "Sobre el autor"; must not match a sentence ("About the author's mother, little
# is known.").
AUTHOR_BOX_HEADING_RE = re.compile(
    r"^(?:about the authors?|über (?:den autor|die autorin|die autoren)|zur person"
    r"|sobre (?:el|la|o|a) autora?|à propos de l'auteur|o autorze|over de auteur)\s*:?$",
    re.IGNORECASE,
)


COOKIE_NOTICE = Rule.predicate(
    "cookie_notice", "A cookie consent banner.", "edge", is_cookie_notice
)
TAG_ROW = Rule.pattern(
    "tag_row", "A tag or topic list (Tags:, Topics:).", "edge", TAG_ROW_RE, max_chars=250
)
COPYRIGHT_FOOTER = Rule.predicate(
    "copyright_footer",
    "A copyright line (© 2024 X. All rights reserved.).",
    "edge",
    is_copyright_footer,
)
POST_FOOTER = Rule.pattern(
    "post_footer",
    "A blog post's footer line after the article (Posted in News, Abgelegt unter, Kategorien:).",
    "edge",
    POST_FOOTER_RE,
    max_chars=300,
)
TAIL_DATELINE = Rule.predicate(
    "tail_dateline",
    "A publication stamp after the article (First published on ..., Updated: ...).",
    "tail",
    is_tail_dateline,
)
AUTHOR_BOX = Rule.context(
    "author_box",
    "An author box after the article: its heading (About the author, Über den Autor) and"
    " the name and short bio below it, when the bio is the text's last prose.",
    PatternMatch(AUTHOR_BOX_HEADING_RE, 40),
    applied_by="ingest.structure.debris.mark_author_box",
)
