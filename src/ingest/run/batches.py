"""One batch of input files: read, process, write one documents file and one rejects file.

This is the unit of work a flow's task runs. It holds one batch in memory at a time (the batch
is sized by bytes), and its output file names depend only on the run and the batch number, so a
retried batch replaces its own files instead of adding to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from ingest.config import DEFAULT_CONFIG, PipelineConfig
from ingest.output.dataset import SeenIndex
from ingest.output.duplicates import keep_or_reject, same_bytes_again
from ingest.output.layout import DOCUMENTS, MANIFEST, REJECTS, Output
from ingest.output.manifest import manifest_table
from ingest.output.parquet import RunInfo, documents_table, rejects_table, write_table
from ingest.pipeline import process_document
from ingest.read.files import InputFile, read_input_file
from ingest.records import Document, Reject
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


# Enough work per batch that Prefect's fixed cost per task run is a small share of it.
MIN_BATCH_BYTES = 1_000_000


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
    on_file: Callable[[RunSummary], None] | None = None,
) -> tuple[list[Document], list[Reject], RunSummary]:
    """Documents and rejects for the inputs in ``files`` not already in ``seen``.

    An input is skipped only when ``seen`` holds a record of it under its own source with the
    same bytes; a copy under another name is processed (and becomes a ``duplicate`` reject).
    With ``skip_known`` off (``--force``), inputs already in the output are processed again.
    ``on_file`` gets the batch's counts so far after each file (for progress).

    ``seen`` is updated as documents are kept, so an exact duplicate later in the same batch
    becomes a ``duplicate`` reject naming the kept document (``ingest.output.duplicates``).
    """
    documents: list[Document] = []
    rejects: list[Reject] = []
    summary = RunSummary()
    for file in files:
        summary.files += 1
        for item in read_input_file(file, config.max_input_bytes):
            doc_id = item.doc_id
            if skip_known and doc_id is not None and seen.is_recorded(item.source, doc_id):
                summary.skipped += 1
                continue
            repeated = same_bytes_again(item, seen)
            if repeated is not None:
                result: Document | Reject = repeated
            elif isinstance(item, Reject):
                result = item
            else:
                result = keep_or_reject(process_document(item, config), item, seen)
            result = replace(result, input_root=file.root)
            if isinstance(result, Document):
                documents.append(result)
                summary.count_document(result)
            else:
                rejects.append(result)
                summary.count_reject(result)
            if doc_id is not None:
                seen.add(doc_id, result.content_sha256 if isinstance(result, Document) else None)
        if on_file is not None:
            on_file(summary)
    return documents, rejects, summary


def write_batch_files(
    documents: Sequence[Document],
    rejects: Sequence[Reject],
    output: Output,
    run: RunInfo,
    batch_index: int,
    files: Sequence[InputFile] = (),
) -> list[str]:
    """Write a batch's documents and rejects, then list its input files in the manifest.

    Each goes to its own file named by run and batch. The manifest comes last, so a crash
    before it only means the files are read again (and skipped by doc_id) next time. Files that
    could not be read are left out of the manifest, so the next run tries them again.
    """
    store = output.store
    written: list[str] = []
    if documents:
        path = output.batch_file(DOCUMENTS, run.run_id, batch_index)
        write_table(store, documents_table(documents, run), path)
        written.append(output.display(path))
    if rejects:
        path = output.batch_file(REJECTS, run.run_id, batch_index)
        write_table(store, rejects_table(rejects, run), path)
        written.append(output.display(path))
    unreadable = {r.source for r in rejects if r.reason == "unreadable_input"}
    accounted = [f for f in files if f.source not in unreadable]
    if accounted:
        table = manifest_table(accounted, run.run_id)
        write_table(store, table, output.batch_file(MANIFEST, run.run_id, batch_index))
    return written
