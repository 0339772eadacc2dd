"""What an output folder already holds, read cheaply from the id columns only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from ingest.output.layout import DOCUMENTS, REJECTS, Output

KEY_BYTES = 16  # ids and digests are compared on their first 128 bits
# numpy's fixed-width bytes drop trailing NUL bytes, so every key ends in this marker byte.
KEY_END = b"\x01"


def hex_keys(values: Iterable[str | None], *, sort: bool = True) -> np.ndarray:
    """The first 128 bits of hex ids as fixed-width bytes (nulls dropped), sorted by default."""
    keys = np.array([hex_key(v) for v in values if v], dtype=f"S{KEY_BYTES + len(KEY_END)}")
    if sort:
        keys.sort()
    return keys


def hex_key(value: str) -> bytes:
    """The lookup key of a hex id or digest.

    >>> hex_key("00" * 16)
    b'\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x01'
    """
    return bytes.fromhex(value[: KEY_BYTES * 2]) + KEY_END


def contains(sorted_keys: np.ndarray, key: bytes) -> int:
    """The position of ``key`` in ``sorted_keys``, or -1."""
    at = int(np.searchsorted(sorted_keys, key))
    return at if at < len(sorted_keys) and sorted_keys[at] == key else -1


@dataclass(slots=True)
class SeenIndex:
    """Inputs already accounted for in an output folder, and bodies already kept.

    What the output held when loaded is kept as sorted 16-byte keys (48 bytes per document, so a
    million documents cost about 50 MB, not the ~300 MB of Python sets); what this process adds
    goes into small sets. ``doc_ids`` and ``content`` are the added ones.
    """

    doc_ids: set[str] = field(default_factory=set)
    content: dict[str, str] = field(default_factory=dict)
    known_ids: np.ndarray = field(default_factory=lambda: hex_keys([]))
    known_digests: np.ndarray = field(default_factory=lambda: hex_keys([]))
    known_kept: np.ndarray = field(default_factory=lambda: hex_keys([]))

    def is_known(self, doc_id: str) -> bool:
        """Whether the output held an input with this doc_id when the index was loaded."""
        return contains(self.known_ids, hex_key(doc_id)) >= 0

    def kept_for(self, content_sha256: str) -> str | None:
        """The doc_id of the document already kept with this body, if any."""
        kept = self.content.get(content_sha256)
        if kept is not None:
            return kept
        at = contains(self.known_digests, hex_key(content_sha256))
        return bytes(self.known_kept[at])[:KEY_BYTES].hex() if at >= 0 else None

    def for_batch(self) -> SeenIndex:
        """A fresh view for one batch: the loaded keys shared, nothing added yet.

        A batch (or its retry) then decides the same way whichever process runs it and
        whatever ran there before; repeats across batches are settled after the run.
        """
        return SeenIndex(
            known_ids=self.known_ids,
            known_digests=self.known_digests,
            known_kept=self.known_kept,
        )

    def add(self, doc_id: str, content_sha256: str | None = None) -> None:
        """Record an input (and, for a kept document, its body) as accounted for."""
        self.doc_ids.add(doc_id)
        if content_sha256 is not None:
            self.content.setdefault(content_sha256, doc_id)


def load_seen_index(output: Output, exclude_run: str | None = None) -> SeenIndex:
    """Read the ids of what ``output`` already holds (only the id columns, one file at a time).

    ``exclude_run`` leaves out the files written by that run.
    """
    store = output.store
    ids: list[np.ndarray] = []
    digests: list[np.ndarray] = []
    for path in output.files(DOCUMENTS, exclude_run=exclude_run):
        table = store.read_table(path, columns=["doc_id", "content_sha256"])
        ids.append(hex_keys(table.column("doc_id").to_pylist(), sort=False))
        digests.append(hex_keys(table.column("content_sha256").to_pylist(), sort=False))
    kept = np.concatenate([*ids, hex_keys([])])
    for path in output.files(REJECTS, exclude_run=exclude_run):
        table = store.read_table(path, columns=["doc_id"])
        ids.append(hex_keys(table.column("doc_id").to_pylist()))
    all_digests = np.concatenate([*digests, hex_keys([])])
    unique_digests, first = np.unique(all_digests, return_index=True)  # the first copy is kept
    known_ids = np.concatenate([*ids, hex_keys([])])
    known_ids.sort()
    return SeenIndex(known_ids=known_ids, known_digests=unique_digests, known_kept=kept[first])


def remove_stale_temp_files(output: Output) -> int:
    """Delete the temporary files of writes that never finished (a killed run); return how many.

    Only call this while holding the output's lock: then no write is in progress, so every
    temporary file is a leftover. (Object stores never get temporary objects: an unfinished
    upload is not an object at all.)
    """
    stale = output.store.temp_files()
    for path in stale:
        output.store.delete(path)
    return len(stale)
