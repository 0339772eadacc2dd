"""Bytes to text: find the encoding, or say why the bytes are not a text document.

``decode_and_explain(raw) -> Decoded`` gives the text, the encoding label and the decoding fixes
(today only ``"decode:replaced_invalid_utf8"``), which the pipeline puts in front of the repair
step's fixes in the ``fixes`` column. It raises ``RejectInput(reason, detail)`` with a reason
from ``ingest.reasons.REASONS`` when the bytes are not a text document.

The order of the checks (cheapest and most certain first):

1. empty or whitespace-only bytes;
2. byte-order marks (UTF-32 before UTF-16, whose LE mark is a prefix of UTF-32 LE's);
3. magic numbers of binary formats (a prefix comparison; it comes before UTF-8 because an
   all-ASCII PDF or GIF header is valid UTF-8);
4. NUL bytes: BOM-less UTF-32/UTF-16 by the position of the NULs, else a reject;
5. strict UTF-8 (most inputs stop here), then UTF-8 with replacement when nearly all of the
   non-ASCII is valid UTF-8 and only a few bytes are stray;
6. the share of control bytes (random binary data);
7. charset-normalizer, first restricted to Western single-byte encodings, then unrestricted.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

from ingest.errors import RejectInput

# Fix step recorded when invalid UTF-8 bytes were replaced by U+FFFD (see FIX_STEPS in repair.py).
REPLACED_INVALID_UTF8 = "decode:replaced_invalid_utf8"

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE mark.
BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# Signatures of binary formats a scraper may save by mistake: (prefix, offset, format name).
# Only signatures that cannot begin a plain-text article: each holds a control byte, a byte that is
# invalid in text, or a string no article starts with.
MAGIC_NUMBERS: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"WEBP", 8, "WebP image"),  # after b"RIFF" and a 4-byte size, checked together with RIFF
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"\x00\x00\x01\x00", 0, "ICO image"),
    (b"%PDF-", 0, "PDF document"),
    (b"PK\x03\x04", 0, "zip archive"),
    (b"PK\x05\x06", 0, "zip archive"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"BZh", 0, "bzip2 archive"),  # only with the block magic at offset 4, see _BZIP2_BLOCK
    (b"\xfd7zXZ\x00", 0, "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z archive"),
    (b"\x28\xb5\x2f\xfd", 0, "zstd archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"\x00asm", 0, "WebAssembly module"),
    (b"OggS\x00", 0, "Ogg media"),
    (b"ID3", 0, "MP3 audio"),  # only with a version byte below 0x10, see _looks_like_id3
    (b"ftyp", 4, "MP4/QuickTime media"),
    (b"\x1aE\xdf\xa3", 0, "Matroska/WebM media"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"wOFF", 0, "WOFF font"),
    (b"wOF2", 0, "WOFF2 font"),
)
_BZIP2_BLOCK = b"1AY&SY"

# Control bytes that plain text does not contain: C0 controls except tab, LF, VT, FF, CR and ESC
# (ESC starts terminal colour codes, which the repair step removes). NUL is handled separately.
_TEXT_CONTROL_BYTES = frozenset(b"\t\n\x0b\x0c\r\x1b")
_BINARY_CONTROL_BYTES = frozenset(range(1, 0x20)) - _TEXT_CONTROL_BYTES
_BINARY_CONTROL_DELETE = bytes(sorted(_BINARY_CONTROL_BYTES))
# The same controls and NUL, as characters of decoded text (one scan finds them all).
_CONTROL_CHARS = "".join(map(chr, sorted(_BINARY_CONTROL_BYTES | {0})))
_CONTROL_CHAR_RE = re.compile(f"[{re.escape(_CONTROL_CHARS)}]")

# More than this share of binary control bytes (random data has about 11%) means binary content.
MAX_CONTROL_SHARE = 0.05
# A run of this many NUL bytes is padding of a binary structure, not a stray NUL in text.
NUL_RUN = b"\x00" * 8
# BOM-less UTF-16/32 is recognised when at least this share of the code units has the NUL pattern.
MIN_WIDE_NUL_SHARE = 0.3
# Invalid UTF-8 is replaced (rather than trying legacy encodings) when at least this many valid
# non-ASCII characters come for each invalid byte sequence. Legacy-encoded text almost never
# holds a valid multi-byte UTF-8 sequence, so one valid accent per stray byte is evidence enough
# (a single stray byte in English text with one accented word is still UTF-8).
MIN_VALID_PER_INVALID_UTF8 = 1

# Western single-byte encodings tried first. Unrestricted, charset-normalizer reads most Western
# cp1252 text as cp1250 (measured: 45 of 50 docs); restricted to these it gets 100 of 100, and it
# returns nothing for Cyrillic, Greek, Central European or CJK bytes, which then go to the
# unrestricted detection (tests/read/test_decode.py covers each).
WESTERN_CANDIDATES = ["cp1252", "latin_1"]

# Labels users know, for the names charset-normalizer returns. A label is used only when decoding
# the bytes with it gives exactly the same text (cp932 is a superset of shift_jis, cp949 of euc-kr).
PREFERRED_LABELS: dict[str, str] = {
    "cp932": "shift_jis",
    "shift_jis_2004": "shift_jis",
    "shift_jisx0213": "shift_jis",
    "cp949": "euc-kr",
    "euc_kr": "euc-kr",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "koi8_r": "koi8-r",
    "koi8_u": "koi8-u",
    "latin_1": "latin-1",
    "utf_8": "utf-8",
    "ascii": "utf-8",
    "euc_jp": "euc-jp",
    "big5": "big5",
}


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text, the label of the encoding it was read with, and the decoding fixes applied."""

    text: str
    encoding: str
    fixes: tuple[str, ...] = ()


def decode_and_explain(raw: bytes) -> Decoded:
    """Decode scraped bytes, or raise ``RejectInput`` saying why they are not a text document.

    A UTF-8 byte-order mark is stripped and reported as ``"utf-8"``.

    >>> decode_and_explain(b"\\xef\\xbb\\xbfhi")
    Decoded(text='hi', encoding='utf-8', fixes=())
    """
    if not raw.strip():
        raise RejectInput("empty_input", f"The input holds {len(raw)} bytes and no text.")
    decoded = decode_with_bom(raw)
    if decoded is None:
        reject_binary_signature(raw)
        if b"\x00" in raw:
            decoded = decode_wide_unicode(raw)
            if decoded is None:
                reject_nul_bytes(raw)
        else:
            decoded = decode_utf8(raw) or decode_legacy(raw)
    check_decoded_text(decoded.text)
    return decoded


def decode_with_bom(raw: bytes) -> Decoded | None:
    """Decode bytes that start with a byte-order mark; None without one or when it does not fit.

    >>> decode_with_bom(b"\\xff\\xfeh\\x00i\\x00")
    Decoded(text='hi', encoding='utf-16', fixes=())
    >>> decode_with_bom(b"hi") is None
    True
    """
    for bom, codec, label in BOMS:
        if raw.startswith(bom):
            body = raw[len(bom) :]
            if codec == "utf-8":
                return decode_utf8(body)
            try:
                return Decoded(body.decode(codec), label)
            except UnicodeDecodeError:
                return None  # a legacy text that happens to start with these bytes (e.g. "ÿþ")
    return None


def reject_binary_signature(raw: bytes) -> None:
    """Raise ``binary_content`` when the bytes start with the signature of a binary format.

    >>> reject_binary_signature(b"%PDF-1.4 ...")
    Traceback (most recent call last):
    ingest.errors.RejectInput: binary_content: The input is a PDF document (its first bytes say so).
    """
    for magic, offset, name in MAGIC_NUMBERS:
        if raw.startswith(magic, offset) and confirm_signature(raw, magic):
            msg = f"The input is a {name} (its first bytes say so)."
            raise RejectInput("binary_content", msg)


def confirm_signature(raw: bytes, magic: bytes) -> bool:
    """Check the second half of the signatures whose first bytes alone could begin a text.

    >>> confirm_signature(b"BZh91AY&SY...", b"BZh"), confirm_signature(b"BZh is a word", b"BZh")
    (True, False)
    """
    if magic == b"WEBP":
        return raw.startswith(b"RIFF")
    if magic == b"BZh":
        return raw.startswith(_BZIP2_BLOCK, 4)
    if magic == b"ID3":
        return len(raw) > 3 and raw[3] < 0x10
    return True


def decode_wide_unicode(raw: bytes) -> Decoded | None:
    """Decode BOM-less UTF-32 or UTF-16 recognised by where its NUL bytes sit; else None.

    Text in Latin scripts has a NUL in every other byte in UTF-16 (the odd ones in little-endian)
    and three NULs in every four bytes in UTF-32.

    >>> decode_wide_unicode("Hi there".encode("utf-16-be"))
    Decoded(text='Hi there', encoding='utf-16-be', fixes=())
    >>> decode_wide_unicode(b"ab\\x00cd") is None
    True
    """
    for width, codec in ((4, "utf-32-le"), (4, "utf-32-be"), (2, "utf-16-le"), (2, "utf-16-be")):
        if len(raw) % width or not has_wide_nul_pattern(raw, width, codec.endswith("le")):
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return Decoded(text, codec)
    return None


def has_wide_nul_pattern(raw: bytes, width: int, little_endian: bool) -> bool:
    """Say whether NULs sit where UTF-16 (width 2) or UTF-32 (width 4) puts them for Latin text.

    >>> has_wide_nul_pattern("abc".encode("utf-16-le"), 2, True)
    True
    >>> has_wide_nul_pattern("abc".encode("utf-16-le"), 2, False)
    False
    """
    units = len(raw) // width
    high = slice(width - 1, None, width) if little_endian else slice(0, None, width)
    low = slice(0, None, width) if little_endian else slice(width - 1, None, width)
    # The high byte of Latin letters is NUL; the low byte is NUL only for rare characters (U+0100).
    return raw[high].count(0) >= MIN_WIDE_NUL_SHARE * units > 20 * raw[low].count(0)


def reject_nul_bytes(raw: bytes) -> None:
    """Raise for NUL bytes that no UTF-16/32 reading explains: binary data, or text holding NULs.

    >>> reject_nul_bytes(b"abc\\x00def")
    Traceback (most recent call last):
    ingest.errors.RejectInput: nul_bytes: The text holds 1 NUL byte(s), first at offset 3.
    """
    if NUL_RUN in raw or count_binary_controls(raw) > MAX_CONTROL_SHARE * len(raw):
        msg = f"The input holds {raw.count(0)} NUL bytes among binary data."
        raise RejectInput("binary_content", msg)
    msg = f"The text holds {raw.count(0)} NUL byte(s), first at offset {raw.index(0)}."
    raise RejectInput("nul_bytes", msg)


def count_binary_controls(raw: bytes) -> int:
    """Count the control bytes other than NUL that do not occur in plain text.

    >>> count_binary_controls(b"a\\tb\\nc\\x01\\x02\\x00")
    2
    """
    return len(raw) - len(raw.translate(None, _BINARY_CONTROL_DELETE))


def decode_utf8(raw: bytes) -> Decoded | None:
    """Decode UTF-8; replace a few stray invalid bytes when nearly all the rest is valid UTF-8.

    None means the bytes are not UTF-8 (for instance cp1252, where every accent is invalid UTF-8).

    >>> decode_utf8("naïve".encode())
    Decoded(text='naïve', encoding='utf-8', fixes=())
    >>> decode_utf8("é è ê ë".encode() + b" \\x92")
    Decoded(text='é è ê ë �', encoding='utf-8', fixes=('decode:replaced_invalid_utf8',))
    >>> decode_utf8("café".encode("cp1252")) is None
    True
    """
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    replacements_in_input = raw.count("\ufffd".encode())
    invalid = text.count("\ufffd") - replacements_in_input
    valid_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - invalid
    if valid_non_ascii >= MIN_VALID_PER_INVALID_UTF8 * invalid:
        return Decoded(text, "utf-8", (REPLACED_INVALID_UTF8,))
    return None


def decode_legacy(raw: bytes) -> Decoded:
    """Detect a legacy encoding with charset-normalizer, trying Western encodings first.

    >>> text = "Москва - столица России. Население более двенадцати миллионов человек."
    >>> decode_legacy(text.encode("koi8-r")).encoding
    'koi8-r'
    """
    if count_binary_controls(raw) > MAX_CONTROL_SHARE * len(raw):
        msg = "More than 5% of the bytes are control bytes, as in binary data."
        raise RejectInput("binary_content", msg)
    match = charset_normalizer.from_bytes(raw, cp_isolation=WESTERN_CANDIDATES).best()
    if match is None:
        match = charset_normalizer.from_bytes(raw).best()
    if match is None:
        msg = "Neither UTF-8 nor any legacy encoding decodes the bytes into plausible text."
        raise RejectInput("undecodable_bytes", msg)
    text = str(match)
    return Decoded(text, label_encoding(match.encoding, raw, text))


def label_encoding(name: str, raw: bytes, text: str) -> str:
    """Turn a Python codec name into the label users know, when that label decodes the same.

    >>> label_encoding("cp932", "日本".encode("shift_jis"), "日本")
    'shift_jis'
    >>> label_encoding("mac_cyrillic", b"", "")
    'mac-cyrillic'
    """
    label = PREFERRED_LABELS.get(name)
    if label is not None:
        try:
            if raw.decode(label) == text:
                return label
        except UnicodeDecodeError:
            pass
    return name.replace("_", "-")


def check_decoded_text(text: str) -> None:
    """Reject decoded text that is blank, mostly control characters, or holds NULs.

    >>> check_decoded_text(" \\u3000\\n")
    Traceback (most recent call last):
    ingest.errors.RejectInput: empty_input: The decoded text holds only whitespace.
    """
    if not text.strip():
        raise RejectInput("empty_input", "The decoded text holds only whitespace.")
    controls = len(_CONTROL_CHAR_RE.findall(text)) if _CONTROL_CHAR_RE.search(text) else 0
    if controls > MAX_CONTROL_SHARE * len(text):
        msg = "More than 5% of the decoded characters are control characters, as in binary data."
        raise RejectInput("binary_content", msg)
    if "\x00" in text:
        msg = f"The decoded text holds {text.count(chr(0))} NUL character(s)."
        raise RejectInput("nul_bytes", msg)
