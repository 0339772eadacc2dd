"""Text repair: ftfy line by line, then whitespace normalisation, recording every fix applied.

``repair_text(text, profile)`` returns ``(clean_text, fixes)``. One pass is:

1. ``newlines_to_lf``: every line break becomes LF, so that ftfy's segments are real lines;
2. ftfy's ``fix_and_explain`` on each line on its own (a document can mix mojibake lines with
   correct ones, and ftfy judges one segment as a whole), skipping lines that no ftfy fixer can
   change (see ``is_inert_line`` and ``is_clean_line``);
3. the whitespace steps of ``ingest.repair.whitespace``;
4. ``nfc`` when the profile asks for it (after the whitespace steps, which can leave a combining
   mark next to a new base letter).

Passes repeat until the text stops changing (at most ``MAX_PASSES``), so that
``repair_text(repair_text(x)[0])[0] == repair_text(x)[0]``: removing a zero-width space can, for
instance, join two halves of a mojibake sequence.

HTML entities: ``unescape_html="auto"`` is applied per line, so ``&amp;`` and ``&#8217;`` are
decoded except on a line holding a literal ``<``. Such a line is likely quoted HTML or code, where
the entity is meant literally; ftfy's ``fix_text`` would also switch unescaping off for every later
line, which we do not.
"""

from __future__ import annotations

import contextlib
import functools
import unicodedata
from dataclasses import dataclass

import ftfy
from ftfy import chardata

from ingest.read.decode import REPLACED_INVALID_UTF8
from ingest.repair.badness import ftfy_using_fast_is_bad, is_bad
from ingest.repair.whitespace import WHITESPACE_STEPS, normalize_newlines

# Enough for every input tested; a text still changing after this many passes is returned as is.
MAX_PASSES = 4


@dataclass(frozen=True, slots=True)
class RepairProfile:
    """One ftfy configuration plus whether our own NFC step runs after the whitespace steps."""

    ftfy: ftfy.TextFixerConfig
    nfc: bool


DEFAULT_FTFY_CONFIG = ftfy.TextFixerConfig(
    # HTML entities left in plain text (&amp; &#8217; &nbsp;) are decoded, except on lines that
    # hold a literal "<" (see the module docstring).
    unescape_html="auto",
    # Terminal colour codes are never article text.
    remove_terminal_escapes=True,
    # Mojibake repair, as many layers deep as it goes (fix_and_explain loops to a fixed point).
    fix_encoding=True,
    # "Ã " where "Ã\xa0" was meant (a program turned the no-break space into a space): common in
    # scraped mojibake, and ftfy applies it only inside a sequence that then decodes as UTF-8.
    restore_byte_a0=True,
    # Mojibake partly replaced by "?" or "\ufffd" becomes one "\ufffd" instead of garbage letters.
    replace_lossy_sequences=True,
    # Mojibake mixed with correct text on one line is repaired piece by piece.
    decode_inconsistent_utf8=True,
    # C1 controls (U+0080-U+009F) are cp1252 punctuation read as latin-1: "\x93" means "“".
    fix_c1_controls=True,
    # Contract: ligatures (ﬁ) are kept as written.
    fix_latin_ligatures=False,
    # Contract: full-width CJK punctuation （），。 and half-width katakana are kept as written.
    fix_character_width=False,
    # Contract: typographic quotes stay (it also halves ftfy's speed).
    uncurl_quotes=False,
    # Our newlines_to_lf step runs before ftfy; NEL (U+0085) is left to fix_c1_controls ("…").
    fix_line_breaks=False,
    # Surrogates (UTF-16 decoded as UCS-2) are joined or become "\ufffd": Parquet needs valid UTF-8.
    fix_surrogates=True,
    # NUL, BEL, backspace, DEL, U+FFF9-U+FFFC and the like have no meaning in an article.
    remove_control_chars=True,
    # Our own "nfc" step normalises once, after the whitespace steps; see RepairProfile.
    normalization=None,
)

# "minimal": encoding repair and HTML entities only. Surrogates are still fixed: the output must be
# encodable as UTF-8.
MINIMAL_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html="auto",
    remove_terminal_escapes=False,
    fix_encoding=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
)

REPAIR_PROFILES: dict[str, RepairProfile] = {
    "default": RepairProfile(DEFAULT_FTFY_CONFIG, nfc=True),
    # ftfy's own defaults: also straightens quotes, splits ligatures and narrows full-width text.
    "ftfy": RepairProfile(ftfy.TextFixerConfig(), nfc=False),
    "minimal": RepairProfile(MINIMAL_FTFY_CONFIG, nfc=False),
}


def describe_ftfy_steps() -> dict[str, str]:
    """List every explanation step ftfy 6.3 can emit, by the fix name we record for it."""
    steps = {
        f"ftfy:encode:{encoding}": f"ftfy: mojibake, re-encoded as {encoding} to get the bytes back"
        for encoding in chardata.CHARMAP_ENCODINGS
    }
    steps |= {
        "ftfy:decode:utf-8": "ftfy: mojibake, the recovered bytes decoded as UTF-8",
        "ftfy:decode:utf-8-variants": "ftfy: as decode:utf-8, accepting CESU-8 and Java's NUL",
        "ftfy:decode:windows-1252": "ftfy: latin-1 text that was meant as cp1252 (C1 controls)",
        "ftfy:transcode:restore_byte_a0": "ftfy: a space inside mojibake restored as byte 0xA0",
        "ftfy:transcode:replace_lossy_sequences": "ftfy: mojibake that lost bytes became '\ufffd'",
        "ftfy:transcode:fix_c1_controls": "ftfy: C1 control characters read as cp1252",
        "ftfy:apply:decode_inconsistent_utf8": "ftfy: mojibake inside correct text fixed piecewise",
        "ftfy:apply:unescape_html": "ftfy: HTML entities (&amp; &#8217; &nbsp;) decoded",
        "ftfy:apply:fix_c1_controls": "ftfy: C1 control characters replaced by cp1252 characters",
        "ftfy:apply:fix_latin_ligatures": "ftfy: ligatures (ﬁ) split into letters",
        "ftfy:apply:fix_character_width": "ftfy: full-width/half-width forms made normal",
        "ftfy:apply:uncurl_quotes": "ftfy: curly quotes made straight",
        "ftfy:apply:fix_line_breaks": "ftfy: CR, CRLF, U+2028, U+2029 and NEL made LF",
        "ftfy:apply:fix_surrogates": "ftfy: surrogate pairs joined, lone surrogates made '\ufffd'",
        "ftfy:apply:remove_terminal_escapes": "ftfy: ANSI terminal escape codes removed",
        "ftfy:apply:remove_control_chars": "ftfy: invisible control characters removed",
        "ftfy:normalize:NFC": "ftfy: Unicode NFC normalisation (the 'ftfy' profile)",
    }
    return steps


# Every fix name that can appear in a record's ``fixes``, with what it means.
FIX_STEPS: dict[str, str] = {
    REPLACED_INVALID_UTF8: "decode: a few invalid bytes in UTF-8 text were replaced by '\ufffd'",
    "newlines_to_lf": "CRLF, CR, VT, FF, U+2028 and U+2029 line breaks made LF",
    **describe_ftfy_steps(),
    "odd_spaces_to_space": "no-break and typographic spaces (U+00A0, U+2000-U+200A, U+202F ...) "
    "made plain spaces; U+3000 is kept",
    "zero_width_removed": "zero-width space, word joiner and stray BOM removed; ZWJ/ZWNJ are kept",
    "soft_hyphens_removed": "soft hyphens (U+00AD) removed",
    "trailing_spaces_trimmed": "spaces and tabs at the end of lines removed",
    "edge_blank_lines_removed": "line breaks at the start and end of the text removed",
    "blank_lines_collapsed": "two or more blank lines collapsed into one",
    "nfc": "Unicode NFC normalisation (composed accents)",
}


@functools.cache
def build_ftfy_trigger_chars(config: ftfy.TextFixerConfig) -> frozenset[str]:
    """Collect every character that some ftfy fixer in ``config``, other than the encoding fixer,
    reacts to.

    A line without any of them (and already normalised, when ftfy normalises) can only be changed
    by the encoding fixer, which leaves a line alone unless ftfy's ``is_bad`` finds mojibake in it.
    """
    chars = {"&", "\x1b", "\r", "\x0b", "\x0c", "\u2028", "\u2029"}
    chars |= {chr(code) for code in chardata.CONTROL_CHARS}
    chars |= {chr(code) for code in range(0x80, 0xA0)}  # C1 controls, NEL included
    chars |= {chr(code) for code in range(0xD800, 0xE000)}  # surrogates
    if config.fix_latin_ligatures:
        chars |= {chr(code) for code in chardata.LIGATURES}
    if config.fix_character_width:
        chars |= {chr(code) for code in chardata.WIDTH_MAP}
    if config.uncurl_quotes:
        chars |= {"\u02bc", *map(chr, range(0x2018, 0x2020))}
    return frozenset(chars)


def build_ftfy_sensitive_chars(config: ftfy.TextFixerConfig) -> frozenset[str]:
    """Collect every character that some ftfy fixer enabled in ``config`` reacts to.

    A line without any of them (and already normalised, when ftfy normalises) comes out of
    ``fix_and_explain`` unchanged: the encoding fixer only acts on characters of its single-byte
    encodings (a re-encoding needs every character of the line to be in one of them, and its
    inconsistent-UTF-8 pattern starts with one), and every other fixer has trigger characters
    (``build_ftfy_trigger_chars``). tests/repair/test_fixes_properties.py checks this against
    running ftfy on every line.
    """
    chars = set(build_ftfy_trigger_chars(config))
    for encoding in chardata.CHARMAP_ENCODINGS:
        chars |= set(bytes(range(0x80, 0x100)).decode(encoding, errors="ignore"))
    return frozenset(chars)


# Per profile: the characters that may send a line through ftfy (all other lines skip it).
SENSITIVE_CHARS = {
    name: build_ftfy_sensitive_chars(profile.ftfy) for name, profile in REPAIR_PROFILES.items()
}


def is_inert_line(line: str, sensitive: frozenset[str], normalization: str | None) -> bool:
    """Say whether ftfy provably leaves this line as it is (so it can be skipped).

    >>> sensitive = SENSITIVE_CHARS["default"]
    >>> is_inert_line("Plain words, 日本語。\\n", sensitive, None)
    True
    >>> is_inert_line("Tom &amp; Jerry", sensitive, None), is_inert_line("café", sensitive, None)
    (False, False)
    """
    if not sensitive.isdisjoint(line):
        return False
    return line.isascii() or normalization is None or unicodedata.is_normalized(normalization, line)


def is_clean_line(line: str, config: ftfy.TextFixerConfig) -> bool:
    """Say whether ftfy provably leaves a line holding letters of its single-byte encodings alone.

    That is so when no other fixer's trigger is in it and ftfy's own mojibake test finds nothing
    (asked through ``badness.is_bad``, which gives ftfy's answer several times faster).

    >>> is_clean_line("Trump’s café", DEFAULT_FTFY_CONFIG)
    True
    >>> is_clean_line("Trumpâ€™s café", DEFAULT_FTFY_CONFIG)
    False
    >>> is_clean_line("Tom &amp; Jérôme", DEFAULT_FTFY_CONFIG)
    False
    """
    triggers = build_ftfy_trigger_chars(config)
    return is_inert_line(line, triggers, config.normalization) and not is_bad(line)


def split_segments(text: str, max_length: int) -> list[str]:
    """Split text into lines that keep their LF, cutting overlong lines as ftfy's ``fix_text`` does.

    >>> split_segments("ab\\n\\ncdefg", 3)
    ['ab\\n', '\\n', 'cde', 'fg']
    """
    segments = []
    for line in text.split("\n"):
        segments.append(line + "\n")
    segments[-1] = segments[-1][:-1]
    return [
        segment[start : start + max_length]
        for segment in segments
        if segment
        for start in range(0, len(segment), max_length)
    ]


def fix_lines(
    text: str,
    config: ftfy.TextFixerConfig,
    sensitive: frozenset[str] | None = None,
    fixed_points: set[str] | None = None,
) -> tuple[str, list[str]]:
    """Run ftfy's ``fix_and_explain`` on each line, skipping the lines it provably leaves alone.

    With ``sensitive`` (a ``SENSITIVE_CHARS`` value), inert and clean lines are skipped. With
    ``fixed_points``, lines in it are skipped too, and every line known to come out of ftfy as it
    is gets added to it: the inert and clean lines, and every line ftfy returns
    (``fix_and_explain`` loops until nothing changes, so its output is a fixed point, unless the
    presence of "<", which switches entity unescaping, changed). Returns the text and, for lines
    that changed, ftfy's explanation steps as fix names, in order, with repeats.

    >>> fix_lines("Trumpâ€™s\\nfine\\n", DEFAULT_FTFY_CONFIG)
    ('Trump’s\\nfine\\n', ['ftfy:encode:sloppy-windows-1252', 'ftfy:decode:utf-8'])
    """
    if sensitive is not None and is_inert_line(text, sensitive, config.normalization):
        return text, []
    out: list[str] = []
    steps: list[str] = []
    # The slow path is the reference the fast path is proved against: ftfy exactly as shipped.
    with ftfy_using_fast_is_bad() if sensitive is not None else contextlib.nullcontext():
        for line in split_segments(text, config.max_decode_length):
            if sensitive is not None:
                if fixed_points is not None and line in fixed_points:
                    out.append(line)
                    continue
                if is_inert_line(line, sensitive, config.normalization) or is_clean_line(
                    line, config
                ):
                    out.append(line)
                    if fixed_points is not None:  # the next pass need not test it again
                        fixed_points.add(line)
                    continue
            fixed, explanation = ftfy.fix_and_explain(line, config)
            out.append(fixed)
            if fixed != line:  # ftfy can explain a step that changed nothing (C1 "\x81" stays)
                steps.extend(f"ftfy:{step.action}:{step.parameter}" for step in explanation or ())
            if fixed_points is not None and ("<" in fixed) == ("<" in line):
                fixed_points.add(fixed)
    return "".join(out), steps


def repair_once(
    text: str,
    profile: RepairProfile,
    sensitive: frozenset[str] | None,
    fixed_points: set[str] | None,
) -> tuple[str, list[str]]:
    """Run one pass of the repair steps; return the text and the names of the steps that acted."""
    steps: list[str] = []
    fixed = normalize_newlines(text)
    if fixed != text:
        steps.append("newlines_to_lf")
    fixed, ftfy_steps = fix_lines(fixed, profile.ftfy, sensitive, fixed_points)
    steps.extend(ftfy_steps)
    for name, step in WHITESPACE_STEPS:
        stepped = step(fixed)
        if stepped != fixed:
            steps.append(name)
            fixed = stepped
    if profile.nfc and not unicodedata.is_normalized("NFC", fixed):
        steps.append("nfc")
        fixed = unicodedata.normalize("NFC", fixed)
    return fixed, steps


def repair_text(text: str, profile: str = "default") -> tuple[str, tuple[str, ...]]:
    """Repair mojibake, entities, control characters and whitespace; return the fixes applied.

    ``fixes`` names each repair (see ``FIX_STEPS``) once, in the order it was first applied.
    Clean text comes back identical with no fixes. Never raises on a ``str``.

    >>> repair_text("Trumpâ€™s  \\r\\n\\r\\n\\r\\n&amp; co\\u00a0")
    ('Trump’s\\n\\n& co', ('newlines_to_lf', 'ftfy:encode:sloppy-windows-1252', \
'ftfy:decode:utf-8', 'ftfy:apply:unescape_html', 'odd_spaces_to_space', \
'trailing_spaces_trimmed', 'blank_lines_collapsed'))
    >>> repair_text("Already “clean” text.")
    ('Already “clean” text.', ())
    """
    return repair_with_profile(text, REPAIR_PROFILES[profile], SENSITIVE_CHARS[profile])


def repair_with_profile(
    text: str, profile: RepairProfile, sensitive: frozenset[str] | None
) -> tuple[str, tuple[str, ...]]:
    """Repair ``text`` with a profile; ``sensitive=None`` runs ftfy on every line (slow path).

    The fast path also remembers ftfy's output lines, so the pass that confirms the text no longer
    changes only runs ftfy on lines the whitespace steps altered.
    """
    applied: list[str] = []
    fixed_points: set[str] | None = set() if sensitive is not None else None
    for _ in range(MAX_PASSES):
        fixed, steps = repair_once(text, profile, sensitive, fixed_points)
        applied.extend(steps)
        if fixed == text:
            break
        text = fixed
    return text, tuple(dict.fromkeys(applied))
