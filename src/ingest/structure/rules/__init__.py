"""Named debris rules: what scrapers leave around an article, and where it sits.

Every rule is a :class:`Rule` in :data:`RULES`, the one list of them: its ``name`` is the
``removed.rule`` value in the output, and every step that removes a paragraph takes the name from
the rule object. The rules are grouped by kind:

- :mod:`.labels`: labels and widgets (language switcher, widget words, advertisements, reading
  time, gallery counters, form fields, image placeholders, head labels);
- :mod:`.sharing`: share rows and buttons, calls to share, social handles, newsletters, read more;
- :mod:`.footers`: footers and tails (cookie banner, tags, copyright, post footer, publication
  stamp, author box);
- :mod:`.links`: related stories, trailing links, a whole page's navigation, duplicate paragraphs;
- :mod:`.comments`: the comment form and a reader comment thread;
- :mod:`.head`: bylines, datelines, the breadcrumb trail and repeated head lines;
- :mod:`.credits`: photo credits and caption labels;
- :mod:`.markup`: blocks of an HTML page that its markup marks as furniture (nav, footer ...);
- :mod:`.learned`: the content model, which judges what every other rule kept.

Rules are precision-first: a matcher only ever matches a short paragraph, never prose, and every
regex is linear-time (no nested quantifiers over overlapping alternatives).

>>> RULES["share_row"].where, RULES["byline"].applied_by
('edge', 'ingest.structure.extract.read_bylines')
"""

from __future__ import annotations

from ingest.structure.rules.comments import COMMENT_FORM, COMMENT_SECTION
from ingest.structure.rules.credits import CAPTION_LABEL, PHOTO_CREDIT, SPLIT_CREDIT
from ingest.structure.rules.footers import (
    AUTHOR_BOX,
    COOKIE_NOTICE,
    COPYRIGHT_FOOTER,
    POST_FOOTER,
    TAG_ROW,
    TAIL_DATELINE,
)
from ingest.structure.rules.head import BREADCRUMB, BYLINE, DATELINE, REPEATED_LINE
from ingest.structure.rules.labels import (
    ADVERTISEMENT_LABEL,
    FORM_FIELD,
    GALLERY_COUNTER,
    HEAD_LABEL,
    IMAGE_PLACEHOLDER,
    LANGUAGE_SWITCHER_LABEL,
    READING_TIME,
    TRAILING_WIDGET_WORD,
)
from ingest.structure.rules.learned import CONTENT_MODEL
from ingest.structure.rules.links import (
    DUPLICATE_PARAGRAPH,
    NAVIGATION_BLOCK,
    NAVIGATION_TEASER,
    RELATED_BOX,
    RELATED_LIST,
    TRAILING_LINKS,
)
from ingest.structure.rules.markup import (
    HTML_ASIDE,
    HTML_FOOTER,
    HTML_FORM,
    HTML_HEADER,
    HTML_LINK_DENSE,
    HTML_NAVIGATION,
    HTML_OUTSIDE_MAIN,
    HTML_REPEATED_CAPTION,
)
from ingest.structure.rules.registry import WHERE, Rule, build_registry
from ingest.structure.rules.sharing import (
    NEWSLETTER_PROMPT,
    READ_MORE,
    SHARE_BUTTON,
    SHARE_PROMPT,
    SHARE_ROW,
    SOCIAL_HANDLE,
)

__all__ = ["RULES", "WHERE", "Rule"]

# The order matters: a paragraph gets the first rule that matches it in its zone.
RULES: dict[str, Rule] = build_registry(
    (
        LANGUAGE_SWITCHER_LABEL,
        TRAILING_WIDGET_WORD,
        ADVERTISEMENT_LABEL,
        SHARE_ROW,
        NEWSLETTER_PROMPT,
        READ_MORE,
        COOKIE_NOTICE,
        RELATED_LIST,
        RELATED_BOX,
        TAG_ROW,
        COPYRIGHT_FOOTER,
        POST_FOOTER,
        SHARE_PROMPT,
        SOCIAL_HANDLE,
        READING_TIME,
        GALLERY_COUNTER,
        COMMENT_FORM,
        FORM_FIELD,
        IMAGE_PLACEHOLDER,
        SHARE_BUTTON,
        TAIL_DATELINE,
        AUTHOR_BOX,
        BYLINE,
        DATELINE,
        PHOTO_CREDIT,
        SPLIT_CREDIT,
        CAPTION_LABEL,
        BREADCRUMB,
        TRAILING_LINKS,
        NAVIGATION_BLOCK,
        NAVIGATION_TEASER,
        HEAD_LABEL,
        COMMENT_SECTION,
        DUPLICATE_PARAGRAPH,
        REPEATED_LINE,
        HTML_NAVIGATION,
        HTML_HEADER,
        HTML_FOOTER,
        HTML_ASIDE,
        HTML_FORM,
        HTML_LINK_DENSE,
        HTML_REPEATED_CAPTION,
        HTML_OUTSIDE_MAIN,
        CONTENT_MODEL,
    )
)
