"""Turn an HTML page into plain text the way a scraper saves it: one block per line, blank lines
between blocks, scripts and styles dropped."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, Doctype, NavigableString, Tag

# Elements whose text is never visible content.
INVISIBLE_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "canvas", "iframe", "object"}
)
# Elements that start a new block (a line of their own, blank lines around).
BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tr", "ul", "title",
    }
)  # fmt: skip
# Runs of spaces and tabs (not newlines) inside a line, collapsed to one space as a browser does.
INLINE_SPACE_RE = re.compile(r"[ \t\r\f\v]+")
# Two or more newlines: one block boundary. Lines are stripped before this applies, so no other
# whitespace sits next to a newline; a leading ``\s*`` would make long runs of spaces quadratic.
BLOCK_BREAK_RE = re.compile(r"\n{2,}")
BLOCK_MARK = "\x00B"  # placeholder for a block boundary while walking; never in parsed text
LINE_MARK = "\x00L"  # placeholder for <br>


def html_to_text(html: str) -> str:
    """The visible text of an HTML document, blocks separated by blank lines.

    >>> html_to_text("<h1>Title</h1><p>One <b>two</b></p><p>Three<br>four</p><script>x</script>")
    'Title\\n\\nOne two\\n\\nThree\\nfour'
    """
    soup = BeautifulSoup(html.replace("\x00", ""), "html.parser")
    pieces: list[str] = []
    stack: list[object] = [soup]
    # Iterative walk: deeply nested pages must not hit Python's recursion limit.
    while stack:
        node = stack.pop()
        if isinstance(node, str) and node.startswith(BLOCK_MARK):
            pieces.append(node)
            continue
        if isinstance(node, (Comment, Doctype)):
            continue
        if isinstance(node, NavigableString):
            pieces.append(INLINE_SPACE_RE.sub(" ", str(node).replace("\n", " ")))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if name in INVISIBLE_TAGS and node is not soup:
            continue
        if name == "br":
            pieces.append(LINE_MARK)
            continue
        is_block = name in BLOCK_TAGS
        if is_block:
            pieces.append(BLOCK_MARK)
            stack.append(BLOCK_MARK)
        stack.extend(reversed(node.contents))
    text = "".join(pieces)
    text = text.replace(LINE_MARK, "\n").replace(BLOCK_MARK, "\n\n")
    lines = [line.strip() for line in text.split("\n")]
    return BLOCK_BREAK_RE.sub("\n\n", "\n".join(lines)).strip()
