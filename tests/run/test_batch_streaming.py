"""A batch streams its records from the reader to the writer: a huge WARC is one batch, and its
memory stays bounded by what the writer holds (``ingest.output.parquet.FLUSH_BYTES``)."""

from __future__ import annotations

import os
import tracemalloc

import pyarrow.dataset as ds
import pyarrow.parquet as pq
from warcs import PAGE, response, write_warc

import ingest.output.parquet
from ingest.output.dataset import SeenIndex
from ingest.output.layout import DOCUMENTS, REJECTS, open_output
from ingest.output.parquet import ROW_GROUP_ROWS, RunInfo
from ingest.pipeline import process_document
from ingest.read.files import find_input_files
from ingest.records import RawInput
from ingest.run.batches import process_inputs, write_batch_files
from ingest.run.summary import RunSummary


def run_batch(folder, out):
    files = find_input_files([folder])
    summary = RunSummary()
    records = process_inputs(files, SeenIndex(), summary)
    written = write_batch_files(records, open_output(out), RunInfo.start(), 0, files=files)
    return summary, written


def test_a_large_warc_batch_holds_a_bounded_part_of_its_records(tmp_path, monkeypatch) -> None:
    """800 copies of a 25 KB page (20 MB): each is a duplicate reject holding its bytes, and
    the batch writes them in pieces of 1 MB, so Python never holds much more than that."""
    monkeypatch.setattr(ingest.output.parquet, "FLUSH_BYTES", 1_000_000)
    copy = PAGE + b"<p>" + os.urandom(12_500).hex().encode() + b"</p>"
    pages = [response("http://example.com/a", PAGE)]
    pages += [response(f"http://example.com/copy/{n}", copy) for n in range(801)]
    write_warc(tmp_path / "in" / "crawl.warc.gz", pages)
    process_document(RawInput("warm-up.html", PAGE, "html"))  # the models load once, before
    tracemalloc.start()
    try:
        summary, written = run_batch(tmp_path / "in", tmp_path / "out")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (summary.documents, summary.rejects["duplicate"]) == (2, 800)
    assert summary.input_bytes > 20_000_000
    assert peak < 8_000_000, peak
    assert len(written) == 2
    rejects = ds.dataset(tmp_path / "out" / REJECTS, format="parquet").to_table()
    assert rejects.num_rows == 800
    assert set(rejects.column("raw").to_pylist()) == {copy}
    assert rejects.column("url").to_pylist()[-1] == "http://example.com/copy/800"
    (path,) = (tmp_path / "out" / REJECTS).glob("*.parquet")
    assert pq.ParquetFile(path).num_row_groups > 10  # written in pieces, into one file


def test_a_batch_writes_row_groups_as_one_table_would(tmp_path) -> None:
    lines = [
        b'{"text": "A paragraph of text long enough to be the body of a document, %d."}' % n
        for n in range(ROW_GROUP_ROWS + 10)
    ]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "lines.jsonl").write_bytes(b"\n".join(lines))
    summary, _ = run_batch(tmp_path / "in", tmp_path / "out")
    assert summary.documents == ROW_GROUP_ROWS + 10
    (path,) = (tmp_path / "out" / DOCUMENTS).glob("*.parquet")
    metadata = pq.ParquetFile(path).metadata
    assert [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)] == [
        ROW_GROUP_ROWS,
        10,
    ]


def test_a_batch_that_fails_midway_leaves_no_file(tmp_path) -> None:
    write_warc(tmp_path / "in" / "crawl.warc.gz", [response("http://example.com/a", PAGE)])
    files = find_input_files([tmp_path / "in"])

    def records_then_failure():
        yield from process_inputs(files, SeenIndex(), RunSummary())
        raise RuntimeError("simulated")

    out = open_output(tmp_path / "out")
    try:
        write_batch_files(records_then_failure(), out, RunInfo.start(), 0, files=files)
    except RuntimeError:
        pass
    assert not list((tmp_path / "out").rglob("*.parquet"))
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
