"""What an output folder already holds, read cheaply from the id columns only."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
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


def record_key(source: str, doc_id: str) -> bytes:
    """The lookup key of one input's record: its source and doc_id together.

    Two inputs with the same bytes under different names have different keys, so a copy of a
    recorded input is not mistaken for the input itself.

    >>> record_key("a.txt", "0" * 32) == record_key("b.txt", "0" * 32)
    False
    """
    digest = hashlib.sha256(f"{source}\0{doc_id}".encode("utf-8", "surrogatepass")).digest()
    return digest[:KEY_BYTES] + KEY_END


def record_keys(sources: Iterable[str], doc_ids: Iterable[str | None]) -> np.ndarray:
    """The sorted record keys of (source, doc_id) pairs, pairs without a doc_id dropped."""
    keys = [record_key(s, d) for s, d in zip(sources, doc_ids, strict=True) if d]
    array = np.array(keys, dtype=f"S{KEY_BYTES + len(KEY_END)}")
    array.sort()
    return array


def contains(sorted_keys: np.ndarray, key: bytes) -> int:
    """The position of ``key`` in ``sorted_keys``, or -1."""
    at = int(np.searchsorted(sorted_keys, key))
    return at if at < len(sorted_keys) and sorted_keys[at] == key else -1


@dataclass(slots=True)
class SeenIndex:
    """Inputs already accounted for in an output folder, and bodies already kept.

    What the output held when loaded is kept as sorted 16-byte keys (about 80 bytes per record,
    so a million documents cost about 80 MB, not the ~300 MB of Python sets); what this process
    adds goes into small sets. ``doc_ids`` and ``content`` are the added ones; ``kept_ids`` the
    added doc_ids that were kept as documents.

    An input counts as recorded only under its own name (``is_recorded``): a copy of a recorded
    input under another name is processed, and becomes a ``duplicate`` reject of its own.
    """

    doc_ids: set[str] = field(default_factory=set)
    kept_ids: set[str] = field(default_factory=set)
    content: dict[str, str] = field(default_factory=dict)
    known_ids: np.ndarray = field(default_factory=lambda: hex_keys([]))
    known_digests: np.ndarray = field(default_factory=lambda: hex_keys([]))
    known_kept: np.ndarray = field(default_factory=lambda: hex_keys([]))
    known_records: np.ndarray = field(default_factory=lambda: record_keys([], []))
    known_documents: np.ndarray = field(default_factory=lambda: record_keys([], []))

    def is_known(self, doc_id: str) -> bool:
        """Whether the output held an input with this doc_id (under any name) when loaded."""
        return contains(self.known_ids, hex_key(doc_id)) >= 0

    def is_recorded(self, source: str, doc_id: str) -> bool:
        """Whether the output held a record of this very input (this source, these bytes)."""
        return contains(self.known_records, record_key(source, doc_id)) >= 0

    def is_kept_document(self, source: str, doc_id: str) -> bool:
        """Whether the output held this very input as a document (not as a reject)."""
        return contains(self.known_documents, record_key(source, doc_id)) >= 0

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
            known_records=self.known_records,
            known_documents=self.known_documents,
        )

    def add(self, doc_id: str, content_sha256: str | None = None) -> None:
        """Record an input (and, for a kept document, its body) as accounted for."""
        self.doc_ids.add(doc_id)
        if content_sha256 is not None:
            self.kept_ids.add(doc_id)
            self.content.setdefault(content_sha256, doc_id)


def load_seen_index(output: Output, exclude_runs: Collection[str] = ()) -> SeenIndex:
    """Read the ids of what ``output`` already holds (only the id columns, one file at a time).

    ``exclude_runs`` leaves out the files written by those runs: the run in progress and the
    interrupted runs it settles (``ingest.output.runs``).
    """
    store = output.store
    ids: list[np.ndarray] = []
    digests: list[np.ndarray] = []
    records: list[np.ndarray] = []
    documents: list[np.ndarray] = []
    for path in output.files(DOCUMENTS, exclude_runs=exclude_runs):
        table = store.read_table(path, columns=["doc_id", "source", "content_sha256"])
        doc_ids = table.column("doc_id").to_pylist()
        ids.append(hex_keys(doc_ids, sort=False))
        digests.append(hex_keys(table.column("content_sha256").to_pylist(), sort=False))
        documents.append(record_keys(table.column("source").to_pylist(), doc_ids))
    kept = np.concatenate([*ids, hex_keys([])])
    for path in output.files(REJECTS, exclude_runs=exclude_runs):
        table = store.read_table(path, columns=["doc_id", "source"])
        doc_ids = table.column("doc_id").to_pylist()
        ids.append(hex_keys(doc_ids))
        records.append(record_keys(table.column("source").to_pylist(), doc_ids))
    all_digests = np.concatenate([*digests, hex_keys([])])
    unique_digests, first = np.unique(all_digests, return_index=True)  # the first copy is kept
    known_ids = np.concatenate([*ids, hex_keys([])])
    known_ids.sort()
    known_documents = np.sort(np.concatenate([*documents, record_keys([], [])]))
    known_records = np.sort(np.concatenate([known_documents, *records]))
    return SeenIndex(
        known_ids=known_ids,
        known_digests=unique_digests,
        known_kept=kept[first],
        known_records=known_records,
        known_documents=known_documents,
    )


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
