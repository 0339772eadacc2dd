"""Find the headline among the first paragraphs of a text.

The headline is a short-ish line near the head, without a full stop: not a section label, a
breadcrumb, an author's name, a byline, a date or a caption (bylines, dates and captions are
classified before the title is looked for). Each candidate gets a score; the best one wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.structure.bylines import is_name_like, search_date
from ingest.structure.memo import remember_short
from ingest.structure.paragraphs import search_tail

MIN_TITLE_CHARS = 4
MAX_TITLE_CHARS = 250
MAX_TITLE_WORDS = 35
# Headlines longer than this are rarer than standfirsts of that length.
LONG_TITLE_WORDS = 24
# Only the first few remaining head paragraphs are candidates: up to this rank (see
# effective_ranks), and at most MAX_SHOWN paragraphs.
MAX_CANDIDATES = 12
MAX_SHOWN = 30
# A run of this many labels is a menu, and each of its labels counts MENU_RANK_COST of a rank.
MENU_RUN = 3
MENU_RANK_COST = 0.5
# A line in title case may end with a full stop when it has this many words (see is_title_case).
MIN_TITLE_CASE_WORDS = 5
# A line this long or longer may be one text said twice (see is_doubled); "Bora Bora" is a name.
MIN_DOUBLED_CHARS = 12
OPENING_MARKS = "\"'“‘«„‚(["

# Score weights (see score_title). A candidate's score starts from how headline-like its length
# is; each later rank costs RANK_COST, so among similar lines the first one wins.
RANK_COST = 0.6
# Section labels and kickers are one to three words; headlines four to twenty-odd.
LABEL_WORDS = 2
SHORT_WORDS = 3
HEADLINE_WORDS = 5
LENGTH_BONUS = {"label": -2.0, "short": -0.5, "phrase": 1.0, "headline": 2.0}
PENALTY = 3.0
SMALL_PENALTY = 1.5
REPEATED_BONUS = 1.5
# A line after the byline or dateline is more often a standfirst, a caption or a widget.
AFTER_BYLINE_COST = 1.5
# A short line directly above the article's first prose paragraph is a short headline, not a
# kicker (a kicker has the headline below it).
SHORT_LEAD_BONUS = 2.5
# A line that another candidate ends with (a breadcrumb or kicker glued to the headline) wins over
# it (see is_glued_suffix).
GLUED_SUFFIX_BONUS = 3.0

# How a headline may not end: with a colon, comma or semicolon (a label or a broken line).
# Matches "Tags:", "Naturkosmetik,"; must not match "... For Rs 300?" or "Hope!".
NON_TITLE_END_RE = re.compile(r"[:,;–-]$")
# A sentence's full stop (not an ellipsis or an abbreviation's dot inside a headline).
# Matches "It was reported."; must not match "Alles Neue mach der Mai…" or "Wait..."
FULL_STOP_RE = re.compile(r"(?<![.\s])\.[\"'”’»)]{0,2}$")
# A breadcrumb trail or a menu: "Home » News", "home / Betrieb / IT", "Home > World", "» Essen".
# Must not match a headline with one slash ("Dare to Play 3 / October pack") nor a quotation in
# guillemets ("»Kein Geld mehr«", "Sie sagt: «Nein»"): a separator stands apart from the words.
# Nor a headline that starts with the word "Home" ("Home Depot shares fall"): a lone "Home" is a
# label by its length.
BREADCRUMB_RE = re.compile(r"(?:^|\s)[»›>](?:\s|$)|(?:\s/\s.*){2}")
# Where a breadcrumb trail splits into its items: "Home » Climbing » Storm hits the coast",
# "home / Business / IT / Storm hits". Must not match a quotation in guillemets ("»Nein«"), "24/7"
# or "and/or" (a separator stands apart from the words).
TRAIL_SEPARATOR_RE = re.compile(r"\s[»›>/]\s")
TRAIL_ENDS = ("»", "›", ">", "/")
# An item of an ordered list, as a text browser draws an ordered breadcrumb ("1. Home", "2. News",
# "3. Storm hits the coast"). Must not match "3.Liga" or "2024. Storm" (one or two digits, a space).
NUMBERED_ITEM_RE = re.compile(r"^(\d{1,2})\. (\S.*)$")
# The items of such a trail before its last have at most this many words ("2. Local news").
MAX_CRUMB_WORDS = 4
# A trail has this many separators or more; one is a headline's own ("Dare to Play 3 / October").
MIN_TRAIL_SEPARATORS = 2
# An article in front, which a person's name does not have: "The Garden", "Der Windmacher".
# Must not match a name with a particle ("De Vries", "La Rue", "El Greco" are left as names).
ARTICLE_START_RE = re.compile(r"^(?:The|A|An|Der|Die|Das|Ein|Eine|Het|Gli)\s")
# What a text-mode browser draws for page controls, which no headline starts with or holds: list
# bullets, check boxes, star ratings and form fields ("• News", "□ Remember me", "[Search    ]",
# "[IE-overlay]" or "[svg][photo_123]" alone: an image's placeholder). Must not match a headline
# with a bracketed tag in front ("[Update] Storm hits the coast") or a footnote mark inside it.
CONTROL_RE = re.compile(r"^[•□☐☑☆★|○●■▪◦►▸]|\[[^\]]{0,40}\s{3,}|^(?:\[[^\[\]]*\])+$|^\[[^\]]*$")
# A letter or a digit (a word character but "_"): a word that holds one counts (see count_words).
ALNUM_RE = re.compile(r"[^\W_]")
# Characters of scripts written without spaces: there a word count says nothing.
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Contact details and handles, which a headline does not carry: "@jdoe", "jd@example.com",
# "https://...", "www.example.com". Must not match "AT&T" or "4 @ 5" (a lone at sign).
CONTACT_RE = re.compile(r"@\w|https?://|\bwww\.", re.IGNORECASE)
# A row of items or a credit split by pipes or slashes: "Sport | Football", "Name / Agency".
# Must not match "24/7" or "1/2" (no spaces around the slash).
ROW_SPLIT_RE = re.compile(r"\s[|/]\s|\|")
# A sentence break that is not after an initial or an abbreviation: "... in 2019. The ...".
# Must not match "U.S. States" or "Dr. Who" (a capital or short word before the dot).
TRUE_SENTENCE_BREAK_RE = re.compile(r"[a-zà-ÿ]{3}[.!?][\"'”’»)]{0,2}\s+[\"'“‘«(]{0,2}[A-ZÀ-ÞА-Я]")


def is_title_like(text: str) -> bool:
    """Whether a paragraph could be a headline at all.

    >>> is_title_like("Disaffection grows in US military amid ICE raids")
    True
    >>> is_title_like("Tags:"), is_title_like("x" * 300), is_title_like("A sentence.")
    (False, False, False)

    A line in title case may end with a full stop, unless it is as long as a standfirst:

    >>> is_title_like("Stock Falls After Its Earnings Release. Why You Shouldn't Worry.")
    True
    >>> is_title_like(" ".join(["The Council Voted"] * 9) + ".")
    False
    >>> is_title_like("1945 1960 1980 2000"), is_title_like("Top 10 tips for 2020")
    (False, True)
    """
    if not MIN_TITLE_CHARS <= len(text) <= MAX_TITLE_CHARS or search_tail(NON_TITLE_END_RE, text):
        return False
    if search_tail(FULL_STOP_RE, text) and not (
        is_title_case(text) and count_words(text) <= LONG_TITLE_WORDS
    ):
        return False
    if not any(map(str.isalpha, text)):  # a scale's numbers, a score, a date's digits
        return False
    return CJK_RE.search(text) is not None or len(text.split()) <= MAX_TITLE_WORDS


def is_title_case(text: str) -> bool:
    """Whether a line is in English headline style: every word of four letters or more capitalised.

    Such a line may end with a full stop ("Stock Falls After Earnings. Why You Shouldn't Worry.");
    a sentence does not capitalise its verbs, nor a German one all its words. A line in capitals
    (a logo, "ACME GROUP E. V.") is not in title case.

    >>> is_title_case("Stock Falls After Its Earnings Release. Why You Shouldn't Worry.")
    True
    >>> is_title_case("Shares of the company fell after the report."), is_title_case("ACME GROUP.")
    (False, False)
    """
    if len(text.split()) < MIN_TITLE_CASE_WORDS:
        return False
    long_words = 0
    for word in text.split():
        word = word.lstrip(OPENING_MARKS)
        if sum(map(str.isalpha, word)) < 4:
            continue
        if not word[0].isupper() or word.isupper():
            return False
        long_words += 1
    return long_words >= 3


def is_doubled(text: str) -> bool:
    """Whether a line is one text said twice, as an image's alt text and its title render.

    >>> is_doubled("Jane at the lakeJane at the lake"), is_doubled("Example News Example News")
    (True, True)
    >>> is_doubled("Bora Bora"), is_doubled("Storm hits the coast")
    (False, False)
    """
    if len(text) < MIN_DOUBLED_CHARS:
        return False
    half = len(text) // 2
    if len(text) % 2 == 0:
        return text[:half] == text[half:]
    return text[half] == " " and text[:half] == text[half + 1 :]


@remember_short(maxsize=4096)
def count_words(text: str) -> int:
    """Words in a line (not "|" or "–"); for scripts without spaces, one per three characters.
    Remembered: the title rules and the title model count each candidate's words several times.

    >>> count_words("Storm hits the coast"), count_words("東京で大雨が降った"), count_words("A | B")
    (4, 3, 2)
    """
    words = sum(1 for found in map(ALNUM_RE.search, text.split()) if found)
    if CJK_RE.search(text):
        words = max(words, len(text) // 3)
    return words


def score_length(words: int) -> float:
    """How headline-like a line's length is: labels are short, standfirsts long.

    >>> score_length(1) < score_length(3) < score_length(4) < score_length(8)
    True
    >>> score_length(40) < score_length(20)
    True
    """
    if words <= LABEL_WORDS:
        return LENGTH_BONUS["label"]
    if words <= SHORT_WORDS:
        return LENGTH_BONUS["short"]
    if words < HEADLINE_WORDS:
        return LENGTH_BONUS["phrase"]
    bonus = LENGTH_BONUS["headline"]
    if words > LONG_TITLE_WORDS:
        bonus -= (words - LONG_TITLE_WORDS) * 0.2
    return bonus


def score_title(text: str, rank: int, repeated: bool, after_byline: bool = False) -> float:
    """How much a candidate looks like the headline: longer phrases win over labels and names.

    >>> score_title("Senate passes the budget bill", 1, False) > score_title("Politics", 0, False)
    True
    >>> score_title("Jane Doe", 0, False) < score_title("Storm hits the coast", 1, False)
    True
    >>> score_title("Storm hits the coast", 2, False) > score_title("Follow us on", 1, False)
    True
    """
    words = count_words(text)
    score = score_length(words) - rank * RANK_COST
    if words <= 4 and is_name_like(text) and not repeated and not ARTICLE_START_RE.match(text):
        score -= PENALTY
    if BREADCRUMB_RE.search(text) or CONTACT_RE.search(text) or CONTROL_RE.search(text):
        score -= PENALTY
    if text[0].islower():
        score -= PENALTY
    if TRUE_SENTENCE_BREAK_RE.search(text) or search_date(text):
        score -= SMALL_PENALTY
    if ROW_SPLIT_RE.search(text):
        score -= SMALL_PENALTY
    if is_doubled(text):
        score -= PENALTY
    if after_byline:
        score -= AFTER_BYLINE_COST
    if repeated and words > 1:  # a repeated single word is a menu's item more often
        score += REPEATED_BONUS
    return score


def trail_headline(text: str) -> str | None:
    """The last item of a breadcrumb trail, which is often the page's headline, or None.

    >>> trail_headline("Home » Climbing » Storm hits the coast")
    'Storm hits the coast'
    >>> trail_headline("You are here: home / Business / IT / Storm hits")
    'Storm hits'
    >>> trail_headline("Dare to Play 3 / October pack") is None
    True
    """
    if ("/" not in text and ">" not in text and "»" not in text and "›" not in text) or len(
        text
    ) > 2 * MAX_TITLE_CHARS:
        return None
    parts = TRAIL_SEPARATOR_RE.split(text)
    if len(parts) <= MIN_TRAIL_SEPARATORS:
        return None
    return parts[-1].strip() or None


def numbered_trail_items(candidates: list[str]) -> dict[int, str]:
    """The last item of each numbered breadcrumb trail among the candidates, by position.

    A trail counts from 1 on consecutive candidates, its items before the last are short.

    >>> numbered_trail_items(["1. Home", "2. Local news", "3. Storm hits the coast", "Jane Doe"])
    {2: 'Storm hits the coast'}
    >>> numbered_trail_items(["1. Preheat the oven to 200 degrees", "2. Mix the flour"])
    {}
    """
    items: dict[int, str] = {}
    run = 0  # the number of the last item of the run that ends at the previous candidate
    short = True  # whether that run's items are all short
    for position, text in enumerate(candidates):
        match = NUMBERED_ITEM_RE.match(text) if text[:1].isdigit() else None
        number = int(match.group(1)) if match else 0
        if match and number == run + 1 and run:
            items.pop(position - 1, None)
            if short:
                items[position] = match.group(2)
        elif match and number == 1:
            short = True
        else:
            run = 0
            continue
        run = number
        short = short and count_words(match.group(2)) <= MAX_CRUMB_WORDS
    return items


def headline_at(candidates: list[str], index: int) -> str:
    """The title that the candidate at ``index`` gives (see find_title): the last item of its
    breadcrumb trail, or the candidate itself.

    >>> headline_at(["1. Home", "2. News", "3. Storm hits the coast"], 2)
    'Storm hits the coast'
    >>> headline_at(["Home » News » Storm hits the coast"], 0)
    'Storm hits the coast'
    """
    item = numbered_trail_items(candidates[: index + 1]).get(index)
    return item if item is not None else title_text(candidates[index])


def title_text(paragraph: str) -> str:
    """The title that a chosen paragraph gives: a trail's last item, or the paragraph itself.

    >>> title_text("Home » News » Storm hits the coast"), title_text("Storm hits the coast")
    ('Storm hits the coast', 'Storm hits the coast')
    """
    return trail_headline(paragraph) or paragraph


def is_glued_suffix(text: str, other: str) -> bool:
    """Whether ``other`` is ``text`` with something glued in front: a breadcrumb or a kicker.

    After a space, the suffix must be more than one word: "Ground coffee" ends with the word
    "Coffee" of a menu, not with a headline.

    >>> is_glued_suffix("Storm hits the coast", "HomeNewsStorm hits the coast")
    True
    >>> is_glued_suffix("Storm hits the coast", "Weather Storm hits the coast")
    True
    >>> is_glued_suffix("Coffee", "Ground Coffee"), is_glued_suffix("Coffee", "Coffee")
    (False, False)
    >>> is_glued_suffix("Hamburg", "Home » Cities » Hamburg")
    True
    """
    if len(other) <= len(text) or not other.endswith(text):
        return False
    if not other[-len(text) - 1].isspace() or count_words(text) > 1:
        return True
    return other[: -len(text)].rstrip().endswith(TRAIL_ENDS)


def effective_ranks(candidates: list[str]) -> list[float]:
    """Each candidate's rank: how many lines precede it, a menu's labels counting half.

    A run of MENU_RUN labels or more (one to three words each) is a menu: a headline below a
    menu is as likely the headline as one below a single kicker.

    >>> effective_ranks(["News", "Sport", "Weather", "Storm hits the coast", "Jane Doe"])
    [0.0, 0.5, 1.0, 1.5, 2.5]
    >>> effective_ranks(["Politics", "Storm hits the coast", "Jane Doe"])
    [0.0, 1.0, 2.0]
    """
    labels = [is_title_like(text) and count_words(text) <= SHORT_WORDS for text in candidates]
    # The length of the run of labels each label belongs to, filled backwards from each run's end.
    runs = [0] * len(candidates)
    length = 0
    for position in range(len(candidates)):
        length = length + 1 if labels[position] else 0
        if length and (position + 1 == len(candidates) or not labels[position + 1]):
            runs[position - length + 1 : position + 1] = [length] * length
    ranks: list[float] = []
    rank = 0.0
    for run in runs:
        ranks.append(rank)
        rank += MENU_RANK_COST if run >= MENU_RUN else 1
    return ranks


@dataclass(frozen=True)
class Candidate:
    """A paragraph of the head that may be the headline, as the rules see it.

    ``position`` is its index among the candidates, ``text`` the title it gives (a trail's last
    item, or the paragraph), ``rank`` its rank, ``score`` the rules' score (see
    :func:`score_candidates`); the flags say what the score was made of.
    """

    position: int
    text: str
    rank: float
    score: float
    repeated: bool
    after_byline: bool
    lead: bool
    glued: bool


def score_candidates(
    candidates: list[str],
    repeated: frozenset[str] = frozenset(),
    first_after_byline: int | None = None,
    ranks: list[int] | None = None,
    lead: int | None = None,
) -> list[Candidate]:
    """The candidates that could be the headline, in order, each with the rules' score.

    The arguments are those of :func:`find_title`.

    >>> [(c.position, c.text) for c in score_candidates(["Tags:", "Storm hits the coast"])]
    [(1, 'Storm hits the coast')]
    """
    shown = candidates if ranks is not None else candidates[:MAX_SHOWN]
    menu_ranks = effective_ranks(shown)
    trail_items = numbered_trail_items(shown)
    scored: list[Candidate] = []
    for position, paragraph in enumerate(shown):
        if ranks is None and menu_ranks[position] >= MAX_CANDIDATES:
            break
        text = trail_items.get(position) or title_text(paragraph)
        if not is_title_like(text) or (text != paragraph and text in shown):
            # A trail competes with its last item, unless that item has a line of its own.
            continue
        rank = menu_ranks[position] if ranks is None else ranks[position]
        after_byline = first_after_byline is not None and position >= first_after_byline
        score = score_title(text, rank, text in repeated, after_byline)
        glued = position in trail_items or (
            text == paragraph and any(is_glued_suffix(text, other) for other in shown)
        )
        if glued:
            score += GLUED_SUFFIX_BONUS
        is_lead = position == lead
        if is_lead and count_words(text) <= SHORT_WORDS and not CONTROL_RE.search(text):
            score += SHORT_LEAD_BONUS
        scored.append(
            Candidate(position, text, rank, score, text in repeated, after_byline, is_lead, glued)
        )
    return scored


def best_by_score(scored: list[Candidate]) -> int | None:
    """The position of the candidate with the highest rules' score (the first of equals), or None.

    >>> best_by_score(score_candidates(["Politics", "Senate passes the budget bill"]))
    1
    """
    best: Candidate | None = None
    for candidate in scored:
        if best is None or candidate.score > best.score:
            best = candidate
    return None if best is None else best.position


def find_title(
    candidates: list[str],
    repeated: frozenset[str] = frozenset(),
    first_after_byline: int | None = None,
    ranks: list[int] | None = None,
    lead: int | None = None,
) -> int | None:
    """The index of the headline among the head's remaining paragraphs, in order, or None, by
    the rules' score alone.

    ``repeated`` holds paragraphs the text repeats, which headlines often are. The caller passes
    only paragraphs that something follows: a headline heads a text, so a text's last paragraph
    is never its title (this also keeps extraction a fixed point on its own body).
    ``first_after_byline`` is the index of the first candidate below a byline or dateline.
    ``ranks``, when given, is each candidate's rank (its distance from the nearer end of a long
    head) and every candidate competes; otherwise the first MAX_CANDIDATES do, ranked in order.
    ``lead`` is the index of the candidate directly above the article's first prose paragraph.

    >>> find_title(["Politics", "Senate passes the budget bill", "By Jane Doe"])
    1
    >>> find_title(["Just a label"])
    0
    >>> find_title(["Tags:"]) is None
    True
    >>> find_title(["Home » News » A long day in the city", "A long day in the city"])
    1
    """
    return best_by_score(score_candidates(candidates, repeated, first_after_byline, ranks, lead))
