"""Image captions: paragraphs that carry a photo credit, and bare caption lines between paragraphs.

A caption's credit is split off without its brackets or label: ``... 2025. [AP Photo/Noah Berger]``
gives the text ``... 2025.`` and the credit ``AP Photo/Noah Berger``.
"""

from __future__ import annotations

import re

from ingest.structure.bylines import is_name_like
from ingest.structure.memo import remember_short
from ingest.structure.paragraphs import ends_sentence, search_tail

MAX_CAPTION_CHARS = 400

# A bracketed group at the very end of a paragraph: "[AP Photo/Noah Berger]", "(Photo: Reuters)".
# Matches only the last group (no brackets inside it); must not match "(2019) and more".
# (Repaired text has no trailing spaces; the group is stripped by the caller.)
END_BRACKET_RE = re.compile(r"[\[(]([^\[\]()]{1,120})[\])]$")

# Picture agencies and wire services, as credits name them (a regex alternation, lower case): the
# one list that the credit words, agency lines and trailing agencies below all use.
AGENCIES = (
    r"getty(?: images)?|afp|ap|associated press|reuters|dpa|epa|imago|shutterstock|istock|alamy"
    r"|picture alliance|keystone|xinhua|anadolu|zuma|sipa|abaca|pa|efe|ansa|pti|ians|ani"
    r"|bloomberg"
)

# Words that make a bracketed group or a line a photo credit: labels, picture agencies, a site's
# domain, or a name joined to an agency by a slash.
# Matches "AP Photo/Noah Berger", "Photo: Reuters", "Getty Images", "AFP", "Associated Press",
# "NASA/JPL/Caltech", "example.com"; must not match "(2019)", "(see above)", "(in German)" or
# "($4.99/mo)".
CREDIT_WORDS_RE = re.compile(
    r"\b(?:photos?|photograph(?:y|ed)?|fotos?|bild(?:quelle)?|image(?:s|n)?|picture|pictures"
    rf"|credit|courtesy|{AGENCIES}"
    r"|nasa|illustration|grafik|quelle|source|fuente|crédito|créditos|foto)\b"
    r"|(?-i:[A-Za-z]/[A-Z])|\w\.(?:com|org|net|gov|edu)\b",
    re.IGNORECASE,
)

# A credit label that starts a credit, with what follows it.
# Matches "Photo: Reuters", "Photograph: Jane Doe/Getty Images", "Photograph by Ed Marshall",
# "Credit: NASA", "Image: X", "Foto: dpa", "Bild: MDV Sports"; must not match "Photos of the day"
# or a label inside a phrase ("Playoff picture: the race"): after the start of the paragraph, the
# label follows a sentence's end or starts with a capital.
CREDIT_LABEL_RE = re.compile(
    r"(?:^|(?<=[.!?)\]”\"])\s|\s(?=(?-i:[A-ZÀ-Þ])))((?:photo(?:graph)?s?|fotos?|foto(?:grafie)?|bild(?:quelle)?|image|picture|credit"
    r"|photo credit|image credit|crédito|créditos|quelle)\s*(?::|by\b|von\b)\s*\S.{0,120})$",
    re.IGNORECASE,
)

# A credit label glued to the caption's last word, as some renderers leave it, a trailing
# "Submitted photo"/"File photo", or a Name/Agency credit glued to the caption's full stop.
# Matches "... a rabbitCredit: Getty", "Jane Doe Submitted photo", "... at dawn.Jane Doe/Agency";
# must not match "Credit: X" at the start (CREDIT_LABEL_RE does) or "creditworthy".
GLUED_CREDIT_RE = re.compile(
    r"(?<=[a-z.)])((?:Credit|Photo|Image|Foto|Bild):\s*\S.{0,120})$"
    r"|\s((?:Submitted|File|Courtesy|Contributed) photo)$"
    r"|(?<=[a-z][.!?])([A-Z][^\s/]{0,30}(?: [^\s/]{1,30}){0,3}/[^\s/]{2,30}(?: [^\s/]{1,30}){0,2})$"
)
# A caption that names itself: "FILE PHOTO: Traders work ...", "Image caption Jane Doe said ...",
# or a numbered figure label, "Figure 3: ...", "Abbildung 4: ...", "Abb. 2: ...".
# The optional credit comes from "Image copyright X Image caption". Case-sensitive, so it must
# not match a sentence that starts with "Photo" in lower case, nor one that cites a figure
# ("Figure 3 shows ...": the label's colon is required).
CAPTION_PREFIX_RE = re.compile(
    r"^(?:Image copyright (\S.{0,80}?) )?(?:FILE PHOTO: |PHOTO: |Image caption |Media caption"
    r"|(?:Figure|Fig\.|Abbildung|Abb\.|Bild|Grafik) ?\d{1,3}: )"
)

# A line that is only a picture agency or stock service: "Getty Images", "AFP", "Reuters/Jane Doe",
# "Imago/Shotshop". Must not match a sentence.
AGENCY_LINE_RE = re.compile(
    rf"^(?:{AGENCIES})(?:\s*(?:/|via|for|-)\s*[^.!?/]{{1,60}}){{0,2}}$",
    re.IGNORECASE,
)
# A short credit line that ends with an agency after a name or another source: "Jane Doe |
# Bloomberg | Getty Images", "Jane Doe, ASSOCIATED PRESS", "State Archive via AP", "Stock,
# Getty Images/Creatas RF". What comes before it must be names (checked by the caller).
# Must not match "He spoke to AP" (no separator) or "Pittsburgh, PA" (a place).
AGENCY_END_RE = re.compile(
    rf"(?:\s\||,|\svia)\s?(?!pa$)(?:{AGENCIES})(?:/[^/|,.!?]{{1,30}})?$", re.IGNORECASE
)
# Where the names before such an agency split: pipes, commas and slashes.
CREDIT_PART_SEPARATOR_RE = re.compile(r"[|,/]")
# An agency credit after a caption, set off by a slash or a pipe: "... Universitätsklinikum /
# picture alliance", "... Joe Biden | AFP". Must not match "24/7 AP" or "and/or AFP" (spaces
# needed).
TRAILING_AGENCY_RE = re.compile(rf"\s[/|]\s((?:{AGENCIES})(?:/[^/|,.!?]{{1,30}})?)$", re.IGNORECASE)
MAX_CREDIT_LINE_WORDS = 10
# A photographer's copyright mark on a line of its own: "© Jane Doe", "© Example Agency / J. Doe",
# "(c) Town Archive", "© Foto: example.com". Must not match a site's footer, which carries a year
# or a rights phrase ("© 2024 Example Media. All rights reserved.", "©2025 Acme", "© Example
# Media. All rights reserved").
PHOTO_COPYRIGHT_RE = re.compile(
    r"^(?:©|\(c\))\s*[^\W\d_](?!.*\b(?:rights|reserved|rechte|vorbehalten)\b)[^!?\d]{1,80}$",
    re.IGNORECASE,
)

# A credit's label on a line of its own, with the credit on the next line, as some renderers split
# them: "Foto:" / "Jane Doe", "Image copyright" / "Reuters", "Фото" / "@janedoe". Matches "Photo",
# "Fotos", "Bild:", "Credit:", "Image copyright"; must not match "Photos of the day", a bare
# "Image" or "Picture" (a gallery's button) or "Source:" (a text's source as often as a photo's).
CREDIT_LABEL_LINE_RE = re.compile(
    r"^(?:photo(?:graph)?s?|fotos?|фото|photo credit|image (?:credit|copyright)|crédito"
    r"|(?:bild|image|picture|credit)(?=\s?:))\s?:?$",
    re.IGNORECASE,
)
# A caption's label on a line of its own, with the caption on the next line: "Image caption".
# Must not match a bare "Caption" (a gallery's toggle button) or "Image captions are ...".
CAPTION_LABEL_LINE_RE = re.compile(
    r"^(?:image|media|picture|photo) caption:?$|^bildunterschrift:?$", re.IGNORECASE
)
# The credit on the line after its label: a name, an agency or a handle of this many words.
MAX_SPLIT_CREDIT_WORDS = 6

# A photographer's copyright mark at the end of a caption, glued or set off by a dash or a pipe:
# "The old harbour at dawn © Jane Doe / Example Agency", "... verschraubt.© Example GmbH",
# "... – © Jane Doe – stock.example.com", "... (c) Town Archive". Must not match a site's footer,
# which carries a year or a rights phrase ("Forum software © 2010-2019 Example Ltd.", "© Example
# Media. All rights reserved"), nor a mark inside a sentence (the credit runs to the end without
# "!", "?" or a digit). What precedes it must be a caption of a few words (see split_credit).
# The rights-phrase lookahead looks 80 characters ahead, as far as the credit may run: an
# unbounded ".*" there made the search quadratic on a long line with many marks.
TRAILING_COPYRIGHT_RE = re.compile(
    r"(?:\s[-–—|])?\s?((?:©|\(c\))\s?[^\W\d_](?!.{0,80}\b(?:rights|reserved|rechte|vorbehalten)\b)"
    r"[^!?\d©]{1,80})$",
    re.IGNORECASE,
)
MIN_MARKED_CAPTION_WORDS = 3

# How a bare caption begins: an article in front of a description ("A session of ...").
# Matches "A ", "An ", "The "; must not match "About" or "Thereafter".
CAPTION_START_RE = re.compile(r"^(?:A|An|The)\s")
# A bare caption ends without sentence punctuation; a subheading too, so see is_bare_caption.
CAPTION_END_RE = re.compile(r"[.!?:;,…\"”’)\]]$")

MIN_BARE_CAPTION_WORDS = 7
MAX_BARE_CAPTION_WORDS = 30

# Quick tests run before the credit patterns: each is implied by a match of its pattern, so a
# search it skips could not have matched (tests/structure/test_captions.py pins them against
# the patterns).
# END_BRACKET_RE ends in a closing bracket, and ``$`` also matches before a final newline.
BRACKET_ENDINGS = ("]", ")", "]\n", ")\n")
# GLUED_CREDIT_RE's "Submitted photo" branch: the text ends in "photo" (case-sensitive).
PHOTO_ENDINGS = ("photo", "photo\n")


def may_have_agency_end(text: str) -> bool:
    """Whether AGENCY_END_RE can match: it needs a pipe, a comma or "via" (a V in any case)."""
    return "|" in text or "," in text or "v" in text or "V" in text


# A piece of each label word of CREDIT_LABEL_RE ("phot" for photo, photograph, "ld" for bild ...),
# chosen without i, s or k: under IGNORECASE those also match İ, ı, ſ and the Kelvin sign, whose
# lower case differs; every other letter matches only characters that lower-case to it.
CREDIT_LABEL_FRAGMENTS = ("phot", "fot", "ld", "mage", "ctur", "cred", "créd", "quelle")


def may_have_credit_label(text: str) -> bool:
    """Whether CREDIT_LABEL_RE can match: a label word, then ":", "by" or "von" (any case).

    Lower-casing finds every label fragment, "by" and "von" the pattern can match (see
    CREDIT_LABEL_FRAGMENTS).
    """
    lowered = text.lower()
    if not (":" in text or "by" in lowered or "von" in lowered):
        return False
    for fragment in CREDIT_LABEL_FRAGMENTS:  # a loop, not any(): this runs on most paragraphs
        if fragment in lowered:
            return True
    return False


def may_have_trailing_agency(text: str) -> bool:
    """Whether TRAILING_AGENCY_RE can match: it needs a slash or a pipe."""
    return "/" in text or "|" in text


def may_have_copyright_mark(text: str) -> bool:
    """Whether TRAILING_COPYRIGHT_RE can match: it needs "©" or "(c)" (either case)."""
    return "©" in text or "(c)" in text or "(C)" in text


def may_have_glued_credit(text: str) -> bool:
    """Whether GLUED_CREDIT_RE can match: a "Label:", a "Name/Agency" or a trailing "... photo"."""
    return ":" in text or "/" in text or text.endswith(PHOTO_ENDINGS)


@remember_short(maxsize=8192, max_chars=MAX_CAPTION_CHARS)
def split_credit(text: str) -> tuple[str, str | None]:
    """Split a caption into its text and its credit (None when it has none).

    >>> split_credit("Marines in Los Angeles, June 13, 2025. [AP Photo/Noah Berger]")
    ('Marines in Los Angeles, June 13, 2025.', 'AP Photo/Noah Berger')
    >>> split_credit("A man on a horse. Photograph: Jane Doe/Getty Images")
    ('A man on a horse.', 'Photograph: Jane Doe/Getty Images')
    >>> split_credit("Titan in false colour. (NASA/JPL/Space Science Institute)")
    ('Titan in false colour.', 'NASA/JPL/Space Science Institute')
    >>> split_credit("A hunter ate a rabbitCredit: Getty")
    ('A hunter ate a rabbit', 'Credit: Getty')
    >>> split_credit("Geese over the lake.Jane Doe/Example Agency")
    ('Geese over the lake.', 'Jane Doe/Example Agency')
    >>> split_credit("The ward at the city hospital / picture alliance")
    ('The ward at the city hospital', 'picture alliance')
    >>> split_credit("The old harbour at dawn © Jane Doe / Example Agency")
    ('The old harbour at dawn', '© Jane Doe / Example Agency')
    >>> split_credit("Prices rose (again).")
    ('Prices rose (again).', None)
    """
    if len(text) > MAX_CAPTION_CHARS:
        return text, None
    bracket = END_BRACKET_RE.search(text) if text.endswith(BRACKET_ENDINGS) else None
    if bracket and CREDIT_WORDS_RE.search(bracket.group(1)):
        return text[: bracket.start()].rstrip(" |-–—"), bracket.group(1).strip()
    label = CREDIT_LABEL_RE.search(text) if may_have_credit_label(text) else None
    if label:
        return text[: label.start(1)].rstrip(" |-–—,"), label.group(1).strip()
    trailing = TRAILING_AGENCY_RE.search(text) if may_have_trailing_agency(text) else None
    if trailing:
        return text[: trailing.start()].rstrip(" ,"), trailing.group(1)
    glued = GLUED_CREDIT_RE.search(text) if may_have_glued_credit(text) else None
    if glued:
        credit = glued.group(1) or glued.group(2) or glued.group(3)
        return text[: text.rindex(credit)].rstrip(" |-–—,"), credit.strip()
    mark = TRAILING_COPYRIGHT_RE.search(text) if may_have_copyright_mark(text) else None
    if mark:
        caption = text[: mark.start()].rstrip(" |-–—,")
        if len(caption.split()) >= MIN_MARKED_CAPTION_WORDS:
            return caption, mark.group(1).strip()
    prefix = CAPTION_PREFIX_RE.match(text)
    if prefix and prefix.group(1):
        return text[prefix.end() :], prefix.group(1)
    return text, None


def is_self_declared_caption(text: str) -> bool:
    """Whether a paragraph says it is a caption ("FILE PHOTO: ...", "Image caption ...").

    >>> is_self_declared_caption("FILE PHOTO: Traders work on the floor of the exchange.")
    True
    >>> is_self_declared_caption("Photo opportunities were rare.")
    False
    """
    return len(text) <= MAX_CAPTION_CHARS and CAPTION_PREFIX_RE.match(text) is not None


@remember_short(maxsize=8192)
def is_credit_line(text: str) -> bool:
    """Whether a paragraph is only a photo credit.

    >>> is_credit_line("Getty Images"), is_credit_line("Photo: Reuters")
    (True, True)
    >>> is_credit_line("Jane Doe | Example Post | Getty Images")
    True
    >>> is_credit_line("Town Archive via AP")
    True
    >>> is_credit_line("Getty Images bought the archive in 2019.")
    False
    """
    if len(text) > 150:
        return False
    if AGENCY_LINE_RE.match(text) or is_photo_copyright(text):
        return True
    agency = AGENCY_END_RE.search(text) if may_have_agency_end(text) else None
    if (
        agency
        and len(text.split()) <= MAX_CREDIT_LINE_WORDS
        and not ends_sentence(text)
        and all(
            is_name_like(part.strip()) or AGENCY_LINE_RE.match(part.strip())
            for part in CREDIT_PART_SEPARATOR_RE.split(text[: agency.start()])
        )
    ):
        return True
    caption, credit = split_credit(text)
    return credit is not None and not caption


def is_photo_copyright(text: str) -> bool:
    """Whether a paragraph is a photographer's copyright mark, not a site's copyright footer.

    >>> is_photo_copyright("© Jane Doe / Example Agency"), is_photo_copyright("(c) Town Archive")
    (True, True)
    >>> is_photo_copyright("© Foto: J. Doe/example.com"), is_photo_copyright("© Example e.V.")
    (True, True)
    >>> is_photo_copyright("© 2024 Example Media. All rights reserved.")
    False
    >>> is_photo_copyright("© Example Media. All rights reserved")
    False
    """
    # The mark at the start first: a line without it is not split into words.
    return bool(PHOTO_COPYRIGHT_RE.match(text)) and len(text.split()) <= MAX_CREDIT_LINE_WORDS


def is_bare_caption(text: str) -> bool:
    """Whether a paragraph reads as a bare photo caption: a descriptive noun phrase, no full stop.

    Only meaningful between two prose paragraphs (the caller checks that); a subheading looks
    similar, so the phrase must start with an article and be fairly long.

    >>> is_bare_caption("A session of the Petrograd Soviet of soldiers during the 1917 revolution")
    True
    >>> is_bare_caption("The road ahead"), is_bare_caption("What comes next?")
    (False, False)
    """
    # The opening article first: most paragraphs lack it, and then their words are not split.
    if CAPTION_START_RE.match(text) is None or search_tail(CAPTION_END_RE, text):
        return False
    return MIN_BARE_CAPTION_WORDS <= len(text.split()) <= MAX_BARE_CAPTION_WORDS


def is_caption_label_line(text: str) -> bool:
    """Whether a paragraph is only a caption's label, the caption on the line after it.

    >>> is_caption_label_line("Image caption"), is_caption_label_line("Caption")
    (True, False)
    """
    return len(text) <= 20 and CAPTION_LABEL_LINE_RE.match(text) is not None


def is_credit_label_line(text: str) -> bool:
    """Whether a paragraph is only a photo credit's label, the credit on the line after it.

    >>> is_credit_label_line("Foto:"), is_credit_label_line("Photos of the day")
    (True, False)
    """
    return len(text) <= 20 and CREDIT_LABEL_LINE_RE.match(text) is not None


def is_split_credit(label: str, following: str) -> bool:
    """Whether a label line and the line after it make one photo credit ("Foto:" / "Jane Doe").

    The credit is a name, a picture agency or a handle: a few words without a sentence's end.

    >>> is_split_credit("Foto:", "Jane Doe"), is_split_credit("Image copyright", "Reuters")
    (True, True)
    >>> is_split_credit("Фото", "@janedoe")
    True
    >>> is_split_credit("Photo:", "The mayor said the bridge would open in May.")
    False
    >>> is_split_credit("Photos of the day", "Jane Doe"), is_split_credit("Image", "Close")
    (False, False)
    """
    if not is_credit_label_line(label):
        return False
    words = following.split()
    if not 1 <= len(words) <= MAX_SPLIT_CREDIT_WORDS or ends_sentence(following):
        return False
    return (
        following.startswith("@")
        or is_name_like(following)
        or AGENCY_LINE_RE.match(following) is not None
    )
