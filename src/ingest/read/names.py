"""Input names as ``source`` strings: every name the file system gives, reversibly.

A POSIX file name is bytes. Python hands out names that are not UTF-8 with each undecodable byte
as a lone surrogate (``surrogateescape``), which no UTF-8 writer (Parquet, JSON, a terminal)
accepts. ``source_name`` writes each such byte as ``\\xHH`` (two lowercase hex digits) and a
backslash as ``\\\\``; every other character stays as it is, so a UTF-8 name without a backslash
is its own source. ``source_path_bytes`` undoes it.
"""

from __future__ import annotations

import os
import re

# Must match a backslash and the lone surrogates U+DC80..U+DCFF that surrogateescape makes of the
# bytes 0x80..0xFF; must not match any other character (a valid name stays unchanged).
ESCAPED_CHAR_RE = re.compile("[\\\\\udc80-\udcff]")
# Must match every escape source_name writes (``\\`` and ``\x80``..``\xff``) and a backslash
# starting anything else (group 1 empty: not a source name); must not match other characters.
ESCAPE_RE = re.compile(r"\\(\\|x[89a-f][0-9a-f])?")


def source_name(name: str) -> str:
    """The name as a valid string: undecodable bytes as ``\\xHH``, a backslash as ``\\\\``.

    >>> source_name(os.fsdecode(b"caf\\xe9.txt")), source_name("a\\\\b.txt"), source_name("é.txt")
    ('caf\\\\xe9.txt', 'a\\\\\\\\b.txt', 'é.txt')
    """
    decoded = os.fsencode(name).decode("utf-8", "surrogateescape")
    return ESCAPED_CHAR_RE.sub(_escape, decoded)


def source_path_bytes(source: str) -> bytes:
    """The bytes of the name a source was made from (for a JSON Lines ``path#N``, strip ``#N``).

    Raises ``ValueError`` for a string ``source_name`` cannot have written.

    >>> source_path_bytes("caf\\\\xe9.txt"), source_path_bytes("a\\\\\\\\b.txt")
    (b'caf\\xe9.txt', b'a\\\\b.txt')
    """
    return ESCAPE_RE.sub(_unescape, source).encode("utf-8", "surrogateescape")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return "\\\\" if char == "\\" else f"\\x{ord(char) - 0xDC00:02x}"


def _unescape(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape is None:
        msg = f"not a source name: a backslash at {match.start()} starts no escape"
        raise ValueError(msg)
    return "\\" if escape == "\\" else chr(0xDC00 + int(escape[1:], 16))
