"""Bylines and datelines near the head of a text: who wrote it and when.

``By Jane Doe`` gives the author, ``Updated 3 hours ago`` the publication date (the raw text as it
appears; nothing is parsed), ``Chris Davies - Nov 19, 2019, 10:31 pm CST`` gives both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = (
    r"jan(?:uary|uar|vier|eiro)?|feb(?:ruary|ruar)?|févr(?:ier)?|fevereiro|mar(?:ch|s)?|märz|mär"
    r"|marzo|março|apr(?:il)?|avr(?:il)?|abr(?:il)?|aprile|may|mai|mayo|maio|maggio|jun(?:e|i|io)?"
    r"|juin|junho|giugno|jul(?:y|i|io)?|juil(?:let)?|julho|luglio|aug(?:ust)?|août|ago(?:sto)?"
    r"|sep(?:t(?:ember)?)?|sept(?:iembre)?|setembro|settembre|oct(?:ober)?|okt(?:ober)?|octubre"
    r"|outubro|ottobre|nov(?:ember|iembre|embro)?|dec(?:ember)?|dez(?:ember|embro)?|déc(?:embre)?"
    r"|dic(?:iembre|embre)?|январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]"
    r"|августа?|сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь]"
)

# A date or a time stamp as news sites print them. Matches "Nov 19, 2019", "19 November 2019",
# "19. Oktober 2019", "2021-10-16", "04.12.2022", "3 hours ago", "vor 5 Stunden", "Hace 13 horas",
# "10:31 pm"; must not match a bare year ("in 2019") or a number ("4,000 troops").
# Every quantifier is bounded and the alternatives start differently, so matching is linear.
DATE_RE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\.?\s{{0,3}}(?:de\s{{1,3}})?(?:{MONTHS})\.?,?\s{{0,3}}"
    rf"(?:de\s{{1,3}})?\d{{2,4}}"
    rf"|(?:{MONTHS})\.?\s{{1,3}}\d{{1,2}}(?:st|nd|rd|th)?,?\s{{0,3}}\d{{4}}"
    r"|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2}"
    r"|\d{1,3}\s{1,3}(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)\s{1,3}ago"
    r"|(?:vor|hace|há|il y a)\s{1,3}\d{1,3}\s{1,3}(?:sekunden|minuten|stunden|tagen|wochen"
    r"|minutos|horas|días|dias|minutes|heures|jours)"
    r"|\d{1,2}:\d{2}\s{0,3}(?:[ap]\.?\s?m\b\.?)?)",
    re.IGNORECASE,
)
# Every alternative of DATE_RE holds a digit: a text without one holds no date, and this one-class
# scan is far cheaper than trying the alternation at every position (most lines have no digit).
DIGIT_RE = re.compile(r"\d")

# The label in front of a date. Matches "Published", "Updated :", "Last Updated", "Posted on",
# "Veröffentlicht am", "Stand:"; must not match an ordinary first word.
DATE_LABEL_RE = re.compile(
    r"^(?:(?:first |last )?(?:published|updated|posted|modified)(?: on| at)?|date"
    r"|veröffentlicht(?: am)?|aktualisiert(?: am)?|erstellt(?: am)?|stand|datum"
    r"|publicado(?: el| em)?|actualizado|publié(?: le)?|mis à jour(?: le)?|pubblicato"
    r"|opublikowano)\s*:?\s*",
    re.IGNORECASE,
)

# The word that introduces an author, then at least one capitalised word.
# Matches "By Jane Doe", "by JANE DOE", "Von Max Muster", "Por Ana Ruiz", "von:";
# must not match "By the time we left" (see is_name_like for the rest of the line).
BY_RE = re.compile(
    r"^(?:by|von|por|par|door|av|di|written by|text|autor|autorin|author|текст|автор)\s*:?"
    r"(?:\s+|$)",
    re.IGNORECASE,
)

# The separator between an author and a date on one line: " - ", " – ", "|", "·" (the parts are
# stripped after splitting). Matches the dash in "Jane Doe - Nov 19"; must not match the hyphen
# in "Jean-Luc". Lookarounds are one character wide, so the search is linear.
AUTHOR_DATE_SEPARATOR_RE = re.compile(r"(?<=\s)[-–—](?=\s)|[|·]")

# Words allowed in a name besides capitalised ones: connectors and particles.
NAME_PARTICLES = frozenset(
    "and und y et & e de da das del der den van von le la du di bin al ter zu of".split()
)
# One word of a name: letters, apostrophes, dots and hyphens (is_name_like also wants a capital).
# Matches "Jane", "O'Neil", "T.", "MCCOY", "Jean-Luc", "Лида"; must not match "2019" or "a/b".
NAME_WORD_RE = re.compile(r"^[^\W\d_][\w'’.-]{0,30},?$")

MAX_NAME_WORDS = 8
# One person's name has this many words ("Jane Doe", "Mary Ann de la Cruz" counts its particles).
MIN_PERSON_WORDS = 2
MAX_PERSON_WORDS = 4
# Where a line of several names splits into persons: "and", "und", "&", "y", "et" and commas.
# Matches " and ", ",", " & "; must not match inside a name ("Anderson", "Etienne"). One space
# on each side (no \s+ before a word that may fail), so a run of spaces costs linear time.
PERSON_SEPARATOR_RE = re.compile(r",|\s(?:and|und|&|y|et|e)\s", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Byline:
    """What one head paragraph says about authorship: whether it is only a date stamp (a
    dateline, else an author line, a byline; :mod:`ingest.structure.rules.head` names the two
    rules) and the fields it gives."""

    date_only: bool
    author: str | None
    published: str | None


def is_name_like(text: str) -> bool:
    """Whether text reads as one or more personal names.

    >>> is_name_like("Jane Doe and John Roe"), is_name_like("the time we left")
    (True, False)
    """
    words = text.split()
    if not words or len(words) > MAX_NAME_WORDS or words[-1].casefold() in NAME_PARTICLES:
        return False
    names = [word for word in words if word.casefold() not in NAME_PARTICLES]
    return bool(names) and all(NAME_WORD_RE.match(word) and word[0].isupper() for word in names)


def is_person_names(text: str) -> bool:
    """Whether a line is one or more persons' names, each of two to four words.

    Stricter than :func:`is_name_like`: a headline in title case ("Items We Never Knew We
    Wanted") reads as names word by word, but not as persons.

    >>> is_person_names("Kevin Johnson and Kevin McCoy"), is_person_names("Jane Doe")
    (True, True)
    >>> is_person_names("Storms Never Seen Before Hit Town"), is_person_names("Quests und NPCs")
    (False, False)
    """
    if not is_name_like(text):
        return False
    persons = [part.split() for part in PERSON_SEPARATOR_RE.split(text) if part.strip()]
    return all(MIN_PERSON_WORDS <= len(person) <= MAX_PERSON_WORDS for person in persons)


def search_date(text: str) -> re.Match[str] | None:
    """``DATE_RE.search(text)``, skipped on a text without a digit (it could not match).

    >>> search_date("Posted Nov 19, 2019 by Jane").group(), search_date("Posted by Jane") is None
    ('Nov 19, 2019', True)
    """
    return DATE_RE.search(text) if DIGIT_RE.search(text) is not None else None


def find_date(text: str) -> str | None:
    """The date text of a dateline paragraph, or None when the paragraph is not a dateline.

    A dateline starts with a date label, or is mostly a date.

    >>> find_date("Published 12:01 AM EST, Mon March 4, 2024")
    '12:01 AM EST, Mon March 4, 2024'
    >>> find_date("19 NOV 2019"), find_date("Updated 3 hours ago")
    ('19 NOV 2019', '3 hours ago')
    >>> find_date("Fed raises rates for the third time since March 4, 2024") is None
    True
    """
    if len(text) > 120 or text.endswith("."):
        return None
    match = search_date(text)
    if match is None:
        return None
    label = DATE_LABEL_RE.match(text)
    if label and label.end() <= match.start():
        return text[label.end() :].strip(" |-–—") or None
    if len(match.group()) >= 0.4 * len(text) or (match.start() == 0 and len(text) <= 80):
        return text
    return None


def read_byline(text: str) -> Byline | None:
    """What a head paragraph says about author and date, or None when it says neither.

    >>> read_byline("By Jane Doe and John Roe")
    Byline(date_only=False, author='Jane Doe and John Roe', published=None)
    >>> read_byline("Chris Davies - Nov 19, 2019, 10:31 pm CST")
    Byline(date_only=False, author='Chris Davies', published='Nov 19, 2019, 10:31 pm CST')
    >>> read_byline("Updated 3 hours ago")
    Byline(date_only=True, author=None, published='3 hours ago')
    >>> read_byline("By the time we arrived, it was over.") is None
    True
    """
    if len(text) > 160:
        return None
    by = BY_RE.match(text)
    if by:
        rest = text[by.end() :].strip()
        if not rest:
            return Byline(False, None, None)
        if is_name_like(rest):
            return Byline(False, rest, None)
        parts = [part.strip() for part in AUTHOR_DATE_SEPARATOR_RE.split(rest, maxsplit=1)]
        if len(parts) == 2 and is_name_like(parts[0]) and find_date(parts[1]):
            return Byline(False, parts[0], find_date(parts[1]))
        return None
    parts = [part.strip() for part in AUTHOR_DATE_SEPARATOR_RE.split(text, maxsplit=1)]
    if len(parts) == 2 and is_name_like(parts[0]) and DATE_RE.match(parts[1]):
        return Byline(False, parts[0], find_date(parts[1]) or parts[1])
    published = find_date(text)
    if published:
        return Byline(True, None, published)
    return None


def is_byline(text: str) -> bool:
    """Whether a paragraph names the author.

    >>> is_byline("By Jane Doe"), is_byline("By the way, it rained.")
    (True, False)
    """
    found = read_byline(text)
    return found is not None and not found.date_only


def is_dateline(text: str) -> bool:
    """Whether a paragraph is only a date stamp.

    >>> is_dateline("Published 12:01 AM EST, Mon March 4, 2024"), is_dateline("In March we met.")
    (True, False)
    """
    found = read_byline(text)
    return found is not None and found.date_only
