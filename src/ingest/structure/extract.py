"""Text in, structure out: title, language, byline, body paragraphs, captions and removals.

:func:`extract_structure` is the one composition function of this stage; every decision is made by
the small functions of the modules it calls, in this order:

1. split the text into paragraphs (``paragraphs``);
2. find debris by named rule and position (``debris``, ``rules``);
3. read bylines and datelines at the head (``bylines``);
4. split off captions that carry a credit (``captions``);
5. find the headline among the head's remaining paragraphs: the title rules (``title``) keep and
   score the candidates, the title model (``title_model``) chooses among them;
6. attach credit lines to the caption above them, find bare captions between prose, and the
   captions in a gallery's slots (above the picture count that follows its other captions);
7. drop head paragraphs that the text repeats later (a standfirst, a doubled headline);
8. identify the language of the body the rules keep (``language``);
9. let the content model (``model``) judge the paragraphs the rules kept: the named rules decide
   first and are certain; the model removes what it scores as debris above its threshold.

Nothing is invented: every paragraph, caption, credit, title and removal is a substring of the
input, except a paragraph joined back from hard-wrapped lines (its lines joined by single spaces).
Nothing is lost: every paragraph of the input ends up in exactly one of ``title``, ``paragraphs``,
``captions`` or ``removed`` (bylines and datelines are both recorded in ``removed`` and read into
``author`` and ``published``; a breadcrumb trail chosen as the headline, on one line or as a
numbered list, gives its last item as ``title`` and the trail before it to ``removed``; a
caption's label line, and a credit split over a label line and a name line, are recorded in
``removed`` and joined to that caption, the name as its ``credit``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from ingest.records import Caption, Removal, Structure
from ingest.structure.bylines import is_name_like, is_person_names, read_byline
from ingest.structure.captions import (
    is_bare_caption,
    is_caption_label_line,
    is_credit_line,
    is_photo_copyright,
    is_self_declared_caption,
    is_split_credit,
    split_credit,
)
from ingest.structure.debris import (
    Zones,
    find_debris,
    find_repeated_lines,
    find_zones,
    is_article_prose,
)
from ingest.structure.language import DETECT_SAMPLE_CHARS, detect_language
from ingest.structure.model import ContentModel, find_content_debris, load_model
from ingest.structure.paragraphs import ends_sentence, is_prose, split_paragraphs
from ingest.structure.rules.credits import CAPTION_LABEL, PHOTO_CREDIT, SPLIT_CREDIT
from ingest.structure.rules.head import BREADCRUMB, BYLINE, DATELINE, REPEATED_LINE
from ingest.structure.rules.labels import HEAD_LABEL, LANGUAGE_SWITCHER_LABEL, split_language_row
from ingest.structure.rules.learned import CONTENT_MODEL
from ingest.structure.rules.sharing import SOCIAL_HANDLE
from ingest.structure.title import MAX_CANDIDATES, headline_at, score_candidates
from ingest.structure.title_model import (
    TitleCandidates,
    TitleModel,
    load_title_model,
)

# Bylines are looked for among this many paragraphs at the head of the text.
MAX_BYLINE_INDEX = 25
# A line of names this close to a byline or dateline is part of it.
NAME_DISTANCE = 2
MAX_NAME_WORDS = 6
# Kickers and section labels sit at most this many paragraphs above the headline.
HEAD_LABEL_DISTANCE = 3
# A head this long is a whole page's: menus above, the headline just above the prose.
LONG_HEAD = 60
# A credit line is attached to the paragraph above it when that one is at most this long.
MAX_CREDITED_CAPTION_CHARS = 300
# A caption of one sentence may be this long.
MAX_ONE_SENTENCE_CAPTION_CHARS = 400
# A sentence break inside a long paragraph, with any quotation marks around it: "... Halas. „Mit",
# "... 2019. The". Must not match an abbreviation before a number or a name ("Nov. 13", "Co. 787",
# "U.S. Army": a capital or a digit before or after the dot).
CAPTION_SENTENCE_BREAK_RE = re.compile(
    r"[a-zß-ÿ]{2}[.!?][\"'”’»“)]{0,2}\s+[\"'“‘«„‚(]{0,2}[A-ZÀ-ÞА-Я]"
)
# A paragraph that opens with a quotation is someone speaking, not a caption.
QUOTE_MARKS = ("„", "“", '"', "«", "»", "‚", "‘", "'")
# ... and at least this many words ("Enlarge image" above a credit is a button, not a caption).
MIN_CREDITED_CAPTION_WORDS = 3
# A line of at most this many words, without a sentence's end, is a button ("Share").
MAX_BUTTON_WORDS = 2
# A gallery's separator, a short line without words (the picture count "6", "1/6", a rule "—"),
# marks the caption slot when it follows at least this many captions, each time the same line.
# A line of words there is a teaser list's section label as often as a gallery's.
MIN_GALLERY_SLOTS = 2
MAX_SEPARATOR_CHARS = 12
# The rules whose lines anchor the head: names next to them are bylines, the headline is above.
BYLINE_RULES = (BYLINE.name, DATELINE.name)


@dataclass
class Findings:
    """What the steps found, by paragraph index (internal to :func:`extract_structure`)."""

    removed: dict[int, str]
    captions: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    author: str | None = None
    published: str | None = None
    title: int | None = None

    def is_free(self, index: int) -> bool:
        """Whether no step has claimed the paragraph yet."""
        return index not in self.removed and index not in self.captions and index != self.title


def read_bylines(paragraphs: list[str], zones: Zones, findings: Findings) -> None:
    """Mark bylines and datelines at the head, filling ``author`` and ``published`` (in place).

    A bare "By"/"Von:" takes the name on the paragraph after it.
    """
    limit = min(zones.head_end, MAX_BYLINE_INDEX)
    for index in range(limit):
        if not findings.is_free(index):
            continue
        byline = read_byline(paragraphs[index])
        if byline is None:
            continue
        findings.removed[index] = (DATELINE if byline.date_only else BYLINE).name
        author = byline.author
        following = index + 1
        if not byline.date_only and author is None and following < limit:
            if findings.is_free(following) and is_name_like(paragraphs[following]):
                author = paragraphs[following]
                findings.removed[following] = BYLINE.name
        findings.author = findings.author or author
        findings.published = findings.published or byline.published
    mark_names_near_bylines(paragraphs, limit, findings)


def mark_names_near_bylines(paragraphs: list[str], limit: int, findings: Findings) -> None:
    """Mark a line of names next to a byline or dateline as part of the byline (in place).

    "Kevin Johnson and Kevin McCoy" above "Published 7:07 PM EST Nov 19, 2019" names the authors;
    a headline in title case above a dateline is not a line of names (see is_person_names).
    """
    anchors = [i for i, rule in findings.removed.items() if rule in BYLINE_RULES]
    # The first line the head keeps is where the headline sits: a headline in title case next to
    # a dateline ("Storm Warning Lifted") is not a line of names.
    first_free = next((i for i in range(limit) if findings.is_free(i)), None)
    for anchor in sorted(anchors):
        for index in range(max(0, anchor - NAME_DISTANCE), min(limit, anchor + NAME_DISTANCE + 1)):
            text = paragraphs[index]
            if (
                findings.is_free(index)
                and index != first_free
                and len(text.split()) <= MAX_NAME_WORDS
                and is_person_names(text)
            ):
                findings.removed[index] = BYLINE.name
                findings.author = findings.author or text


def split_captions(paragraphs: list[str], findings: Findings) -> None:
    """Mark the paragraphs that end in a photo credit as captions (in place)."""
    for index, text in enumerate(paragraphs):
        if findings.is_free(index) and not is_credit_line(text):
            caption, credit = split_credit(text)
            if credit is not None and caption:
                findings.captions[index] = (caption, credit)
            elif is_self_declared_caption(text):
                findings.captions[index] = (text, None)


def is_caption_length(text: str) -> bool:
    """Whether a paragraph above a credit line is short enough to be its caption.

    Up to MAX_CREDITED_CAPTION_CHARS; a single long sentence (a caption naming everyone in the
    picture) up to MAX_ONE_SENTENCE_CAPTION_CHARS, but never two sentences that long.
    """
    if len(text) <= MAX_CREDITED_CAPTION_CHARS:
        return True
    return (
        len(text) <= MAX_ONE_SENTENCE_CAPTION_CHARS
        and not text.startswith(QUOTE_MARKS)
        and not CAPTION_SENTENCE_BREAK_RE.search(text)
    )


def can_take_credit(paragraphs: list[str], above: int, zones: Zones, findings: Findings) -> bool:
    """Whether the paragraph above a credit line (at ``above + 1``) is its caption.

    It must be free, short and more than a button label. A prose caption that starts (or ends)
    the article's run of prose is taken only when article prose follows its credit, or a button
    and then prose (or prose precedes it): otherwise the run's bounds would move over other
    lines, and extraction run again on the body would judge those lines as head or tail.
    """
    text = paragraphs[above]
    if not (
        findings.is_free(above)
        and is_caption_length(text)
        and len(text.split()) >= MIN_CREDITED_CAPTION_WORDS
    ):
        return False
    if not is_article_prose(text):
        return True

    def is_prose_at(index: int) -> bool:
        return (
            0 <= index < len(paragraphs)
            and findings.is_free(index)
            and is_article_prose(paragraphs[index])
        )

    def is_button_at(index: int) -> bool:
        return (
            0 <= index < len(paragraphs)
            and not ends_sentence(paragraphs[index])
            and len(paragraphs[index].split()) <= MAX_BUTTON_WORDS
        )

    # A button under the credit ("Share", "Enlarge") does not part it from the prose below.
    if above <= zones.head_end and not (
        is_prose_at(above + 2) or (is_button_at(above + 2) and is_prose_at(above + 3))
    ):
        return False
    return not (above >= zones.tail_start - 1 and not is_prose_at(above - 1))


def is_caption_for_mark(paragraphs: list[str], above: int, zones: Zones) -> bool:
    """Whether the paragraph above a bare copyright mark ("© Jane Doe") is its caption.

    A mark is also what an image without a caption leaves under a sentence, and what a site
    leaves in its footer: so the caption must be a phrase (no sentence's end) above the tail.
    """
    text = paragraphs[above]
    return above < zones.tail_start and not ends_sentence(text) and not is_prose(text)


def has_split_credit(paragraphs: list[str], index: int, findings: Findings) -> bool:
    """Whether a credit's label at ``index`` has its credit on the free line after it."""
    following = index + 1
    return (
        following < len(paragraphs)
        # A handle after a photo's label ("Photo" / "@janedoe") credits the photographer.
        and (findings.is_free(following) or findings.removed.get(following) == SOCIAL_HANDLE.name)
        and is_split_credit(paragraphs[index], paragraphs[following])
    )


def take_labelled_caption(
    paragraphs: list[str], label: int, credit: str | None, zones: Zones, findings: Findings
) -> bool:
    """Mark the paragraph after a caption's label ("Image caption") as its caption (in place).

    The label is joined into the caption. Like a caption above a credit line, the caption must be
    short and more than a button, and a prose caption must not start or end the run of prose.
    """
    index = label + 1
    if not (
        index < len(paragraphs)
        and findings.is_free(index)
        and is_caption_length(paragraphs[index])
        and len(paragraphs[index].split()) >= MIN_CREDITED_CAPTION_WORDS
        and not is_credit_line(paragraphs[index])
    ):
        return False
    if is_article_prose(paragraphs[index]) and not zones.head_end < index < zones.tail_start - 1:
        return False
    findings.captions[index] = (paragraphs[index], credit)
    findings.removed[label] = CAPTION_LABEL.name
    return True


def attach_credit_lines(paragraphs: list[str], zones: Zones, findings: Findings) -> None:
    """Join each credit-only line to the short paragraph above it, or remove it (in place).

    A credit split over two lines ("Foto:" / "Jane Doe") counts as one credit line, and a caption's
    label on a line of its own ("Image caption") makes the line after it a caption. Bare captions
    between two prose paragraphs are marked too.
    """
    for index, text in enumerate(paragraphs):
        if not findings.is_free(index):
            continue
        if is_caption_label_line(text):
            take_labelled_caption(paragraphs, index, None, zones, findings)
        elif has_split_credit(paragraphs, index, findings):
            # "Foto:" / "Jane Doe": the credit goes to the caption above, or to the caption after
            # a caption label below it ("Image copyright" / "Reuters" / "Image caption" / ...).
            # Without a caption to take it, the pair stays where it is.
            credit = paragraphs[index + 1]
            below = index + 2
            taken = (
                below < len(paragraphs)
                and findings.is_free(below)
                and is_caption_label_line(paragraphs[below])
                and take_labelled_caption(paragraphs, below, credit, zones, findings)
            )
            if not taken and index > 0 and can_take_credit(paragraphs, index - 1, zones, findings):
                findings.captions[index - 1] = (paragraphs[index - 1], credit)
                taken = True
            if taken:  # both lines are recorded; the name is the caption's credit too
                findings.removed[index] = findings.removed[index + 1] = SPLIT_CREDIT.name
        elif is_credit_line(text):
            above = index - 1
            takes = above >= 0 and (
                not is_photo_copyright(text) or is_caption_for_mark(paragraphs, above, zones)
            )
            if takes and can_take_credit(paragraphs, above, zones, findings):
                findings.captions[above] = (paragraphs[above], split_credit(text)[1] or text)
            findings.removed[index] = PHOTO_CREDIT.name
        elif (
            0 < index < len(paragraphs) - 1
            and is_bare_caption(text)
            and all(
                findings.is_free(near) and is_article_prose(paragraphs[near])
                for near in (index - 1, index + 1)
            )
        ):
            findings.captions[index] = (text, None)


def is_wordless_separator(text: str) -> bool:
    """Whether a line is short and holds no letters: a picture count, a rule, a bullet.

    >>> is_wordless_separator("6"), is_wordless_separator("1/6"), is_wordless_separator("Share")
    (True, True, False)
    """
    return 0 < len(text) <= MAX_SEPARATOR_CHARS and not any(map(str.isalpha, text))


def mark_gallery_captions(paragraphs: list[str], zones: Zones, findings: Findings) -> None:
    """Mark the paragraphs in a gallery's caption slot as captions (in place).

    A gallery repeats one shape per picture: caption, then the same short line without words
    (the picture count "6"). When that line follows two or more captions already found,
    a free paragraph just above another copy of it holds the same slot: a caption without a
    credit of its own. Like a caption above a credit line, it must be short and more than a
    button, and a prose caption must not start or end the run of prose; and it is looked for
    below the head only, where a standfirst's sentences sit above a lead picture's counter.
    """
    followers = Counter(
        paragraphs[index + 1]
        for index in findings.captions
        if index + 1 < len(paragraphs) and index + 1 not in findings.captions
    )
    separators = {
        text
        for text, count in followers.items()
        if count >= MIN_GALLERY_SLOTS and is_wordless_separator(text)
    }
    if not separators:
        return
    for index in range(zones.head_end, len(paragraphs) - 1):
        if (
            paragraphs[index + 1] in separators
            and not is_credit_line(paragraphs[index])
            and can_take_credit(paragraphs, index, zones, findings)
        ):
            findings.captions[index] = (paragraphs[index], None)


def mark_head_labels(paragraphs: list[str], findings: Findings) -> None:
    """Remove the kicker and section labels above the headline (in place).

    A label left above the headline would be taken as the title when extraction runs again on
    its own body. Credit lines are left to their caption.
    """
    if findings.title is None:
        return
    for index in range(max(0, findings.title - HEAD_LABEL_DISTANCE), findings.title):
        text = paragraphs[index]
        if findings.is_free(index) and HEAD_LABEL.matcher(text) and not is_credit_line(text):
            findings.removed[index] = HEAD_LABEL.name


def trail_before(paragraph: str, title: str | None) -> str | None:
    """What a headline's paragraph holds besides the title taken from it: a breadcrumb trail.

    >>> trail_before("Home » News » Storm hits the coast", "Storm hits the coast")
    'Home » News »'
    >>> trail_before("3. Storm hits the coast", "Storm hits the coast")
    '3.'
    >>> trail_before("Storm hits the coast", "Storm hits the coast") is None
    True
    """
    if title is None or title == paragraph:
        return None
    start = paragraph.rfind(title)
    if start < 0:  # not taken from this paragraph: nothing of it is dropped
        return None
    dropped = f"{paragraph[:start]} {paragraph[start + len(title) :]}".strip()
    return dropped or None


def mark_repeated_lines(paragraphs: list[str], zones: Zones, findings: Findings) -> None:
    """Remove the head paragraphs that the text repeats later, once every other step has
    claimed its lines (in place): a standfirst or a doubled headline is said again below.
    """
    claimed = set(findings.removed) | set(findings.captions)
    if findings.title is not None:
        claimed.add(findings.title)
    for index in find_repeated_lines(paragraphs, zones, claimed):
        findings.removed[index] = REPEATED_LINE.name


def find_label_tags(paragraphs: list[str], findings: Findings) -> list[str]:
    """The language of a single-language switcher label, if there is one."""
    for index, rule in findings.removed.items():
        if rule == LANGUAGE_SWITCHER_LABEL.name:
            tags = split_language_row(paragraphs[index]) or []
            if len(set(tags)) == 1:
                return tags
    return []


def leading_body(paragraphs: list[str], findings: Findings, limit: int) -> str:
    """The free paragraphs joined by blank lines, as far as the first ``limit`` characters go:
    language identification reads no further, so the rest of a long page is not joined.

    >>> leading_body(["Menu", "One.", "Two."], Findings(removed={0: "x"}), 4)
    'One.'
    >>> leading_body(["Menu", "One.", "Two."], Findings(removed={0: "x"}), 5)
    'One.\\n\\nTwo.'
    """
    taken: list[str] = []
    length = 0
    for index, paragraph in enumerate(paragraphs):
        if length >= limit:
            break
        if findings.is_free(index):
            length += len(paragraph) + (2 if taken else 0)
            taken.append(paragraph)
    return "\n\n".join(taken)


@dataclass(frozen=True)
class RuleDecision:
    """What the named rules decided of a text, before the content model judges what they kept."""

    paragraphs: list[str]
    zones: Zones
    findings: Findings
    title: str | None
    language: str | None
    # What the headline was chosen from (None when the HTML reader chose it).
    title_candidates: TitleCandidates | None = None

    @property
    def kept(self) -> list[bool]:
        """Which paragraphs the rules left in the body."""
        return [self.findings.is_free(index) for index in range(len(self.paragraphs))]


def find_headline(
    paragraphs: list[str], zones: Zones, findings: Findings, title_model: TitleModel | None
) -> tuple[TitleCandidates, str | None]:
    """Find the headline among the head's free paragraphs: set ``findings.title`` to its index
    (in place) and return what it was chosen from and the title (a breadcrumb trail's last item
    when the trail is chosen).

    The title rules say which paragraphs may be the headline and score them; ``title_model``
    chooses among them (None: the rules' score alone)."""
    head = [
        index
        for index in range(zones.head_end)
        if findings.is_free(index) and not is_credit_line(paragraphs[index])
    ]
    # The last free paragraph, looked for from the end (the first one found there).
    last_free = next((i for i in reversed(range(len(paragraphs))) if findings.is_free(i)), -1)
    head = [index for index in head if index != last_free]
    ranks = None
    if zones.head_end > LONG_HEAD and len(head) > 2 * MAX_CANDIDATES:
        # On a whole page the headline sits just above the prose, below the menus: the
        # paragraphs closest to the prose compete too, ranked by their distance from it.
        head = head[:MAX_CANDIDATES] + head[-MAX_CANDIDATES:]
        ranks = list(range(MAX_CANDIDATES)) + list(range(MAX_CANDIDATES - 1, -1, -1))
    counts = Counter(paragraphs)
    repeated = frozenset(text for text, count in counts.items() if count > 1)
    bylines = [i for i, rule in findings.removed.items() if rule in BYLINE_RULES]
    first_after_byline = sum(1 for index in head if index < min(bylines)) if bylines else None
    lead = next((rank for rank, index in enumerate(head) if index + 1 == zones.head_end), None)
    candidates = [paragraphs[index] for index in head]
    body = [
        paragraphs[index]
        for index in range(zones.head_end, zones.tail_start)
        if findings.is_free(index)
    ]
    choice = TitleCandidates(
        tuple(candidates),
        tuple(score_candidates(candidates, repeated, first_after_byline, ranks, lead)),
        tuple(body),
        tuple(paragraphs),
    )
    found = choice.choose(title_model)
    findings.title = None if found is None else head[found]
    return choice, None if found is None else headline_at(candidates, found)


def decide_by_rules(
    paragraphs: list[str],
    title_at: int | None = None,
    title_model: TitleModel | bool | None = True,
) -> RuleDecision:
    """Steps 2 to 8 on paragraphs already split: debris by named rule, bylines, captions, the
    title, credit lines, repeated head lines, and the language of the body the rules keep.

    With ``title_at``, that paragraph is the headline (the HTML reader's choice) and no other is
    looked for. Otherwise ``title_model`` chooses among the candidates the title rules keep:
    ``True`` (the default) is the shipped one (``title_model.json``), ``False`` or None the
    rules' score alone.
    """
    zones = find_zones(paragraphs)
    findings = Findings(removed=find_debris(paragraphs, zones))
    if title_at is not None:  # claimed first: no other step takes the reader's headline
        findings.removed.pop(title_at, None)
        findings.title = title_at
    read_bylines(paragraphs, zones, findings)
    split_captions(paragraphs, findings)
    choice = None
    if title_at is None:
        if title_model is True:
            title_model = load_title_model()
        choice, title = find_headline(paragraphs, zones, findings, title_model or None)
    else:
        title = paragraphs[title_at]
    mark_head_labels(paragraphs, findings)
    attach_credit_lines(paragraphs, zones, findings)
    mark_gallery_captions(paragraphs, zones, findings)
    mark_repeated_lines(paragraphs, zones, findings)
    body = leading_body(paragraphs, findings, DETECT_SAMPLE_CHARS)
    language = detect_language(body, find_label_tags(paragraphs, findings))
    return RuleDecision(paragraphs, zones, findings, title, language, choice)


def finish_structure(decision: RuleDecision, model: ContentModel | None) -> Structure:
    """Step 9, then the record: the content model judges the paragraphs the rules kept (none
    when ``model`` is None), and every paragraph goes to its place."""
    paragraphs, findings, title = decision.paragraphs, decision.findings, decision.title
    removed = dict(findings.removed)
    if model is not None:
        judged = find_content_debris(
            paragraphs, decision.kept, findings.removed, decision.zones, decision.language, model
        )
        removed.update(dict.fromkeys(judged, CONTENT_MODEL.name))
    body: list[str] = []
    captions: list[Caption] = []
    removals: list[Removal] = []
    for index, paragraph in enumerate(paragraphs):
        if index in removed:
            removals.append(Removal(paragraph, removed[index]))
        elif index in findings.captions:
            caption, credit = findings.captions[index]
            captions.append(Caption(caption, credit, len(body)))
        elif index == findings.title:
            if dropped := trail_before(paragraph, title):
                removals.append(Removal(dropped, BREADCRUMB.name))
        else:
            body.append(paragraph)
    return Structure(
        title=title,
        language=decision.language,
        author=findings.author,
        published=findings.published,
        paragraphs=tuple(body),
        captions=tuple(captions),
        removed=tuple(removals),
    )


def extract_structure(text: str, model: ContentModel | bool | None = True) -> Structure:
    """Split repaired text into title, language, author, date, body paragraphs and captions.

    ``model`` is the content model that judges what the named rules kept: ``True`` (the
    default) is the shipped one (``content_model.json``), ``False`` or None the rules alone.

    >>> s = extract_structure("English\\n\\nA headline for the day\\n\\n" + "Text. " * 30)
    >>> s.title, s.language, [r.rule for r in s.removed]
    ('A headline for the day', 'en', ['language_switcher_label'])
    """
    if model is True:
        model = load_model()
    return finish_structure(decide_by_rules(split_paragraphs(text)), model or None)


def extract_block_structure(blocks: Sequence[str], title_at: int | None) -> Structure:
    """The structure of an HTML page's body blocks: each block is a paragraph as it is (no
    splitting or joining), and ``title_at`` is the index of the block the HTML reader chose as
    the headline (None: the headline is found among the blocks, as in text).

    Neither learned decision is applied: the title model and the content model were trained
    on text paragraphs, and the markup rules (``ingest.structure.markup``) have removed the
    page's furniture before these blocks (a headline found among the blocks is the title rules'
    choice).

    >>> s = extract_block_structure(["Home", "A headline", "Text. " * 30, "Share"], 1)
    >>> s.title, [r.rule for r in s.removed]
    ('A headline', ['head_label', 'share_row'])
    """
    return finish_structure(decide_by_rules(list(blocks), title_at, title_model=None), None)
