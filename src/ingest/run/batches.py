"""One batch of input files: read, process, write one documents file and one rejects file.

This is the unit of work a flow's task runs. A batch is sized by bytes, and its records stream
from the reader to the writer, which holds a bounded part of them at a time (a single WARC file
of any size is one batch). Its output file names depend only on the run and the batch number, so
a retried batch replaces its own files instead of adding to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import replace

from ingest.config import DEFAULT_CONFIG, PipelineConfig
from ingest.output.dataset import SeenIndex
from ingest.output.duplicates import keep_or_reject, same_bytes_again
from ingest.output.layout import DOCUMENTS, MANIFEST, REJECTS, Output
from ingest.output.manifest import manifest_table
from ingest.output.parquet import RunInfo, TableFile, reject_row, write_table
from ingest.pipeline import process_document
from ingest.read.files import InputFile, read_input_file
from ingest.read.warc import SkippedRecord
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
    on_progress: Callable[[RunSummary], None] | None = None,
) -> tuple[list[Document], list[Reject], RunSummary]:
    """Documents and rejects for the inputs in ``files`` not already in ``seen``, as lists.

    ``process_inputs`` one after the other, collected (a batch's task streams them instead).
    """
    documents: list[Document] = []
    rejects: list[Reject] = []
    summary = RunSummary()
    records = process_inputs(
        files, seen, summary, config, skip_known=skip_known, on_progress=on_progress
    )
    for result in records:
        if isinstance(result, Document):
            documents.append(result)
        else:
            rejects.append(result)
    return documents, rejects, summary


def process_inputs(
    files: Iterable[InputFile],
    seen: SeenIndex,
    summary: RunSummary,
    config: PipelineConfig = DEFAULT_CONFIG,
    *,
    skip_known: bool = True,
    on_progress: Callable[[RunSummary], None] | None = None,
) -> Iterator[Document | Reject]:
    """The document or reject of each input in ``files`` not already in ``seen``, in order.

    An input is skipped only when ``seen`` holds a record of it under its own source with the
    same bytes; a copy under another name is processed (and becomes a ``duplicate`` reject).
    With ``skip_known`` off (``--force``), inputs already in the output are processed again.
    What happens is counted in ``summary`` as it goes, WARC records that are not input
    documents included. ``on_progress`` gets ``summary`` after each input (for the progress
    bar; it decides itself how often to pass it on).

    ``seen`` is updated as documents are kept, so an exact duplicate later in the same batch
    becomes a ``duplicate`` reject naming the kept document (``ingest.output.duplicates``).
    """
    for file in files:
        summary.files += 1
        for item in read_input_file(file, config.max_input_bytes):
            if isinstance(item, SkippedRecord):
                summary.count_skipped_record(item.reason)
                continue
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
                summary.count_document(result)
            else:
                summary.count_reject(result)
            if doc_id is not None:
                seen.add(doc_id, result.content_sha256 if isinstance(result, Document) else None)
            if on_progress is not None:
                on_progress(summary)
            yield result


def write_batch_files(
    records: Iterable[Document | Reject],
    output: Output,
    run: RunInfo,
    batch_index: int,
    files: Sequence[InputFile] = (),
) -> list[str]:
    """Write a batch's documents and rejects as they come, then list its input files in the
    manifest.

    Each table goes to its own file named by run and batch, written in bounded pieces
    (``TableFile``) and put in place once the records are all there. The manifest comes last,
    so a crash before it only means the files are read again (and skipped by doc_id) next
    time. Files that could not be read are left out of the manifest, so the next run tries them
    again.
    """
    store = output.store
    unreadable: set[str] = set()
    with ExitStack() as stack:
        documents = TableFile(
            stack, store, output.batch_file(DOCUMENTS, run.run_id, batch_index), run, "documents"
        )
        rejects = TableFile(
            stack,
            store,
            output.batch_file(REJECTS, run.run_id, batch_index),
            run,
            "rejects",
            reject_row,
        )
        for record in records:
            if isinstance(record, Document):
                documents.add(record, record.input_bytes)
                continue
            rejects.add(record, len(record.raw))
            if record.reason == "unreadable_input":
                unreadable.add(record.source)
        documents.flush()
        rejects.flush()
    written = [output.display(table.path) for table in (documents, rejects) if table.written]
    accounted = [f for f in files if f.source not in unreadable]
    if accounted:
        table = manifest_table(accounted, run.run_id)
        write_table(store, table, output.batch_file(MANIFEST, run.run_id, batch_index))
    return written
