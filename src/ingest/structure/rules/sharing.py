"""Sharing: share rows and buttons, calls to share, subscribe or follow, and "read more" links.

What a page's social widgets leave in the text: a row of network names, a share button's label
or tooltip, an author's social handle, a newsletter sign-up and a "read more" link.
"""

from __future__ import annotations

import re

from ingest.structure.navigation import W3M_BULLETS, strip_bullet
from ingest.structure.rules.registry import Rule

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


# --- share_prompt, social_handle -----------------------------------------------------------------


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


def is_social_handle(text: str) -> bool:
    """Whether a paragraph is an author's social handle, with or without the name.

    >>> is_social_handle("Jane Doe@janedoe"), is_social_handle("jane@example.com")
    (True, False)
    """
    return len(text) <= 100 and "@" in text and bool(SOCIAL_HANDLE_RE.match(text))


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


SHARE_ROW = Rule.predicate(
    "share_row",
    "A row of share buttons (Share, Tweet, Email, Facebook, WhatsApp ...).",
    "edge",
    is_share_row,
)
NEWSLETTER_PROMPT = Rule.pattern(
    "newsletter_prompt",
    "A call to sign up for a newsletter or to subscribe.",
    "anywhere",
    NEWSLETTER_RE,
    max_chars=200,
)
READ_MORE = Rule.pattern(
    "read_more",
    "A 'read more' or 'continue reading' link.",
    "anywhere",
    READ_MORE_RE,
    max_chars=200,
)
SHARE_PROMPT = Rule.pattern(
    "share_prompt",
    "A share button's label or a call to share (Share this article, Diesen Artikel"
    " teilen, Udostępnij).",
    "anywhere",
    SHARE_PROMPT_RE,
    max_chars=80,
)
SOCIAL_HANDLE = Rule.predicate(
    "social_handle",
    "An author's social handle on a line of its own (@janedoe, Jane Doe@janedoe), at the"
    " head or tail.",
    "edge",
    is_social_handle,
)
SHARE_BUTTON = Rule.predicate(
    "share_button",
    "A share button rendered as a bulleted list item (• WhatsApp, • Click to share on"
    " Facebook), anywhere on a whole page.",
    "anywhere",
    is_share_button,
)
