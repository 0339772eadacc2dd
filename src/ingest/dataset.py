"""What an output folder already holds, read cheaply from the id columns only."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from ingest.writers import TEMP_PREFIX, TEMP_SUFFIX

DOCUMENTS_DIR = "documents"
REJECTS_DIR = "rejects"


@dataclass(slots=True)
class SeenIndex:
    """Inputs already accounted for in an output folder.

    ``doc_ids``: every input (document or reject) already written, so a re-run skips it.
    ``content``: content_sha256 -> doc_id of the kept document, to reject exact duplicates.
    """

    doc_ids: set[str] = field(default_factory=set)
    content: dict[str, str] = field(default_factory=dict)


def list_parquet_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Finished Parquet files under ``folder`` (temporary files of unfinished writes excluded)."""
    root = Path(folder)
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob("*.parquet")
        if not any(part.startswith((TEMP_PREFIX, "_")) for part in path.relative_to(root).parts)
    )


def load_seen_index(output: str | os.PathLike[str]) -> SeenIndex:
    """Read the ids of what ``output`` already holds (only the id columns are read)."""
    index = SeenIndex()
    for path in list_parquet_files(Path(output) / DOCUMENTS_DIR):
        table = pq.read_table(path, columns=["doc_id", "content_sha256"])
        ids = table.column("doc_id").to_pylist()
        index.doc_ids.update(ids)
        for digest, doc_id in zip(table.column("content_sha256").to_pylist(), ids, strict=True):
            index.content.setdefault(digest, doc_id)
    for path in list_parquet_files(Path(output) / REJECTS_DIR):
        ids = pq.read_table(path, columns=["doc_id"]).column("doc_id").to_pylist()
        index.doc_ids.update(i for i in ids if i is not None)
    return index


def remove_stale_temp_files(output: str | os.PathLike[str]) -> int:
    """Delete the temporary files of writes that never finished (a killed run); return how many.

    Only call this while holding the output's lock: then no write is in progress, so every
    temporary file is a leftover.
    """
    root = Path(output)
    if not root.is_dir():
        return 0
    stale = [p for p in root.rglob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}") if p.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)
