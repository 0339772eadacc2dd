"""Labels and widgets: what a page's furniture leaves as a word or a line of its own.

The language switcher, a widget's leftover word (Loading, 12 Comments, Print), advertisement
markers, reading-time labels, a gallery's counter, a form's empty text box and what a text-mode
browser leaves of images, and the kicker or section label above the headline.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

import langcodes

from ingest.structure.navigation import IMAGE_FILE_RE
from ingest.structure.rules.registry import MAX_DEBRIS_CHARS, Rule

# Separators between the items of a row: pipes, slashes, bullets, commas and spaces.
# Matches " | ", " · ", ", "; must not match letters or digits.
ROW_SEPARATOR_RE = re.compile(r"[\s|/·•,;]+")
# An item of a row: a run of characters that ROW_SEPARATOR_RE does not match; the first match of
# a search is the row's first item. Matches "English" in " | English | Español"; must not match a
# separator.
ROW_ITEM_RE = re.compile(r"[^\s|/·•,;]+")


# --- language_switcher_label ------------------------------------------------------------------


@lru_cache(maxsize=1)
def two_letter_language_names() -> frozenset[str]:
    """The English name and the autonym (casefolded) of every language with a two-letter
    (ISO 639-1) code: the only names :func:`find_language_name` can accept.

    Worked out once per process from langcodes (about 0.2 s). Most paragraphs' first word is no
    language name, and a look-up in this set settles it without asking langcodes.

    >>> {"english", "español", "deutsch"} <= two_letter_language_names()
    True
    >>> "loading" in two_letter_language_names()
    False
    """
    names = set()
    for first in string.ascii_lowercase:
        for second in string.ascii_lowercase:
            language = langcodes.Language.get(first + second)
            if language.is_valid():
                names.add(language.display_name().casefold())
                names.add(language.autonym().casefold())
    return frozenset(names)


@lru_cache(maxsize=4096)
def find_language_name(name: str) -> str | None:
    """The BCP 47 tag of a language written by name in English or in its own script, else None.

    Only two-letter (ISO 639-1) languages count, and the name must be the language's English name
    or its autonym: this keeps "EN" (which langcodes reads as "enc") and other words out.

    >>> find_language_name("English"), find_language_name("Español"), find_language_name("日本語")
    ('en', 'es', 'ja')
    >>> find_language_name("EN") is None, find_language_name("Loading") is None
    (True, True)
    """
    if not name.isalpha() or len(name) > 30 or not name.isprintable():
        return None
    if name.casefold() not in two_letter_language_names():
        return None
    return look_up_language_name(name)


def look_up_language_name(name: str) -> str | None:
    """:func:`find_language_name` by langcodes alone, without the quick test of the names
    (the tests check that the quick test never turns away a name this accepts)."""
    try:
        language = langcodes.find(name)
    # LookupError: not a language name. The others: language_data's name trie fails on some
    # unusual letters (marisa_trie raises SystemError or returns undecodable bytes).
    except (LookupError, SystemError, UnicodeDecodeError):
        return None
    if len(language.language or "") != 2:
        return None
    known = {language.display_name().casefold(), language.autonym().casefold()}
    if name.casefold() not in known:
        return None
    return langcodes.standardize_tag(language.language)


def split_language_row(text: str) -> list[str] | None:
    """The tags of a paragraph that is only language names ("English | Español"), else None.

    >>> split_language_row("English | Español | Français")
    ['en', 'es', 'fr']
    >>> split_language_row("English is spoken here") is None
    True
    """
    if len(text) > MAX_DEBRIS_CHARS:
        return None
    # Every item must be a language name, so a row whose first item is not one is not a row; most
    # paragraphs stop here, without splitting the whole paragraph.
    first = ROW_ITEM_RE.search(text)
    if first is None or find_language_name(first.group()) is None:
        return None
    names = [part for part in ROW_SEPARATOR_RE.split(text) if part]
    if not names or len(names) > 40:
        return None
    tags = []
    for name in names:
        tag = find_language_name(name)
        if tag is None:
            return None
        tags.append(tag)
    return tags


def is_language_switcher_label(text: str) -> bool:
    """Whether a paragraph is a language name or a row of them.

    >>> is_language_switcher_label("English"), is_language_switcher_label("In English")
    (True, False)
    """
    return split_language_row(text) is not None


# --- trailing_widget_word, advertisement_label, reading_time, gallery_counter ------------------

# A widget's leftover word on a line of its own: loading spinners, skip links, comment counters,
# print buttons, back links. Matches "Loading", "Loading...", "Skip to content", "12 Comments",
# "Comments (3)", "Zurück zur Übersicht", "Back to gallery", "Permalink";
# must not match a sentence that ends in "Loading" or mentions comments ("Loading the truck took").
WIDGET_WORD_RE = re.compile(
    r"^(?:loading(?:\.{3}|…)?|please wait(?:\.{3}|…)?|skip to (?:main )?content|skip navigation"
    r"|\d+\s*(?:comments?|kommentare?|replies|antworten|reactions?|interakcji)"
    r"|(?:comments?|kommentare?|kommentieren|leave a (?:comment|reply)|post comment(?: \(\+\))?)"
    r"(?:\s*\(?\d+\)?)?|print|drucken|back to top|nach oben|zurück|scroll to top|close|schließen"
    r"|menu|menü|toggle navigation|show more|load more|mehr anzeigen|more|previous|next|prev"
    r"|(?:«\s*)?previous (?:post|article)|next (?:post|article)(?:\s*»)?"
    r"|zurück zu[rm]? (?:übersicht|startseite|vorherigen seite|artikelübersicht"
    r"|den suchergebnissen|allen (?:meldungen|artikeln|beiträgen|news))"
    r"|back to (?:gallery|overview|the list|search results|all (?:posts|articles|news))"
    r"|(?:zeige |show |view |browse )?all(?:e)? (?:artikel|posts|articles)"
    r"|permalink|view comments|enlarge image|artikel bewerten)$",
    re.IGNORECASE,
)

# An advertisement marker on a line of its own, in any part of the text.
# Matches "Advertisement", "ADVERTISEMENT", "Anzeige", "Werbung", "Sponsored", "- Anzeige -",
# "Advertisement:", "About these ads", "Affiliatelinks", "Anzeige, enthält Affiliate Links";
# must not match a sentence about advertisements ("Advertisement spending fell.").
ADVERTISEMENT_RE = re.compile(
    r"^(?:[-–—]\s*)?(?:advertisement|advertising|ad|anzeige|werbung|publicidad|publicité"
    r"|pubblicità|reklama"
    r"|sponsored(?: content)?|story continues below advertisement|article continues below"
    r"|about these ads|affiliate[- ]?links?|(?:anzeige|werbung),? enthält affiliate[- ]?links?"
    r"|continue reading below|\[ad\])(?:\s*[-–—:])?$",
    re.IGNORECASE,
)
# A reading-time label. Matches "5 min read", "• 2 min read", "Lesezeit: 3 Minuten",
# "Tempo de leitura: 2 minutos", "Reading time: 4 min"; must not match a sentence ("It takes
# 5 minutes to read the label.").
READING_TIME_RE = re.compile(
    r"^(?:[•·|-]\s*)?(?:\d{1,3}\s*(?:min\.?|minutes?|minuten|minutos)\s*(?:read|lesezeit"
    r"|de lectura|de leitura|di lettura|de lecture)"
    r"|(?:reading time|read time|lesezeit|lesedauer|tempo de leitura|tiempo de lectura"
    r"|temps de lecture|tempo di lettura|czas czytania)\s*:?\s*(?:ca\.\s*)?\d{1,3}"
    r"\s*(?:min\.?|minutes?|minuten|minutos|minuti|minut[ya]?))$",
    re.IGNORECASE,
)
# A gallery's image counter: "N of M" (in a few languages), or "N/M" after a word for a picture.
# Matches "1 of 12", "Photo 3/10", "Bild 2 von 5"; must not match a sentence ("One of 12 winners
# was local.") or a bare fraction, which is data ("180/132" in a table of engine outputs).
GALLERY_COUNTER_RE = re.compile(
    r"^(?:(?:photo|image|picture|slide|bild|foto|imagen|zdjęcie)\s*\d{1,3}\s*(?:of|/|von|de|di"
    r"|sur|z)\s*\d{1,3}|\d{1,3}\s+(?:of|von|de|di|sur|z)\s+\d{1,3})$",
    re.IGNORECASE,
)

# --- form_field, image_placeholder ------------------------------------------------------------

# An empty text box of a form, as a text-mode browser (w3m) draws it: blanks or underscores between
# brackets. Matches "Search: [                    ]", "Name (required) [          ] [Submit]",
# "[____]"; must not match a checkbox ("[ ] Milk", "[x]") or a bracket with words ("[sic]").
FORM_FIELD_RE = re.compile(r"\[[ _]{4,}\]")
# A line made only of bracketed image names, as a text-mode browser leaves an image: each name has
# no blank and holds a digit, "_", "-", ":" or "#", the marks of file names and ids. Matches
# "[header_logo]", "[CIK_2018Swim]", "[Social-Fac] [Social-Twi]", "[INS::INS]"; must not match a
# drop cap ("[S]"), a footnote ("[13]"), code ("[1, 2, 3]",
# "[\"baz\"]"), a config section ("[server]") or words ("[Editor's note]").
IMAGE_NAME_ROW_RE = re.compile(r"^(?:\[[^\[\]\s\"',;]{3,60}\] ?)+$")
# One bracketed name of such a row. Matches "[header_logo]".
IMAGE_NAME_RE = re.compile(r"\[([^\[\]]*)\]")
# The characters that mark a bracketed name as a file name or an id rather than a word.
IMAGE_NAME_MARKS = frozenset("0123456789_-:#")


def is_form_field(text: str) -> bool:
    """Whether a paragraph holds an empty text box of a form (a search box, a comment form).

    >>> is_form_field("Search: [                    ]"), is_form_field("[ ] Buy milk")
    (True, False)
    """
    return len(text) <= 200 and "[" in text and bool(FORM_FIELD_RE.search(text))


def is_image_placeholder(text: str) -> bool:
    """Whether a paragraph is only what a text-mode browser leaves of images: bracketed image
    names, or an image file name.

    >>> is_image_placeholder("[hero_image-01]"), is_image_placeholder("team-photo.jpg")
    (True, True)
    >>> is_image_placeholder("[S]"), is_image_placeholder("[13]"), is_image_placeholder("[server]")
    (False, False, False)
    """
    if len(text) > 200:
        return False
    if not text.startswith("["):
        # A file name has a dot and no blank: most lines stop here, before the regex.
        return "." in text and " " not in text and bool(IMAGE_FILE_RE.match(text))
    if not IMAGE_NAME_ROW_RE.match(text):
        return False
    return all(
        any(ch.isalpha() for ch in name) and not IMAGE_NAME_MARKS.isdisjoint(name)
        for name in IMAGE_NAME_RE.findall(text)
    )


# --- head_label ----------------------------------------------------------------------------------

# A kicker or section label above the headline is a few words at most.
MAX_HEAD_LABEL_WORDS = 4
# How a sentence or a list item ends; a label ends with neither.
# Matches "It rained.", "Why?", "Note:"; must not match "Politics" or "U.S. News".
LABEL_END_RE = re.compile(r"[.!?:;,…][\"'”’»)]{0,2}$")


def is_head_label(text: str) -> bool:
    """Whether a paragraph reads as a kicker or section label: a few words, no sentence.

    The caller only applies it to the lines above the headline it found.

    >>> is_head_label("Local News"), is_head_label("Budget vote")
    (True, True)
    >>> is_head_label("It rained."), is_head_label("Five things the council decided today")
    (False, False)
    """
    words = text.split()
    return (
        0 < len(words) <= MAX_HEAD_LABEL_WORDS
        and not LABEL_END_RE.search(text)
        and any(ch.isalpha() for ch in text)
    )


LANGUAGE_SWITCHER_LABEL = Rule.predicate(
    "language_switcher_label",
    "A language name or a row of them: the page's language switcher, not article text.",
    "edge",
    is_language_switcher_label,
)
TRAILING_WIDGET_WORD = Rule.pattern(
    "trailing_widget_word",
    "A widget's leftover word (Loading, Skip to content, 12 Comments, Print).",
    "edge",
    WIDGET_WORD_RE,
    max_chars=60,
)
ADVERTISEMENT_LABEL = Rule.pattern(
    "advertisement_label",
    "An advertisement marker on a line of its own.",
    "anywhere",
    ADVERTISEMENT_RE,
    max_chars=60,
)
READING_TIME = Rule.pattern(
    "reading_time",
    "A reading-time label (5 min read, Lesezeit: 3 Minuten).",
    "anywhere",
    READING_TIME_RE,
    max_chars=60,
)
GALLERY_COUNTER = Rule.pattern(
    "gallery_counter",
    "A gallery's image counter (1 of 12, Photo 3/10).",
    "anywhere",
    GALLERY_COUNTER_RE,
    max_chars=30,
)
FORM_FIELD = Rule.predicate(
    "form_field",
    "A form's empty text box as a text-mode browser draws it (Search: [          ],"
    " Name (required) [          ]).",
    "anywhere",
    is_form_field,
)
IMAGE_PLACEHOLDER = Rule.predicate(
    "image_placeholder",
    "What a text-mode browser leaves of an image: bracketed image names ([hero_01],"
    " [Social-Fac] [Social-Twi]) or an image file name (header-logo.png).",
    "anywhere",
    is_image_placeholder,
)
HEAD_LABEL = Rule.context(
    "head_label",
    "A kicker or section label above the headline (Politics, Budget vote): a few words,"
    " no sentence.",
    is_head_label,
    applied_by="ingest.structure.extract.mark_head_labels",
)
