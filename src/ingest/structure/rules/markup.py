"""Rules decided by an HTML page's markup: the elements around a block say it is furniture.

:func:`ingest.structure.markup.find_markup_removals` applies them to the blocks the HTML reader
hands over; the text rules then run over the blocks they leave.

>>> HTML_NAVIGATION.where, HTML_NAVIGATION.matcher("Home")
('markup', True)
"""

from __future__ import annotations

from ingest.structure.rules.registry import Rule

APPLIER = "ingest.structure.markup.find_markup_removals"

HTML_NAVIGATION = Rule.markup(
    "html_navigation", "A block inside `<nav>` (or `role=navigation`): the site's menus.", APPLIER
)
HTML_HEADER = Rule.markup(
    "html_header",
    "A block inside a `<header>` (or `role=banner`) outside the main content: the masthead.",
    APPLIER,
)
HTML_FOOTER = Rule.markup(
    "html_footer", "A block inside `<footer>` (or `role=contentinfo`): the page's footer.", APPLIER
)
HTML_ASIDE = Rule.markup(
    "html_aside",
    "A block inside `<aside>` (or `role=complementary`): a sidebar or a box beside the article.",
    APPLIER,
)
HTML_FORM = Rule.markup(
    "html_form",
    "A block inside a `<form>` (or `role=search`) outside the main content: search, sign-ups.",
    APPLIER,
)
HTML_LINK_DENSE = Rule.markup(
    "html_link_dense",
    "A block outside the main content that is mostly link text: link lists and teasers.",
    APPLIER,
)
HTML_REPEATED_CAPTION = Rule.markup(
    "html_repeated_caption",
    "A caption block that repeats an earlier one word for word: a gallery's slides, a lightbox.",
    "ingest.structure.markup.read_captions",
)
HTML_OUTSIDE_MAIN = Rule.markup(
    "html_outside_main",
    "A block outside the page's main content (as trafilatura finds it) and no other markup rule.",
    APPLIER,
)
