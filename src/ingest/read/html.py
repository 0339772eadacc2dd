"""Read an HTML page into text blocks with what its markup says about each one.

The page is parsed once, with lxml. The walk over the tree makes one :class:`Block` per run of
text between block-level elements (and ``<br>``), and records around it the page furniture
(``nav``, ``header``, ``footer``, ``aside``, ``form`` and their ARIA roles), captions
(``figcaption`` and caption-classed elements, with credit-classed elements inside them) and link
text. The same tree then goes to trafilatura, whose choice of the main content marks each block
``main`` or not, and whose metadata readers (JSON-LD, ``meta``, htmldate) give author and date.

A page nested deeper than :data:`MAX_DEPTH` elements, or one the parser cannot read, gives None:
the caller then reads it as flattened text (``html_text``), so such a page still becomes a
document or a reject.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

import lxml.html
import trafilatura
from lxml import etree

from ingest.read.html_text import BLOCK_TAGS, INLINE_SPACE_RE, INVISIBLE_TAGS
from ingest.records import Block, HtmlPage

# Deeper nesting than this is not a real page; libxml2 stops at 256 levels without ``huge_tree``
# and trafilatura's tree functions would grow with it. Such a page is read as flattened text.
MAX_DEPTH = 1000
# Pages larger than this (characters of markup) are not handed to trafilatura: its extraction
# holds about 35 times the page in memory (a 4.6 MB page: 162 MB), where parsing and our walk
# hold about 5 times. Such a page is read with every block in the main content (the markup rules
# still remove nav, footer, aside ...) and without trafilatura's author and date. Article pages
# are far smaller: the largest on eval-dev's html track is 1.5 MB, the mean 150 kB.
MAIN_CONTENT_MAX_CHARS = 4_000_000
# An opening or closing tag, for the cheap nesting bound taken before parsing. Matches "<div",
# "</DIV", "<h1"; must not match "< div" or "<!--" or "<?xml".
TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Elements that never hold others, or that the next of their kind closes: they add no depth.
FLAT_TAGS = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "p", "li", "dt", "dd", "option", "tr", "td", "th",
    }
)  # fmt: skip
# Page furniture, by element and by ARIA role: the block's ``zone``.
ZONE_TAGS = frozenset({"nav", "header", "footer", "aside", "form"})
ZONE_ROLES = {
    "navigation": "nav",
    "banner": "header",
    "contentinfo": "footer",
    "complementary": "aside",
    "search": "form",
}
# A class naming a caption: "caption", "wp-caption-text", "image__caption", "figure-caption",
# "bildunterschrift". Must not match "captionless" is accepted as a look-alike risk; must not
# match "capital" or "recaptcha".
CAPTION_CLASS_RE = re.compile(r"(?:^|[-_\s])(?:caption|bildunterschrift|legende)(?:$|[-_\s])", re.I)
# A class naming a photo credit inside a caption: "credit", "image-credit", "copyright",
# "photographer", "caption__source". Must not match "credits-list" outside a caption (the
# walk only looks inside captions) or "creditcard".
CREDIT_CLASS_RE = re.compile(
    r"(?:^|[-_\s])(?:credit|copyright|photographer|source|author)(?:$|[-_\s])", re.I
)
# A word token, for matching blocks to the main-content text whatever its punctuation.
WORD_RE = re.compile(r"\w+")
# Soft hyphens and zero-width characters, dropped before words are compared.
INVISIBLE_IN_WORDS = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# A block at least this many words long counts as kept when it occurs inside a kept line.
MIN_INNER_WORDS = 4
# The parser reads bytes (so an encoding declaration in a decoded page is no error), keeps
# deep trees (``huge_tree``; the depth bound above stays under its limit) and drops comments.
PARSER = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)
# The end tags of body and html. libxml2 drops whatever follows `</html>` (a scraper's appended
# text, a second page glued on), so they are removed before parsing: the parser closes both
# itself at the end. Matches `</body>`, `</HTML >`; never a tag that merely starts so (`</bodyx>`).
DOCUMENT_END_RE = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


class Context(NamedTuple):
    """What the elements around a piece of text say about it (internal to the walk)."""

    block: str = "body"
    zone: str | None = None
    caption: bool = False
    credit: bool = False
    link: bool = False


def nesting_bound(html: str) -> int:
    """An upper bound on the page's element nesting, from its tags alone (before parsing).

    >>> nesting_bound("<div><p>a<p>b</div><div><span>c</span></div>")
    2
    """
    depth = deepest = 0
    for match in TAG_RE.finditer(html):
        if match.group(2).lower() in FLAT_TAGS:
            continue
        if match.group(1):
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def enter(context: Context, element: etree._Element, tag: str) -> Context:
    """The context of an element's content, given the context the element sits in."""
    role = ZONE_ROLES.get((element.get("role") or "").lower())
    zone = tag if tag in ZONE_TAGS else role or context.zone
    classes = element.get("class") or ""
    caption = context.caption or tag == "figcaption" or bool(CAPTION_CLASS_RE.search(classes))
    credit = context.credit or (context.caption and bool(CREDIT_CLASS_RE.search(classes)))
    block = tag if tag in BLOCK_TAGS else context.block
    link = context.link or tag == "a"
    return Context(block, zone, caption, credit, link)


def make_block(pieces: list[tuple[str, Context]]) -> Block | None:
    """One block from the text pieces between two block boundaries (None when it is blank)."""
    text = INLINE_SPACE_RE.sub(" ", "".join(piece for piece, _ in pieces).replace("\n", " "))
    text = text.strip()
    if not text:
        return None
    first = next(context for piece, context in pieces if piece.strip())
    link_chars = sum(len(piece.strip()) for piece, context in pieces if context.link)
    credit = " ".join(piece.strip() for piece, context in pieces if context.credit).strip()
    return Block(
        text=text,
        tag=first.block,
        zone=first.zone,
        caption=first.caption,
        credit=credit or None,
        link_chars=link_chars,
    )


def walk_blocks(body: etree._Element) -> list[Block]:
    """The text blocks under ``body`` in document order (an explicit stack: no recursion).

    >>> root = lxml.html.fromstring("<body><nav><a>Home</a></nav><p>One <b>two</b></p></body>")
    >>> [(b.text, b.zone, b.link_chars) for b in walk_blocks(root)]
    [('Home', 'nav', 4), ('One two', None, 0)]
    """
    blocks: list[Block] = []
    pieces: list[tuple[str, Context]] = []
    stack: list[tuple[object, Context]] = [(body, Context())]

    def flush() -> None:
        if pieces:
            block = make_block(pieces)
            if block is not None:
                blocks.append(block)
            pieces.clear()

    while stack:
        item, context = stack.pop()
        if item is None:  # a block boundary
            flush()
            continue
        if isinstance(item, str):
            pieces.append((item, context))
            continue
        tag = item.tag.lower() if isinstance(item.tag, str) else ""
        if not tag or (tag in INVISIBLE_TAGS) or item.get("hidden") is not None:
            continue
        if tag == "br":
            flush()
            continue
        inner = enter(context, item, tag)
        is_block = tag in BLOCK_TAGS
        if is_block:
            stack.append((None, context))
        for child in reversed(item):
            if child.tail:
                stack.append((child.tail, inner))
            stack.append((child, inner))
        if item.text:
            stack.append((item.text, inner))
        if is_block:
            stack.append((None, context))
    flush()
    return blocks


def word_key(text: str) -> str:
    """A text's lower-cased word tokens, space-separated (for matching whatever the punctuation
    and the invisible characters inside words).

    >>> word_key("Hello, World — again! Werk\\u00adzeug")
    'hello world again werkzeug'
    """
    return " ".join(WORD_RE.findall(text.lower().translate(INVISIBLE_IN_WORDS)))


def holds_kept_line(key: str, starts: dict[str, set[str]]) -> bool:
    """Whether a block's word key holds a whole kept line of MIN_INNER_WORDS words or more;
    ``starts`` maps each such line's first words to the lines (one look-up per word)."""
    words = key.split()
    padded = f" {key} "
    for at in range(len(words) - MIN_INNER_WORDS + 1):
        for line in starts.get(" ".join(words[at : at + MIN_INNER_WORDS]), ()):
            if f" {line} " in padded:
                return True
    return False


def mark_main(blocks: list[Block], kept_text: str | None) -> list[Block]:
    """Mark each block ``main`` when the main-content text and it share a line: the block is a
    kept line, lies inside one (at least MIN_INNER_WORDS words), or holds a whole one (the
    extraction trimmed it). No main text, or none of it in a block: every block is main."""
    if not kept_text:
        return blocks
    lines = dict.fromkeys(word_key(line) for line in kept_text.split("\n"))
    # Each line padded on its own row: a block's key is found inside one line, never across two.
    joined = "\n".join(f" {line} " for line in lines)
    starts: dict[str, set[str]] = {}
    for line in lines:
        words = line.split()
        if len(words) >= MIN_INNER_WORDS:
            starts.setdefault(" ".join(words[:MIN_INNER_WORDS]), set()).add(line)
    marked = []
    for block in blocks:
        key = word_key(block.text)
        long = key.count(" ") + 1 >= MIN_INNER_WORDS
        main = key in lines or (long and (f" {key} " in joined or holds_kept_line(key, starts)))
        marked.append(block if main else replace(block, main=False))
    # Text kept from elements the walk does not read as visible (a script, a noscript): the
    # extraction's choice says nothing about the blocks, so none is marked outside it.
    return marked if any(block.main for block in marked) else blocks


def title_hints(root: etree._Element) -> tuple[str, ...]:
    """The page's own statements of its headline: ``og:title``/``twitter:title`` and ``<title>``."""
    hints = []
    for xpath in (
        "//meta[@property='og:title']/@content",
        "//meta[@name='twitter:title']/@content",
        "//title/text()",
    ):
        for value in root.xpath(xpath)[:1]:
            text = INLINE_SPACE_RE.sub(" ", str(value)).strip()
            if text:
                hints.append(text)
    return tuple(hints)


def read_html(html: str) -> HtmlPage | None:
    """The page's text blocks and metadata, or None when it is too deep or unreadable.

    >>> page = read_html("<html lang=de><body><nav>Start</nav><h1>Kopf</h1><p>Text.</p></body>")
    >>> [(b.text, b.tag, b.zone) for b in page.blocks], page.lang
    ([('Start', 'nav', 'nav'), ('Kopf', 'h1', None), ('Text.', 'p', None)], 'de')
    """
    if nesting_bound(html) > MAX_DEPTH:
        return None
    try:
        markup = DOCUMENT_END_RE.sub("", html)
        root = lxml.html.document_fromstring(markup.encode("utf-8", "replace"), parser=PARSER)
    except (etree.ParserError, ValueError):
        return None
    body = root.find("body")
    blocks = walk_blocks(body if body is not None else root)
    hints = title_hints(root)
    lang = (root.get("lang") or root.get("xml:lang") or "").strip() or None
    document = (
        trafilatura.bare_extraction(root, with_metadata=True, include_comments=False)
        if len(html) <= MAIN_CONTENT_MAX_CHARS
        else None
    )
    kept = getattr(document, "text", None) if document is not None else None
    author = getattr(document, "author", None) if document is not None else None
    published = getattr(document, "date", None) if document is not None else None
    return HtmlPage(
        blocks=tuple(mark_main(blocks, kept)),
        title_hints=hints,
        author=author or None,
        published=published or None,
        lang=lang,
    )
