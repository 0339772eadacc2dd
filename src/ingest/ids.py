"""Stable identifiers derived from content."""

from __future__ import annotations

import hashlib

DOC_ID_HEX_DIGITS = 32  # 128 bits: collisions are out of reach for any corpus


def make_doc_id(raw: bytes) -> str:
    """The document id: the first 32 hex digits of SHA-256 over the input bytes.

    >>> make_doc_id(b"hello")
    '2cf24dba5fb0a30e26e83b2ac5b9e29e'
    """
    return hashlib.sha256(raw).hexdigest()[:DOC_ID_HEX_DIGITS]


def make_content_sha256(body: str) -> str:
    """Hex SHA-256 of the body's UTF-8 bytes, for exact-duplicate detection.

    >>> make_content_sha256("")[:12]
    'e3b0c44298fc'
    """
    return hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()
