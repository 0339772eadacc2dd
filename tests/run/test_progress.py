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


def test_the_bar_moves_within_a_batch_by_its_counts_so_far() -> None:
    reporter = ProgressReporter(io.StringIO(), live=True)
    reporter("start", {"files": 10, "bytes": 100, "batches": 2})
    reporter("progress", {"batch": 0, **batch(3, 2, 1, 30)})
    reporter("progress", {"batch": 1, **batch(1, 1, 0, 10)})
    assert reporter.files_done() == 4
    assert reporter.status().startswith("3 documents, 1 rejects, ")
    reporter("batch", {"batch": 0, **batch(5, 4, 1, 50)})
    reporter("progress", {"batch": 0, **batch(4, 3, 1, 40)})  # read before it finished: stale
    assert reporter.files_done() == 6
    assert reporter._bar.tasks[0].completed == 6
    reporter("end", {})


def test_a_status_message_is_a_line_on_the_stream_bar_or_not() -> None:
    for live in (False, True):
        stream = io.StringIO()
        reporter = ProgressReporter(stream, live=live)
        reporter("status", {"message": "starting Prefect ..."})
        reporter("start", {"files": 1, "bytes": 1, "batches": 1})
        reporter("status", {"message": "still here"})
        reporter("end", {})
        assert "ingest: starting Prefect ...\n" in stream.getvalue()
        assert "ingest: still here" in stream.getvalue()


def test_a_batch_leaves_its_counts_and_the_watcher_tells_what_changed(
    tmp_path, monkeypatch
) -> None:
    import ingest.run.progress as progress
    from ingest.run.summary import RunSummary

    monkeypatch.setattr(progress, "PROGRESS_INTERVAL", 0)
    events = []
    watcher = progress.ProgressWatcher(str(tmp_path), lambda *event: events.append(event))
    writer = progress.BatchProgressFile(str(tmp_path), 2)
    writer.update(RunSummary(files=1, documents=1, input_bytes=10))
    watcher.read_once()
    watcher.read_once()  # nothing changed: nothing told
    writer.update(RunSummary(files=2, documents=1, input_bytes=25))
    watcher.read_once()
    assert events == [
        ("progress", {"batch": 2, **batch(1, 1, 0, 10)}),
        ("progress", {"batch": 2, **batch(2, 1, 0, 25)}),
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch-00002.json"]  # no temp left

    monkeypatch.setattr(progress, "PROGRESS_INTERVAL", 3600)  # a write at most this often
    writer = progress.BatchProgressFile(str(tmp_path), 3)
    writer.update(RunSummary(files=1))
    writer.update(RunSummary(files=2))
    assert progress.read_progress(str(tmp_path))[3]["files"] == 1


def test_a_progress_folder_that_cannot_be_written_is_left_alone(tmp_path) -> None:
    from ingest.run.progress import BatchProgressFile
    from ingest.run.summary import RunSummary

    writer = BatchProgressFile(str(tmp_path / "on-another-machine"), 0)
    writer.update(RunSummary(files=1))  # no error: only the bar's movement is lost
    assert writer.path is None


def test_process_files_reports_its_counts_after_each_input(tmp_path) -> None:
    from conftest import SEED

    from ingest.output.dataset import SeenIndex
    from ingest.read.files import find_input_files
    from ingest.run.batches import process_files

    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    seen = []
    files = find_input_files([tmp_path])
    process_files(files, SeenIndex(), on_progress=lambda s: seen.append((s.files, s.documents)))
    assert seen == [(1, 0), (2, 1)]
