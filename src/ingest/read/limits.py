"""Rejects of inputs that are not held whole: a bounded prefix of the bytes, the whole digest.

A file over the size limit, a WARC record too large to hold, or the stored bytes of a broken
WARC record are read in chunks: the reject's ``raw`` keeps at most ``RAW_PREFIX_BYTES`` from the
start, and its ``doc_id`` (and the SHA-256 its ``detail`` names) are those of all the bytes, so
the reject still identifies them, in memory bounded by the chunk size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import BinaryIO

from ingest.ids import DOC_ID_HEX_DIGITS
from ingest.records import Reject

RAW_PREFIX_BYTES = 1024 * 1024  # what a too_large reject keeps of its input: a Parquet cell
# holds less than 2 GiB, and a prefix is enough to see what the file was
HASH_CHUNK_BYTES = 1024 * 1024  # read size while hashing the rest of an oversized input


def read_chunks(handle: BinaryIO) -> Iterator[bytes]:
    """The bytes of ``handle`` from where it stands to its end, in chunks.

    >>> import io
    >>> list(read_chunks(io.BytesIO(b"abc")))
    [b'abc']
    """
    while chunk := handle.read(HASH_CHUNK_BYTES):
        yield chunk


def prefix_and_digest(head: bytes, rest: Iterator[bytes]) -> tuple[bytes, int, str]:
    """The first ``RAW_PREFIX_BYTES`` of ``head`` then ``rest``, their total size and SHA-256."""
    digest = hashlib.sha256(head)
    prefix = bytearray(head[:RAW_PREFIX_BYTES])
    size = len(head)
    for chunk in rest:
        digest.update(chunk)
        prefix += chunk[: RAW_PREFIX_BYTES - len(prefix)]
        size += len(chunk)
    return bytes(prefix), size, digest.hexdigest()


def oversize_reject(
    source: str, handle: BinaryIO, head: bytes, max_bytes: int, whole: str = "file"
) -> Reject:
    """A ``too_large`` reject for an input over ``max_bytes``, read in chunks from ``handle``.

    ``head`` is what was read already; ``whole`` names the input in the detail (a ``file``, a
    ``record``).
    """
    prefix, size, sha256 = prefix_and_digest(head, read_chunks(handle))
    detail = f"{size} bytes is more than the {max_bytes}-byte limit"
    return bounded_reject(source, "too_large", detail, (prefix, size, sha256), whole)


def bounded_reject(
    source: str, reason: str, detail: str, read: tuple[bytes, int, str], whole: str = "file"
) -> Reject:
    """A reject keeping the prefix of what was ``read`` (prefix, size in all, SHA-256 of all).

    >>> print(bounded_reject("a", "too_large", "Big", (b"xy", 9, "f00d")).detail)
    Big; raw holds only its first 2 bytes, the whole file's SHA-256 is f00d
    """
    data, size, sha256 = read
    raw = data[:RAW_PREFIX_BYTES]
    if len(raw) < size:
        detail += (
            f"; raw holds only its first {len(raw)} bytes, the whole {whole}'s SHA-256 is {sha256}"
        )
    doc_id = sha256[:DOC_ID_HEX_DIGITS]
    return Reject.unread(source, reason, detail, raw=raw, doc_id=doc_id)
