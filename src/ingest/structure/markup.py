"""Blocks in, structure out: the structure of an HTML page from what its markup says.

:func:`extract_html_structure` composes the HTML path of this stage:

1. blocks the markup marks as furniture become removals by a markup rule
   (:mod:`ingest.structure.rules.markup`): ``nav``, ``footer`` and ``aside`` anywhere; outside
   the main content also ``header``, ``form``, link-dense blocks, and the rest but captions;
2. blocks in a ``figcaption`` or caption-classed element become captions, their credit taken
   from a credit-classed element inside them or split off by the text's credit rules;
3. the headline is the ``h1`` (else ``h2``) that agrees best with the page's own statements of
   its headline (``og:title``, ``<title>``), else the ``h1`` nearest the main content;
4. the text rules run over the blocks left
   (:func:`ingest.structure.extract.extract_block_structure`);
5. author and date come from the page's metadata, else from a byline; the language from
   ``<html lang>``, else from identification.

Nothing is lost: every block ends up in exactly one of ``title``, ``paragraphs``, ``captions``
(a caption's text and its credit together are its block) or ``removed``.
"""

from __future__ import annotations

import re

import langcodes

from ingest.records import Block, Caption, HtmlPage, Removal, Structure
from ingest.structure.captions import is_credit_line, split_credit
from ingest.structure.extract import extract_block_structure
from ingest.structure.rules import markup as rules

# The rule for a block in each kind of page furniture.
ZONE_RULES = {
    "nav": rules.HTML_NAVIGATION.name,
    "footer": rules.HTML_FOOTER.name,
    "aside": rules.HTML_ASIDE.name,
    "form": rules.HTML_FORM.name,
    "header": rules.HTML_HEADER.name,
}
# Furniture that is removed even inside the main content (a header there holds the headline).
# A form is not among them: some sites wrap the whole page in one (ASP.NET's page form).
ALWAYS_FURNITURE = frozenset({"nav", "footer", "aside"})
# A caption block has at least this many words (or is a credit): shorter ones are labels.
MIN_CAPTION_WORDS = 3
# A block outside the main content whose text is at least this share link text is a link list.
LINK_DENSE_SHARE = 0.5
# A heading agrees with a headline hint when their word sets overlap this much (F1 of the sets).
MIN_TITLE_AGREEMENT = 0.5
# Headings that may be the headline, in order of preference.
TITLE_TAGS = ("h1", "h2")
# A word token, for comparing a heading with the page's headline hints.
WORD_RE = re.compile(r"\w+")


def is_caption_block(block: Block) -> bool:
    """Whether a block is a caption: in caption markup, and more than a label or a button
    ("Live", "Enlarge") unless it is a credit.

    >>> is_caption_block(Block("Boats at dawn", "figcaption", caption=True))
    True
    >>> is_caption_block(Block("Live", "div", caption=True))
    False
    """
    if not block.caption:
        return False
    return len(block.text.split()) >= MIN_CAPTION_WORDS or is_credit_line(block.text)


def furniture_rule(block: Block) -> str | None:
    """The markup rule that removes a block, or None when the markup keeps it.

    >>> furniture_rule(Block("Home", "li", zone="nav"))
    'html_navigation'
    >>> furniture_rule(Block("Storm hits the coast", "h1", zone="header")) is None
    True
    >>> furniture_rule(Block("More news", "li", link_chars=9, main=False))
    'html_link_dense'
    """
    if block.zone in ALWAYS_FURNITURE:
        return ZONE_RULES[block.zone]
    if block.main or (is_caption_block(block) and block.zone is None):
        return None
    if block.zone is not None:
        return ZONE_RULES[block.zone]
    if block.link_chars >= LINK_DENSE_SHARE * len(block.text):
        return rules.HTML_LINK_DENSE.name
    return rules.HTML_OUTSIDE_MAIN.name


def agreement(heading: str, hint: str) -> float:
    """How well a heading agrees with a headline hint: the F1 of their lower-cased word sets.

    >>> agreement("Storm hits the coast", "Storm hits the coast | Daily News")
    0.8
    >>> agreement("Daily News", "Storm hits the coast | Daily News")
    0.5
    """
    words, hint_words = set(WORD_RE.findall(heading.lower())), set(WORD_RE.findall(hint.lower()))
    if not words or not hint_words:
        return 0.0
    return 2 * len(words & hint_words) / (len(words) + len(hint_words))


def choose_title(blocks: tuple[Block, ...], hints: tuple[str, ...]) -> int | None:
    """The index of the block that is the page's headline, or None.

    Among the headings outside page furniture: the ``h1`` that agrees best with a hint (then an
    ``h2``), else the ``h1`` just above the main content, else the first ``h1`` inside it. The
    hints are evidence, never the title.
    """
    candidates = [
        index
        for index, block in enumerate(blocks)
        if block.tag in TITLE_TAGS and block.zone in (None, "header") and not block.caption
    ]
    for tag in TITLE_TAGS:
        scored = [
            (max((agreement(blocks[i].text, hint) for hint in hints), default=0.0), -i)
            for i in candidates
            if blocks[i].tag == tag
        ]
        best = max(scored, default=None)
        if best is not None and best[0] >= MIN_TITLE_AGREEMENT:
            return -best[1]
    first_main = next((i for i, block in enumerate(blocks) if block.main), len(blocks))
    h1s = [i for i in candidates if blocks[i].tag == "h1"]
    above = [i for i in h1s if i < first_main]
    return above[-1] if above else next((i for i in h1s if blocks[i].main), None)


def split_block_caption(block: Block) -> tuple[str, str | None]:
    """A caption block's text and credit: the credit-classed part, else the credit rules'.

    >>> split_block_caption(Block("Boats at dawn. Jane Doe", "figcaption", credit="Jane Doe"))
    ('Boats at dawn.', 'Jane Doe')
    >>> split_block_caption(Block("Boats at dawn. Photo: Jane Doe", "figcaption"))
    ('Boats at dawn.', 'Photo: Jane Doe')
    """
    if block.credit and block.credit != block.text:
        start = block.text.rfind(block.credit)
        if start >= 0:
            text = f"{block.text[:start]} {block.text[start + len(block.credit) :]}".strip()
            return text, block.credit
    return split_credit(block.text)


def normalise_lang(tag: str | None) -> str | None:
    """The page's ``<html lang>`` as a BCP 47 language tag, or None when it is not one.

    >>> normalise_lang("en-US"), normalise_lang("de_DE"), normalise_lang("x"), normalise_lang(None)
    ('en', 'de', None, None)
    """
    if not tag:
        return None
    try:
        language = langcodes.Language.get(tag.replace("_", "-")).language
    except (ValueError, langcodes.LanguageTagError):
        return None
    return language if language and langcodes.tag_is_valid(language) else None


def find_markup_removals(blocks: tuple[Block, ...], title_at: int | None) -> dict[int, str]:
    """The markup rule of each block the markup removes, by block index (the title is kept)."""
    removed = {}
    for index, block in enumerate(blocks):
        rule = furniture_rule(block)
        if rule is not None and index != title_at:
            removed[index] = rule
    return removed


def read_captions(
    blocks: tuple[Block, ...], removed_at: dict[int, str], title_at: int | None
) -> tuple[dict[int, tuple[str, str | None]], set[int]]:
    """The caption blocks' (text, credit) by index, and the credit-only caption blocks taken
    into the caption before them; a repeat of an earlier caption (a gallery's slides, a
    lightbox) is marked in ``removed_at`` instead (in place).

    A caption block that is only a credit ("Photo: Jane Doe") is the credit of the caption
    before it when that one has none, and is kept whole as a caption otherwise.
    """
    captions: dict[int, tuple[str, str | None]] = {}
    taken: set[int] = set()
    seen: set[str] = set()
    last = None
    for index, block in enumerate(blocks):
        if not is_caption_block(block) or index in removed_at or index == title_at:
            continue
        if block.text in seen:
            removed_at[index] = rules.HTML_REPEATED_CAPTION.name
            continue
        seen.add(block.text)
        text, credit = split_block_caption(block)
        if text:
            captions[index] = (text, credit)
            last = index
        elif last is not None and captions[last][1] is None:
            captions[last] = (captions[last][0], block.text)
            taken.add(index)
        else:
            captions[index] = (block.text, None)
    return captions, taken


def extract_html_structure(page: HtmlPage) -> Structure:
    """Title, language, author, date, body paragraphs, captions and removals of an HTML page.

    >>> from ingest.records import Block, HtmlPage
    >>> page = HtmlPage((Block("Home", "li", zone="nav"), Block("A storm", "h1"),
    ...     Block("Boats. Photo: Jane Doe", "figcaption", caption=True),
    ...     Block("The storm hit the coast on Monday, and the boats stayed in port.", "p")),
    ...     title_hints=("A storm | News",), lang="en-GB")
    >>> s = extract_html_structure(page)
    >>> s.title, s.paragraphs, s.captions, s.removed, s.language
    ('A storm', ('The storm hit the coast on Monday, and the boats stayed in port.',), \
(Caption(text='Boats.', credit='Photo: Jane Doe', position=0),), \
(Removal(text='Home', rule='html_navigation'),), 'en')
    """
    blocks = page.blocks
    title_at = choose_title(blocks, page.title_hints)
    removed_at = find_markup_removals(blocks, title_at)
    captions_at, taken = read_captions(blocks, removed_at, title_at)
    placed = set(removed_at) | set(captions_at) | taken
    kept = [i for i in range(len(blocks)) if i not in placed]
    inner = extract_block_structure(
        [blocks[i].text for i in kept], None if title_at is None else kept.index(title_at)
    )
    # A caption's position counts the body paragraphs before it: walk the kept blocks in page
    # order beside the body (a subsequence of them) to count those before each caption.
    captions: list[Caption] = []
    body_seen = kept_seen = 0
    for index in range(len(blocks)):
        if index in captions_at:
            text, credit = captions_at[index]
            captions.append(Caption(text, credit, body_seen))
        elif kept_seen < len(kept) and kept[kept_seen] == index:
            kept_seen += 1
            paragraphs = inner.paragraphs
            if body_seen < len(paragraphs) and paragraphs[body_seen] == blocks[index].text:
                body_seen += 1
    captions.extend(inner.captions)
    captions.sort(key=lambda caption: caption.position)
    removed = [Removal(blocks[i].text, rule) for i, rule in sorted(removed_at.items())]
    language = normalise_lang(page.lang) or inner.language
    return Structure(
        title=inner.title,
        language=language,
        author=page.author or inner.author,
        published=page.published or inner.published,
        paragraphs=inner.paragraphs,
        captions=tuple(captions),
        removed=(*removed, *inner.removed),
    )
