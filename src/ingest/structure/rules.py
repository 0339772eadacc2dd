"""Named debris rules: what scrapers leave around an article, and where it sits.

Every rule is a :class:`Rule` in :data:`RULES`. Its ``name`` is the ``removed.rule`` value in the
output (stable: renamed only with a schema version bump), its ``reason`` says what it removes, its
``where`` says in which part of a text it may fire, and its ``matcher`` decides for one paragraph.

Zones (see :func:`ingest.structure.debris.find_zones`): ``head`` is every paragraph before the
first prose paragraph, ``tail`` every paragraph after the last one, ``edge`` is either, and
``anywhere`` is the whole text. Rules are precision-first: a matcher only ever matches a short
paragraph, never prose.

Every regex here is linear-time: no nested quantifiers over overlapping alternatives, and matchers
look only at paragraphs of at most :data:`MAX_DEBRIS_CHARS` characters.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import langcodes

from ingest.structure.bylines import is_byline, is_dateline
from ingest.structure.captions import (
    is_caption_label_line,
    is_credit_label_line,
    is_credit_line,
    is_photo_copyright,
)
from ingest.structure.navigation import IMAGE_FILE_RE, W3M_BULLETS, strip_bullet
from ingest.structure.paragraphs import TERMINAL_PUNCT_RE, is_prose
from ingest.structure.title import TRAIL_ENDS

# Debris is short. Longer paragraphs are never tested (this also bounds every regex's work).
MAX_DEBRIS_CHARS = 300

# "context" rules are applied by their own step (they need neighbours or extract fields); their
# matcher is the one-paragraph test that step starts from.
WHERE = ("head", "tail", "edge", "anywhere", "context")


@dataclass(frozen=True, slots=True)
class Rule:
    """A named way of recognising one kind of debris."""

    name: str
    reason: str
    where: str
    matcher: Callable[[str], bool]


# Separators between the items of a row: pipes, slashes, bullets, commas and spaces.
# Matches " | ", " · ", ", "; must not match letters or digits.
ROW_SEPARATOR_RE = re.compile(r"[\s|/·•,;]+")
# An item of a row: a run of characters that ROW_SEPARATOR_RE does not match; the first match of
# a search is the row's first item. Matches "English" in " | English | Español"; must not match a
# separator.
ROW_ITEM_RE = re.compile(r"[^\s|/·•,;]+")


# --- language_switcher_label ------------------------------------------------------------------


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


# --- trailing_widget_word, advertisement_label ------------------------------------------------

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


def is_widget_word(text: str) -> bool:
    """Whether a paragraph is a widget's leftover word.

    >>> is_widget_word("Loading"), is_widget_word("12 Comments"), is_widget_word("Loading docks")
    (True, True, False)
    """
    return len(text) <= 60 and bool(WIDGET_WORD_RE.match(text))


def is_advertisement_label(text: str) -> bool:
    """Whether a paragraph is only an advertisement marker.

    >>> is_advertisement_label("ADVERTISEMENT"), is_advertisement_label("Advertisement works.")
    (True, False)
    """
    return len(text) <= 60 and bool(ADVERTISEMENT_RE.match(text))


# --- share_row ---------------------------------------------------------------------------------

# Words of a share row: the verbs and the networks. Checked token by token (see is_share_row).
SHARE_WORDS = frozenset(
    "share shares shared tweet email e mail mail print copy link url facebook twitter x whatsapp "
    "linkedin pinterest reddit flipboard telegram messenger tumblr xing threads bluesky mastodon "
    "teilen teile drucken kopieren link kopiert compartir compartilhar partager partagez condividi "
    "sms pocket snapchat vk weibo line viber copied save follow sharing caring is twittern "
    "senden".split()
)
# Filler words a share row may hold besides share words ("Share this article with Facebook",
# "Auf Facebook teilen").
SHARE_FILLERS = frozenset("this on via with us the to article story page post it now auf".split())
# The words that make a row a share row even outside the head and tail.
SHARE_NETWORKS = frozenset(
    "facebook twitter whatsapp linkedin pinterest reddit flipboard telegram tumblr xing".split()
)
# Share buttons rendered without spaces: "facebooktwitterflipboardwhatsapp".
# Each alternative is a distinct literal word, so the engine never backtracks more than linearly.
# Must not match an ordinary word such as "facebooking".
GLUED_SHARE_RE = re.compile(
    r"^(?:facebook|twitter|flipboard|whatsapp|linkedin|pinterest|reddit|email|telegram|share)+$",
    re.IGNORECASE,
)
# A share button rendered with its tooltip: "Click to share on Facebook (Opens in new window)",
# "Click to print", "Click to email this to a friend". Must not match "Click the link below".
CLICK_TO_SHARE_RE = re.compile(
    r"^click to (?:share|print|email|tweet)\b[^.!?]{0,60}(?:\(opens in new window\))?$",
    re.IGNORECASE,
)
# Word tokens of a row: letters and digits. Matches "Share", "WhatsApp"; not "|" or "·".
WORD_RE = re.compile(r"\w+")


def may_be_share_row(text: str) -> bool:
    """Whether a paragraph's first word allows a share row (a quick test before the whole one).

    Every word of a share row is a share word or a filler, unless it is one glued word.

    >>> may_be_share_row("Share | Tweet"), may_be_share_row("Shares fell 3%."), may_be_share_row("")
    (True, True, False)
    >>> may_be_share_row("Stocks fell")
    False
    """
    first = WORD_RE.search(text)
    if first is None:
        return False
    word = first.group().casefold()
    return word in SHARE_WORDS or word in SHARE_FILLERS or bool(GLUED_SHARE_RE.match(word))


def is_share_row(text: str, anywhere: bool = False) -> bool:
    """Whether a paragraph is only share buttons; ``anywhere`` also requires a network name.

    >>> is_share_row("Share | Tweet | Email"), is_share_row("facebooktwitterflipboardwhatsapp")
    (True, True)
    >>> is_share_row("Share your thoughts with us below.")
    False
    """
    if len(text) > 120:
        return False
    if CLICK_TO_SHARE_RE.match(text):
        return True
    if not may_be_share_row(text):
        return False
    words = [word.casefold() for word in WORD_RE.findall(text)]
    if len(words) == 1 and words[0] not in SHARE_WORDS and GLUED_SHARE_RE.match(words[0]):
        return True
    if not any(word in SHARE_WORDS for word in words):
        return False
    if any(word not in SHARE_WORDS and word not in SHARE_FILLERS for word in words):
        return False
    return not anywhere or any(word in SHARE_NETWORKS for word in words)


# --- newsletter_prompt -------------------------------------------------------------------------

# A call to subscribe to a newsletter or mailing list, starting with the imperative.
# Matches "Sign up for our newsletter", "Subscribe to our daily briefing", "Newsletter abonnieren";
# must not match prose that mentions a newsletter ("The newsletter, founded in 1990, ...").
NEWSLETTER_RE = re.compile(
    r"^(?:(?:sign up|subscribe|register|join|get)\b[^.!?]{0,80}\b(?:newsletters?|briefing|"
    r"mailing list|inbox|updates|alerts)\b|newsletter(?:\s+(?:abonnieren|anmelden|sign-?up))?"
    r"|subscribe(?: now| today)?|jetzt abonnieren|abonnieren|newsletter abonnieren)"
    r"[^.!?]{0,60}[.!?]?$",
    re.IGNORECASE,
)


def is_newsletter_prompt(text: str) -> bool:
    """Whether a paragraph asks the reader to subscribe.

    >>> is_newsletter_prompt("Sign up for our newsletter")
    True
    >>> is_newsletter_prompt("She wrote a newsletter about gardening for ten years.")
    False
    """
    return len(text) <= 200 and bool(NEWSLETTER_RE.match(text))


# --- read_more ---------------------------------------------------------------------------------

# A "read more" link, alone or followed by the linked headline after a colon or arrow.
# Matches "Read more", "Continue reading", "READ MORE: Some headline", "Weiterlesen »",
# "Vea también: Some headline", "PUEDES VER: ¿Qué es ...?", "Mire: Some headline";
# must not match a sentence that starts with the words ("Read more books, she said.").
READ_MORE_RE = re.compile(
    r"^(?:read more|read the full (?:story|article)|continue reading(?: the main story)?"
    r"|read also|see also|also read|weiterlesen|mehr lesen|lesen sie auch|mehr zum thema"
    r"|lire la suite|leer más|leia mais|czytaj więcej|czytaj też|full story)"
    r"\s*(?:[:›»→>…-]+.{0,150}|\.{3})?$"
    # ... and, followed by the linked headline (alone, they head a related box):
    r"|^(?:(?:le|te) puede interesar|(?:vea|mira|lee) también|(?:veja|leia) também"
    r"|puedes ver|ver también|mire)"
    r"\s*:\s*[¿¡\"“]?\w.{0,150}$",
    re.IGNORECASE,
)


def is_read_more(text: str) -> bool:
    """Whether a paragraph is a "read more" link.

    >>> is_read_more("Continue reading"), is_read_more("READ MORE: A headline here")
    (True, True)
    >>> is_read_more("Read more books, the teacher said.")
    False
    """
    return len(text) <= 200 and bool(READ_MORE_RE.match(text))


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


# --- related_list, tag_row ---------------------------------------------------------------------

# The heading of a related-stories list; the short paragraphs after it in the tail go with it.
# Matches "Related:", "Related articles", "More stories", "You may also like...", "Mehr zum Thema",
# "Das könnte Sie auch interessieren", "Veja também", "Mirá también", "Popular on Example",
# "Also on example.com", "Most read in world news", "Mehr zu Klima und Konsum", "Читайте также",
# "Siehe auch", "Weiterführende Informationen";
# must not match a sentence ("More stories will
# follow next week.", "Also on Monday, the council met.").
RELATED_HEADING_RE = re.compile(
    r"^(?:related(?: (?:articles?|stories|posts|content|coverage|news|reading|links|videos?))?"
    r"|more (?:stories|news|articles|from [^.!?]{1,40}|on this (?:story|topic)|in [^.!?]{1,30})"
    r"|more(?: on)?\s*:|our latest (?:stories|news|articles)|next up(?: in)?"
    r"|(?:also|popular|trending) on [\w.-]{2,40}"
    r"|you (?:may|might) also (?:like|be interested in|enjoy)|recommended(?: for you| stories)?"
    r"|read next|what to read next|most (?:read|popular)(?: today| stories| in [^.!?]{1,30})?"
    r"|trending(?: now)?|top stories|editor'?s picks|don'?t miss"
    r"|more videos|must watch|watch more|top videos"
    r"|latest (?:news|stories|articles)"
    r"|weitere (?:artikel|nachrichten|beiträge)(?: zu[^.!?]{0,40})?"
    r"|das könnte (?:sie|dich) auch interessieren|das interessiert (?:sie|dich) vielleicht auch"
    r"|auch interessant|meistgelesen|ähnliche (?:artikel|nachrichten|beiträge)|verwandte artikel"
    r"|empfehlungen|empfohlen für (?:dich|sie)|themenrelevante nachrichten|neueste artikel"
    r"|zum weiterlesen|passend zum thema|artículos relacionados[^.!?]{0,30}|noticias relacionadas"
    r"|(?:mirá|mira|lee|lea) también|(?:le|te) puede interesar|también te puede interesar"
    r"|video recomendado|lo más (?:leído|visto)|(?:veja|leia) também|notícias relacionadas"
    r"|mais lidas|articles similaires|à lire aussi|lire aussi|sur le même sujet|les plus lus"
    r"|leggi anche|articoli correlati|czytaj (?:także|też)|zobacz (?:także|też)"
    r"|siehe auch|weiterführende (?:informationen|links|artikel|beiträge)"
    r"|podobne artykuły|najczęściej czytane|lees ook|gerelateerde artikelen"
    r"|auch auf [\w.-]{2,40}|mehr zu[mr]? [^.!?]{1,40}|mehr lesen über|más sobre [^.!?]{1,40}"
    r"|(?:die )?meistgelesenen? (?:artikel|nachrichten|beiträge)[^.!?]{0,40}"
    r"|читайте также|смотрите также|материалы по теме|по теме)"
    r"\s*(?::|\.{3}|…)?$",
    re.IGNORECASE,
)

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


def is_related_heading(text: str) -> bool:
    """Whether a paragraph heads a related-stories list.

    >>> is_related_heading("More stories"), is_related_heading("More stories will follow.")
    (True, False)
    """
    return len(text) <= 60 and bool(RELATED_HEADING_RE.match(text))


def is_tag_row(text: str) -> bool:
    """Whether a paragraph is a tag row or heads one.

    >>> is_tag_row("Tags: politics, health"), is_tag_row("Tags are used to sort photos.")
    (True, False)
    """
    return len(text) <= 250 and bool(TAG_ROW_RE.match(text))


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


# Link-like lines (headlines of other stories, menu entries) are at most this long.
MAX_LINK_CHARS = 150


def is_link_like(text: str) -> bool:
    """Whether a paragraph reads like a link: short, not ending like a sentence.

    >>> is_link_like("Ten beaches to visit this summer"), is_link_like("He left.")
    (True, False)
    """
    return len(text) <= MAX_LINK_CHARS and not TERMINAL_PUNCT_RE.search(text)


# --- comment_section -----------------------------------------------------------------------------

# A reader comment's author line, which a date stamp follows (checked by the caller).
# Matches "jdoe42 says:", "12. J. Doe says:" (a numbered list), "Jane Doe sagt:"; must not match a
# quote's lead-in inside prose ("The mayor says: we will rebuild.").
COMMENT_AUTHOR_RE = re.compile(
    r"^(?:\d{1,5}\.\s)?[^!?:]{1,50}\s(?:says|said|sagt|schreibt|dice|disse|écrit)\s?:$",
    re.IGNORECASE,
)
# A comment's reply button on a line of its own. Matches "Reply", "Antworten", "Responder";
# must not match "Reply to the letter" or "Antworten auf Ihre Fragen".
REPLY_BUTTON_RE = re.compile(
    r"^(?:reply|antworten|responder|répondre|rispondi|odpowiedz|beantworten)$", re.IGNORECASE
)
# The heading of a comment thread or its form, above the first comment.
# Matches "34 responses to “Title”", "5 thoughts on “Title”", "2 comments", "Kommentare",
# "33 LESER-KOMMENTARE", "Leave a Reply", "Einen Kommentar schreiben"; must not match a sentence
# ("Comments from readers were mixed.") or a heading that merely starts with the word.
COMMENT_HEADING_RE = re.compile(
    r"^(?:\d{1,5}\s+)?(?:leser-?)?(?:comments?|kommentare?|responses?|thoughts?|reactions?"
    r"|comentarios?|commentaires?|discussion|diskussion)(?:\s+(?:on|to|zu|sur|en|for)\s.{1,200})?$"
    r"|^(?:leave a (?:comment|reply)|write a comment|post a comment|join the discussion"
    r"|(?:einen )?kommentar (?:schreiben|verfassen|hinterlassen)|deja un comentario"
    r"|laisser un commentaire)$",
    re.IGNORECASE,
)


def is_comment_author(text: str) -> bool:
    """Whether a paragraph reads as a comment's author line (a date stamp must follow it).

    >>> is_comment_author("jdoe42 says:"), is_comment_author("The mayor says: we will rebuild.")
    (True, False)
    """
    return len(text) <= 60 and bool(COMMENT_AUTHOR_RE.match(text))


def is_reply_button(text: str) -> bool:
    """Whether a paragraph is a comment's reply button.

    >>> is_reply_button("Reply"), is_reply_button("Reply to the letter")
    (True, False)
    """
    return bool(REPLY_BUTTON_RE.match(text))


def is_comment_heading(text: str) -> bool:
    """Whether a paragraph heads a comment thread or its form.

    >>> is_comment_heading("34 responses to “Storm hits”"), is_comment_heading("Kommentare")
    (True, True)
    >>> is_comment_heading("Comments from readers were mixed.")
    False
    """
    return len(text) <= 250 and bool(COMMENT_HEADING_RE.match(text))


def is_comment_line(text: str) -> bool:
    """Whether a paragraph is one of the lines a comment thread starts from."""
    return is_comment_author(text) or is_reply_button(text) or is_comment_heading(text)


# --- breadcrumb ------------------------------------------------------------------------------

# What a breadcrumb trail leaves on the headline's line before the headline: items ending in a
# trail separator ("Home » News »", "You are here: home / Business /"), or a numbered trail's
# step ("3."). Must not match a phrase that does not end in a separator ("Home News").
TRAIL_STEP_RE = re.compile(r"\d{1,3}\.")
# A trail before a headline is at most this long (two titles' worth, as title.py allows).
MAX_TRAIL_PREFIX_CHARS = 600


def is_trail_prefix(text: str) -> bool:
    """Whether a piece of text is a breadcrumb trail's items before the headline, or its step.

    >>> is_trail_prefix("Home » News »"), is_trail_prefix("3."), is_trail_prefix("Home News")
    (True, True, False)
    """
    if len(text) > MAX_TRAIL_PREFIX_CHARS:
        return False
    return text.endswith(TRAIL_ENDS) or TRAIL_STEP_RE.fullmatch(text) is not None


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


def is_head_line(text: str) -> bool:
    """Whether a paragraph can sit in the head of a text: anything but prose."""
    return not is_prose(text)


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


def is_post_footer(text: str) -> bool:
    """Whether a paragraph is a blog post's footer line (filed under, categories).

    >>> is_post_footer("This entry was posted in News. Bookmark the permalink.")
    True
    >>> is_post_footer("Posted in 2019, the video was seen by many.")
    False
    """
    return len(text) <= 300 and bool(POST_FOOTER_RE.match(text))


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


def is_author_box_heading(text: str) -> bool:
    """Whether a paragraph heads an author box.

    >>> is_author_box_heading("ABOUT THE AUTHOR"), is_author_box_heading("About the author's life.")
    (True, False)
    """
    return len(text) <= 40 and bool(AUTHOR_BOX_HEADING_RE.match(text))


# --- share_prompt, social_handle, reading_time, gallery_counter, comment_form -------------------

# A share button's label or a call to share, in several languages, on a line of its own.
# Matches "Share this article", "Share it with friends", "Like this story? Share it with a
# friend!", "Diesen Artikel teilen", "Mit Freunden teilen", "Teilen mit:", "Gefällt mir:",
# "Udostępnij na FB (1)", "Sharing is caring!", "Gefällt mir Lade...", "Follow us on Instagram",
# "Nos siga no"; must not match a sentence that mentions sharing
# ("Share prices fell.", "Teilen Sie uns Ihre Meinung mit.").
SHARE_PROMPT_RE = re.compile(
    r"^(?:share (?:this|the|it)(?: (?:article|story|post|page|entry|with (?:friends|a friend)))?"
    r"|like this(?: (?:story|article|post))?\??(?: share it with (?:friends|a friend))?"
    r"|(?:show more|all) sharing options(?: for)?|sharing is caring"
    r"|(?:diesen |den )?(?:artikel|beitrag|seite) (?:teilen|empfehlen)|mit freunden teilen"
    r"|teilen mit|jetzt teilen|gefällt mir(?: lade(?:\.{3}|…))?|like loading(?:\.{3}|…)"
    r"|artikel gefallen\? vergiss nicht zu teilen"
    r"|(?:follow us|folgen sie uns|folge uns|síguenos|nos siga|suivez-nous)(?: (?:on|auf|en|no|sur)"
    r"(?: (?:facebook|twitter|instagram|youtube|linkedin|tiktok|telegram|whatsapp))?)?"
    r"|dieser artikel gefällt ihnen\?|compartir (?:en|este artículo|esta noticia)|compartilhe"
    r"|partager (?:cet article|sur)|condividi(?: su)?|udostępnij(?: na \w{1,20}(?: \(\d{1,6}\))?)?)"
    r"\s*[:.!]?$",
    re.IGNORECASE,
)
# An author's social handle on a line of its own, after the name or alone.
# Matches "@janedoe", "Jane Doe@janedoe", "Jane Doe @jane_doe"; must not match an e-mail address
# ("jane@example.com") or a sentence ("Write to @janedoe with tips.").
SOCIAL_HANDLE_RE = re.compile(r"^(?:[^\W\d_][\w.'’-]{0,20}(?: [\w.'’-]{1,20}){0,3} ?)?@\w{2,30}$")
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
# The fixed lines of a blog's comment form. Matches "Save my name, email, and website in this
# browser for the next time I comment.", "Your email address will not be published.",
# "Deine E-Mail-Adresse wird nicht veröffentlicht.", "Name (required)", "This site uses Akismet to
# reduce spam."; must not match prose about e-mail or names ("The name was not published.").
COMMENT_FORM_RE = re.compile(
    r"^(?:save my name, e-?mail, and website in this browser\b"
    r"|notify me (?:of (?:follow-up|new) (?:comments|posts)|via e-?mail)\b"
    r"|this site uses akismet to reduce spam\b"
    r"|your e-?mail address will not be published\b"
    r"|(?:deine|ihre) e-?mail-adresse wird nicht veröffentlicht\b"
    r"|meinen namen, (?:meine )?e-?mail(?:-adresse)?(?:,| und) (?:meine )?website"
    r" in diesem browser\b"
    r"|benachrichtige mich über (?:nachfolgende|neue) (?:kommentare|beiträge)\b"
    r"|(?:name|e-?mail|website|comment|kommentar)\s*\((?:required|erforderlich"
    r"|wird benötigt(?: und nicht veröffentlicht)?)\)$)",
    re.IGNORECASE,
)


def is_share_prompt(text: str) -> bool:
    """Whether a paragraph is a share button's label or a call to share.

    >>> is_share_prompt("Diesen Artikel teilen"), is_share_prompt("Share prices fell.")
    (True, False)
    """
    return len(text) <= 80 and bool(SHARE_PROMPT_RE.match(text))


def is_social_handle(text: str) -> bool:
    """Whether a paragraph is an author's social handle, with or without the name.

    >>> is_social_handle("Jane Doe@janedoe"), is_social_handle("jane@example.com")
    (True, False)
    """
    return len(text) <= 100 and "@" in text and bool(SOCIAL_HANDLE_RE.match(text))


def is_reading_time(text: str) -> bool:
    """Whether a paragraph is a reading-time label.

    >>> is_reading_time("5 min read"), is_reading_time("It takes 5 minutes to read.")
    (True, False)
    """
    return len(text) <= 60 and bool(READING_TIME_RE.match(text))


def is_gallery_counter(text: str) -> bool:
    """Whether a paragraph is a gallery's image counter.

    >>> is_gallery_counter("1 of 12"), is_gallery_counter("One of 12 winners was local.")
    (True, False)
    """
    return len(text) <= 30 and bool(GALLERY_COUNTER_RE.match(text))


def is_comment_form(text: str) -> bool:
    """Whether a paragraph is one of the fixed lines of a comment form.

    >>> is_comment_form("Your email address will not be published. Required fields are marked *")
    True
    >>> is_comment_form("The name was not published.")
    False
    """
    return len(text) <= 200 and bool(COMMENT_FORM_RE.match(text))


# --- form_field, image_placeholder, share_button ------------------------------------------------

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


def is_share_button(text: str) -> bool:
    """Whether a paragraph is a share button rendered as a bulleted list item: a bullet, then a
    share row that names a network ("• WhatsApp", "• Click to share on Facebook").

    >>> is_share_button("• Facebook"), is_share_button("Facebook"), is_share_button("• Email")
    (True, False, False)
    """
    if not text.startswith(W3M_BULLETS):
        return False
    rest = strip_bullet(text)
    # Most bulleted lines are menu entries: their first word is no share word, and no tooltip.
    if not (may_be_share_row(rest) or rest[:8].casefold() == "click to"):
        return False
    return is_share_row(rest, anywhere=True)


# --- context rules -------------------------------------------------------------------------------
# byline and dateline (bylines.py), photo_credit (captions.py), navigation_block (navigation.py)
# and repeated_line (debris.py) need neighbours or extract fields; extract.py and debris.py apply
# them.

RULES: dict[str, Rule] = {
    rule.name: rule
    for rule in (
        Rule(
            "language_switcher_label",
            "A language name or a row of them: the page's language switcher, not article text.",
            "edge",
            is_language_switcher_label,
        ),
        Rule(
            "trailing_widget_word",
            "A widget's leftover word (Loading, Skip to content, 12 Comments, Print).",
            "edge",
            is_widget_word,
        ),
        Rule(
            "advertisement_label",
            "An advertisement marker on a line of its own.",
            "anywhere",
            is_advertisement_label,
        ),
        Rule(
            "share_row",
            "A row of share buttons (Share, Tweet, Email, Facebook, WhatsApp ...).",
            "edge",
            is_share_row,
        ),
        Rule(
            "newsletter_prompt",
            "A call to sign up for a newsletter or to subscribe.",
            "anywhere",
            is_newsletter_prompt,
        ),
        Rule("read_more", "A 'read more' or 'continue reading' link.", "anywhere", is_read_more),
        Rule("cookie_notice", "A cookie consent banner.", "edge", is_cookie_notice),
        Rule(
            "related_list",
            "A related-stories heading and the link list after it, at the end of the text.",
            "tail",
            is_related_heading,
        ),
        Rule(
            "related_box",
            "A related-stories heading inside the article (Related, Das könnte Sie auch"
            " interessieren, Veja também) and the short link-like lines right below it.",
            "context",
            is_related_heading,
        ),
        Rule("tag_row", "A tag or topic list (Tags:, Topics:).", "edge", is_tag_row),
        Rule(
            "copyright_footer",
            "A copyright line (© 2024 X. All rights reserved.).",
            "edge",
            is_copyright_footer,
        ),
        Rule(
            "post_footer",
            "A blog post's footer line after the article (Posted in News, Abgelegt unter,"
            " Kategorien:).",
            "edge",
            is_post_footer,
        ),
        Rule(
            "share_prompt",
            "A share button's label or a call to share (Share this article, Diesen Artikel"
            " teilen, Udostępnij).",
            "anywhere",
            is_share_prompt,
        ),
        Rule(
            "social_handle",
            "An author's social handle on a line of its own (@janedoe, Jane Doe@janedoe), at the"
            " head or tail.",
            "edge",
            is_social_handle,
        ),
        Rule(
            "reading_time",
            "A reading-time label (5 min read, Lesezeit: 3 Minuten).",
            "anywhere",
            is_reading_time,
        ),
        Rule(
            "gallery_counter",
            "A gallery's image counter (1 of 12, Photo 3/10).",
            "anywhere",
            is_gallery_counter,
        ),
        Rule(
            "comment_form",
            "A fixed line of a comment form (Your email address will not be published.).",
            "anywhere",
            is_comment_form,
        ),
        Rule(
            "form_field",
            "A form's empty text box as a text-mode browser draws it (Search: [          ],"
            " Name (required) [          ]).",
            "anywhere",
            is_form_field,
        ),
        Rule(
            "image_placeholder",
            "What a text-mode browser leaves of an image: bracketed image names ([hero_01],"
            " [Social-Fac] [Social-Twi]) or an image file name (header-logo.png).",
            "anywhere",
            is_image_placeholder,
        ),
        Rule(
            "share_button",
            "A share button rendered as a bulleted list item (• WhatsApp, • Click to share on"
            " Facebook), anywhere on a whole page.",
            "anywhere",
            is_share_button,
        ),
        Rule(
            "tail_dateline",
            "A publication stamp after the article (First published on ..., Updated: ...).",
            "tail",
            is_tail_dateline,
        ),
        Rule(
            "author_box",
            "An author box after the article: its heading (About the author, Über den Autor) and"
            " the name and short bio below it, when the bio is the text's last prose.",
            "context",
            is_author_box_heading,
        ),
        Rule(
            "byline",
            "The author line near the head (By Jane Doe); its name goes to `author`.",
            "context",
            is_byline,
        ),
        Rule(
            "dateline",
            "A date stamp near the head (Updated 3 hours ago); its date goes to `published`.",
            "context",
            is_dateline,
        ),
        Rule(
            "photo_credit",
            "A photo credit on a line of its own (joined to the caption above when there is one).",
            "context",
            is_credit_line,
        ),
        Rule(
            "split_credit",
            "A photo credit split over two lines, its label (Foto:, Image copyright) and the name"
            " below it: the name becomes the caption's credit.",
            "context",
            is_credit_label_line,
        ),
        Rule(
            "caption_label",
            "A caption's label on a line of its own (Image caption): the line below it is the"
            " caption.",
            "context",
            is_caption_label_line,
        ),
        Rule(
            "breadcrumb",
            "The breadcrumb trail on the headline's line (Home » News »), or a numbered trail's"
            " step number: the last item is the title.",
            "context",
            is_trail_prefix,
        ),
        Rule(
            "trailing_links",
            "Short link-like lines after a share row, related heading or widget in the tail.",
            "context",
            is_link_like,
        ),
        Rule(
            "navigation_block",
            "A menu, link list or footer outside the article's densest run of prose on a whole"
            " page: bulleted entries, link rows, breadcrumbs, and the short lines after the first"
            " such block below the article; on a page without such a run, long streaks of menu"
            " lines.",
            "context",
            is_head_line,
        ),
        Rule(
            "navigation_teaser",
            "Prose below the first navigation block under the article on a whole page: teasers"
            " of other stories, their standfirsts and the site's blurbs.",
            "context",
            is_prose,
        ),
        Rule(
            "head_label",
            "A kicker or section label above the headline (Politics, Budget vote): a few words,"
            " no sentence.",
            "context",
            is_head_label,
        ),
        Rule(
            "comment_section",
            "A reader comment thread after the article: from its heading (34 responses to ...,"
            " Kommentare) or first comment to the end, found by repeated author lines"
            " (jdoe says:) and reply buttons.",
            "context",
            is_comment_line,
        ),
        Rule(
            "duplicate_paragraph",
            "A prose paragraph after the article's run of prose that repeats an earlier one word"
            " for word (a teaser, a ticker, a second copy of the article on a whole page); the"
            " first copy stays.",
            "context",
            is_prose,
        ),
        Rule(
            "repeated_line",
            "A head paragraph the text repeats later: a standfirst or a doubled headline.",
            "context",
            is_head_line,
        ),
    )
}
