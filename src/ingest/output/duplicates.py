"""The duplicate policy: which inputs repeat which, which record is kept, the reject of the rest.

An input repeats another when its bytes are the same (the same doc_id) or its clean body is the
same (the same ``content_sha256``). The first in input order is kept, as a document; every later
one becomes a ``duplicate`` reject that names the kept document and carries its own raw bytes.

A batch settles what it can see: inputs already in the output (``SeenIndex``) and earlier in the
same batch (``same_bytes_again``, ``keep_or_reject``). Two batches running at once can both keep
the same body; after the batches, ``ingest.output.settle`` keeps the first copy in input order
and turns each later one into the same ``duplicate`` reject.

Only a copy of a kept document is a ``duplicate``: inputs with the same bytes as a reject (two
empty files) are each rejected for their own reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from ingest.output.dataset import SeenIndex
from ingest.read.files import InputFile, read_input_file
from ingest.records import Document, RawInput, Reject


def duplicate_reject(item: RawInput | Reject, kept: str) -> Reject:
    """The ``duplicate`` reject of an input whose body (or bytes) was already kept as ``kept``."""
    detail = f"the same body was already kept as document {kept}"
    return Reject.of(item, "duplicate", detail, duplicate_of=kept)


def same_bytes_again(item: RawInput | Reject, seen: SeenIndex) -> Reject | None:
    """A ``duplicate`` reject when this batch already kept the same bytes as a document, else None.

    Bytes this batch rejected are processed again: the copy gets the same reason as the first.
    """
    if item.doc_id is not None and item.doc_id in seen.kept_ids:
        return duplicate_reject(item, item.doc_id)
    return None


def keep_or_reject(result: Document | Reject, item: RawInput, seen: SeenIndex) -> Document | Reject:
    """``result``, or a ``duplicate`` reject of ``item`` when its body was already kept.

    The body's kept document may be this very input, read again (``--force``): then it stays
    a document. A copy of it under another name is a duplicate, even with the same bytes.
    """
    if not isinstance(result, Document):
        return result
    kept = seen.kept_for(result.content_sha256)
    if kept is None:
        return result
    if kept == result.doc_id and seen.is_kept_document(item.source, item.doc_id):
        return result
    return duplicate_reject(item, kept)


def chunk_by_bytes(items: Iterable[RawInput], limit: int) -> Iterator[list[RawInput]]:
    """Group raw inputs in order into lists holding at most ``limit`` raw bytes (at least one).

    >>> raw = lambda n: RawInput(source=str(n), raw=b"x" * n)
    >>> [[r.source for r in chunk] for chunk in chunk_by_bytes(map(raw, [3, 3, 5, 1]), 6)]
    [['3', '3'], ['5', '1']]
    """
    chunk: list[RawInput] = []
    size = 0
    for item in items:
        if chunk and size + len(item.raw) > limit:
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += len(item.raw)
    if chunk:
        yield chunk


def read_raw_inputs(
    files: Sequence[InputFile], sources: set[str], max_bytes: int
) -> Iterator[RawInput]:
    """The raw inputs named in ``sources`` (JSON Lines lines included), read again from disk."""
    names = sources | {source.rsplit("#", 1)[0] for source in sources}  # JSONL: path#line
    for file in files:
        if file.source not in names:
            continue
        for item in read_input_file(file, max_bytes):
            if isinstance(item, RawInput) and item.source in sources:
                yield item
