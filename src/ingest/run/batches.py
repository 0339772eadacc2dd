"""One batch of input files: read, process, write one documents file and one rejects file.

This is the unit of work a flow's task runs. It holds one batch in memory at a time (the batch
is sized by bytes), and its output file names depend only on the run and the batch number, so a
retried batch replaces its own files instead of adding to them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from ingest.config import DEFAULT_CONFIG, PipelineConfig
from ingest.ids import make_doc_id
from ingest.output.dataset import DOCUMENTS_DIR, REJECTS_DIR, SeenIndex
from ingest.output.manifest import MANIFEST_DIR, manifest_table
from ingest.output.parquet import RunInfo, documents_table, rejects_table, write_table
from ingest.output.store import open_store
from ingest.pipeline import process_document
from ingest.read.files import InputFile, read_input_file
from ingest.records import Document, RawInput, Reject
from ingest.run.summary import RunSummary


def shard_files(
    files: Sequence[InputFile], max_files: int, max_bytes: int
) -> list[list[InputFile]]:
    """Split files into batches of at most ``max_files`` files and about ``max_bytes`` bytes.

    A single file larger than ``max_bytes`` gets a batch of its own.

    >>> from ingest.read.files import InputFile
    >>> files = [InputFile(str(i), str(i), 40, 0) for i in range(5)]
    >>> [len(b) for b in shard_files(files, max_files=3, max_bytes=100)]
    [2, 2, 1]
    """
    batches: list[list[InputFile]] = []
    current: list[InputFile] = []
    current_bytes = 0
    for file in files:
        too_many = len(current) >= max_files
        too_big = current and current_bytes + file.size > max_bytes
        if too_many or too_big:
            batches.append(current)
            current, current_bytes = [], 0
        current.append(file)
        current_bytes += file.size
    if current:
        batches.append(current)
    return batches


MIN_BATCH_BYTES = 1_000_000  # about 1 s of work: Prefect's per-task cost stays under a few %


def balanced_batch_bytes(total_bytes: int, workers: int, max_bytes: int) -> int:
    """Batch size for a run: at most ``max_bytes``, small enough to give every worker two batches.

    A small run would otherwise fit in one batch and leave the other workers idle; batches never
    go below ``MIN_BATCH_BYTES``, where Prefect's cost per task starts to show.

    >>> balanced_batch_bytes(2_300_000, workers=2, max_bytes=4_000_000)
    1000000
    >>> balanced_batch_bytes(120_000_000, workers=2, max_bytes=4_000_000)
    4000000
    """
    share = -(-total_bytes // max(2 * workers, 1))
    return max(MIN_BATCH_BYTES, min(max_bytes, share))


def process_files(
    files: Iterable[InputFile],
    seen: SeenIndex,
    config: PipelineConfig = DEFAULT_CONFIG,
    *,
    skip_known: bool = True,
) -> tuple[list[Document], list[Reject], RunSummary]:
    """Documents and rejects for the inputs in ``files`` not already in ``seen``.

    With ``skip_known`` off (``--force``), inputs already in the output are processed again.

    ``seen`` is updated as documents are kept, so an exact duplicate later in the same batch
    becomes a ``duplicate`` reject naming the kept document.
    """
    documents: list[Document] = []
    rejects: list[Reject] = []
    summary = RunSummary()
    for file in files:
        summary.files += 1
        for item in read_input_file(file, config.max_input_bytes):
            doc_id = item.doc_id if isinstance(item, Reject) else make_doc_id(item.raw)
            if skip_known and doc_id is not None and seen.is_known(doc_id):
                summary.skipped += 1
                continue
            if doc_id is not None and doc_id in seen.doc_ids:  # the same bytes again, this run
                result: Document | Reject = make_duplicate(item, doc_id, doc_id)
            elif isinstance(item, Reject):
                result = item
            else:
                result = reject_if_duplicate(process_document(item, config), item.raw, seen)
            if isinstance(result, Document):
                documents.append(result)
                summary.count_document(result)
            else:
                rejects.append(result)
                summary.count_reject(result)
            if doc_id is not None:
                seen.add(doc_id, result.content_sha256 if isinstance(result, Document) else None)
    return documents, rejects, summary


def reject_if_duplicate(
    result: Document | Reject, raw: bytes, seen: SeenIndex
) -> Document | Reject:
    """A ``duplicate`` reject when a document with the same body was already kept."""
    if not isinstance(result, Document):
        return result
    kept = seen.kept_for(result.content_sha256)
    if kept is None or kept == result.doc_id:
        return result
    return make_duplicate(RawInput(result.source, raw), result.doc_id, kept)


def make_duplicate(item: RawInput | Reject, doc_id: str, kept: str) -> Reject:
    """A ``duplicate`` reject for an input whose body (or bytes) was already kept as ``kept``."""
    return Reject(
        source=item.source,
        reason="duplicate",
        detail=f"the same body was already kept as document {kept}",
        raw=item.raw,
        doc_id=doc_id,
        duplicate_of=kept,
    )


def write_batch_files(
    documents: Sequence[Document],
    rejects: Sequence[Reject],
    output: str | os.PathLike[str],
    run: RunInfo,
    batch_index: int,
    files: Sequence[InputFile] = (),
) -> list[str]:
    """Write a batch's documents and rejects, then list its input files in the manifest.

    Each goes to its own file named by run and batch. The manifest comes last, so a crash
    before it only means the files are read again (and skipped by doc_id) next time. Files that
    could not be read are left out of the manifest, so the next run tries them again.
    """
    store = open_store(output)
    name = f"part-{run.run_id}-{batch_index:05d}.parquet"
    written: list[str] = []
    if documents:
        path = store.path(DOCUMENTS_DIR, name)
        write_table(store, documents_table(documents, run), path)
        written.append(store.display(path))
    if rejects:
        path = store.path(REJECTS_DIR, name)
        write_table(store, rejects_table(rejects, run), path)
        written.append(store.display(path))
    unreadable = {r.source for r in rejects if r.reason == "unreadable_input"}
    accounted = [f for f in files if f.source not in unreadable]
    if accounted:
        table = manifest_table(accounted, run.run_id)
        write_table(store, table, store.path(MANIFEST_DIR, name))
    return written
