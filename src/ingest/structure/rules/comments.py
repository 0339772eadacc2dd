"""Comments: a blog's comment form and a reader comment thread after the article.

A thread is found by its marks (author lines such as "jdoe says:", reply buttons) and runs from
its heading ("34 responses to ...", "Kommentare") or first comment to the end of the text.
"""

from __future__ import annotations

import re

from ingest.structure.rules.registry import Rule

# --- comment_form ----------------------------------------------------------------------------

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
    """Whether a paragraph is one of the lines a comment thread starts from: an author line, a
    reply button or a thread's heading.

    >>> is_comment_line("Reply"), is_comment_line("Leave a Reply"), is_comment_line("Reply soon.")
    (True, True, False)
    """
    return is_comment_author(text) or is_reply_button(text) or is_comment_heading(text)


COMMENT_FORM = Rule.pattern(
    "comment_form",
    "A fixed line of a comment form (Your email address will not be published.).",
    "anywhere",
    COMMENT_FORM_RE,
    max_chars=200,
)
COMMENT_SECTION = Rule.context(
    "comment_section",
    "A reader comment thread after the article: from its heading (34 responses to ...,"
    " Kommentare) or first comment to the end, found by repeated author lines"
    " (jdoe says:) and reply buttons.",
    is_comment_line,
    applied_by="ingest.structure.debris.mark_comment_thread",
)
