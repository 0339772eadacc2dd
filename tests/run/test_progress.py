"""Progress lines for a run that is not on a terminal, and the bar on one."""

from __future__ import annotations

import io

from ingest.run.progress import ProgressReporter


def batch(files: int, documents: int, rejects: int, input_bytes: int) -> dict:
    return {"files": files, "documents": documents, "rejects": rejects, "input_bytes": input_bytes}


def test_plain_lines_count_files_documents_and_megabytes() -> None:
    stream = io.StringIO()
    reporter = ProgressReporter(stream, live=False)
    reporter("start", {"files": 3, "bytes": 3_000_000, "batches": 2})
    reporter("batch", batch(2, 1, 1, 2_000_000))
    reporter("batch", batch(1, 1, 0, 1_000_000))
    reporter("end", {})
    lines = stream.getvalue().splitlines()
    assert lines[0] == "ingest: 3 files, 3.0 MB in 2 batches"
    assert lines[1].startswith("ingest: batch 1/2: 2/3 files, 1 documents, 1 rejects, 2.0 MB, ")
    assert lines[2].startswith("ingest: batch 2/2: 3/3 files, 2 documents, 1 rejects, 3.0 MB, ")
    assert lines[2].endswith(" MB/s")


def test_bar_on_a_terminal_draws_on_its_stream_only(capsys) -> None:
    stream = io.StringIO()
    reporter = ProgressReporter(stream, live=True)
    reporter("start", {"files": 2, "bytes": 10, "batches": 1})
    reporter("batch", batch(2, 2, 0, 10))
    assert reporter.files == 2 and reporter.documents == 2
    reporter("end", {})
    assert reporter._bar is None
    # The bar's last frame is on the given stream (stderr in a run), and stdout stays empty, so
    # `ingest run --json > file` on a terminal writes nothing but the JSON to the file.
    assert "2/2 files" in stream.getvalue()
    assert not stream.getvalue().startswith("ingest: ")  # a bar, not plain lines
    assert capsys.readouterr().out == ""
