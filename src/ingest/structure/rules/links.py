"""Related stories, link lists and a whole page's navigation: what surrounds an article on a page.

The related-stories heading and its links (in the tail, or as a box inside the article), the
link-like lines after other furniture in the tail, a whole page's menus and teasers, and a prose
paragraph the page repeats word for word.
"""

from __future__ import annotations

import re

from ingest.structure.paragraphs import ends_sentence, is_prose
from ingest.structure.rules.head import is_head_line
from ingest.structure.rules.registry import Rule

# --- related_list, related_box -----------------------------------------------------------------

# The heading of a related-stories list; the short paragraphs after it in the tail go with it.
# Matches "Related:", "Related articles", "More stories", "You may also like...", "Mehr zum Thema",
# "Das könnte Sie auch interessieren", "Veja também", "Mirá también", "Popular on Example",
# "Also on example.com", "Most read in world news", "Mehr zu Klima und Konsum", "Читайте также",
# "Siehe auch", "Weiterführende Informationen"; must not match a sentence ("More stories will
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

# Link-like lines (headlines of other stories, menu entries) are at most this long.
MAX_LINK_CHARS = 150


def is_link_like(text: str) -> bool:
    """Whether a paragraph reads like a link: short, not ending like a sentence.

    >>> is_link_like("Ten beaches to visit this summer"), is_link_like("He left.")
    (True, False)
    """
    return len(text) <= MAX_LINK_CHARS and not ends_sentence(text)


RELATED_LIST = Rule.pattern(
    "related_list",
    "A related-stories heading and the link list after it, at the end of the text.",
    "tail",
    RELATED_HEADING_RE,
    max_chars=60,
)
RELATED_BOX = Rule.context(
    "related_box",
    "A related-stories heading inside the article (Related, Das könnte Sie auch"
    " interessieren, Veja também) and the short link-like lines right below it.",
    RELATED_LIST.matcher,
    applied_by="ingest.structure.debris.mark_related_boxes",
)
TRAILING_LINKS = Rule.context(
    "trailing_links",
    "Short link-like lines after a share row, related heading or widget in the tail.",
    is_link_like,
    applied_by="ingest.structure.debris.mark_trailing_links",
)
NAVIGATION_BLOCK = Rule.context(
    "navigation_block",
    "A menu, link list or footer outside the article's densest run of prose on a whole"
    " page: bulleted entries, link rows, breadcrumbs, and the short lines after the first"
    " such block below the article; on a page without such a run, long streaks of menu"
    " lines.",
    is_head_line,
    applied_by="ingest.structure.debris.mark_navigation",
)
NAVIGATION_TEASER = Rule.context(
    "navigation_teaser",
    "Prose below the first navigation block under the article on a whole page: teasers"
    " of other stories, their standfirsts and the site's blurbs.",
    is_prose,
    applied_by="ingest.structure.debris.mark_navigation",
)
DUPLICATE_PARAGRAPH = Rule.context(
    "duplicate_paragraph",
    "A prose paragraph after the article's run of prose that repeats an earlier one word"
    " for word (a teaser, a ticker, a second copy of the article on a whole page); the"
    " first copy stays.",
    is_prose,
    applied_by="ingest.structure.debris.mark_duplicate_paragraphs",
)
