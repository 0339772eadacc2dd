"""Progress of a run for a person watching: a bar on a terminal, plain lines otherwise.

Within a batch, progress travels from the worker to the flow's process through a small file per
batch (``BatchProgressFile``), rewritten at most every ``PROGRESS_INTERVAL`` seconds, which
``ProgressWatcher`` reads in the flow's process: cheap (a few bytes twice a second per batch),
bounded (one file per batch, removed with its folder), and it needs nothing but a folder that
the worker can reach. A worker that cannot write there (a Dask worker on another machine) only
leaves the bar to move when its batch finishes.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ingest.run.summary import RunSummary

# What a runner calls with each progress event: ("status" | "start" | "progress" | "batch" |
# "end", the event's data). "status" carries a "message" saying what the run is doing while
# nothing can be counted yet (Prefect starting); "progress" a running batch's counts so far.
ProgressListener = Callable[[str, dict[str, Any]], None]

# Seconds between two writes of a batch's progress file, and between two reads of the folder.
PROGRESS_INTERVAL = 0.5


def progress_file_name(batch_index: int) -> str:
    """The name of a batch's progress file in the run's progress folder.

    >>> progress_file_name(7)
    'batch-00007.json'
    """
    return f"batch-{batch_index:05d}.json"


class BatchProgressFile:
    """Where a worker leaves the counts of the batch it is processing, for the flow's process.

    Written whole under a temporary name and renamed, so a reader never sees half of it.
    Without a folder (no one is watching) it does nothing.
    """

    def __init__(self, folder: str | None, batch_index: int) -> None:
        self.path = Path(folder, progress_file_name(batch_index)) if folder else None
        self.written_at = float("-inf")

    def update(self, summary: RunSummary) -> None:
        """Record the batch's counts so far, unless the last write is too recent."""
        now = time.monotonic()
        if self.path is None or now - self.written_at < PROGRESS_INTERVAL:
            return
        self.written_at = now
        counts = {
            "files": summary.files,
            "documents": summary.documents,
            "rejects": sum(summary.rejects.values()),
            "input_bytes": summary.input_bytes,
        }
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            temporary.write_text(json.dumps(counts), "utf-8")
            temporary.replace(self.path)
        except OSError:  # only the bar's in-batch movement is lost; the records are not affected
            self.path = None


def read_progress(folder: str) -> dict[int, dict[str, int]]:
    """The counts of every batch that has left a progress file in ``folder``, by batch index.

    >>> import tempfile
    >>> from ingest.run.summary import RunSummary
    >>> folder = tempfile.mkdtemp()
    >>> BatchProgressFile(folder, 3).update(RunSummary(files=2, documents=2, input_bytes=900))
    >>> read_progress(folder)
    {3: {'files': 2, 'documents': 2, 'rejects': 0, 'input_bytes': 900}}
    """
    found: dict[int, dict[str, int]] = {}
    for path in Path(folder).glob("batch-*.json"):
        try:
            found[int(path.stem.removeprefix("batch-"))] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):  # replaced or removed while read: the next read has it
            continue
    return found


class ProgressWatcher:
    """A thread of the flow's process that reads the progress folder and tells the listener.

    Each batch whose counts changed since the last read becomes a ``progress`` event with its
    ``batch`` index. Used as a context manager: the thread stops when the block ends.
    """

    def __init__(self, folder: str, listener: ProgressListener) -> None:
        self.folder = folder
        self.listener = listener
        self.seen: dict[int, dict[str, int]] = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.watch, name="ingest-progress", daemon=True)

    def __enter__(self) -> ProgressWatcher:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopped.set()
        self.thread.join()

    def watch(self) -> None:
        """Read the folder every ``PROGRESS_INTERVAL`` seconds until stopped."""
        while not self.stopped.wait(PROGRESS_INTERVAL):
            self.read_once()

    def read_once(self) -> None:
        """Tell the listener about every batch whose counts changed."""
        for index, counts in sorted(read_progress(self.folder).items()):
            if self.seen.get(index) != counts:
                self.seen[index] = counts
                self.listener("progress", {**counts, "batch": index})


class ProgressReporter:
    """Receives the flow's progress events and shows them.

    On a terminal it draws a rich progress bar with files, documents, MB and MB/s, moved by
    finished batches and by the counts of running ones; elsewhere it writes one plain line per
    finished batch to ``stream`` (stderr by default). Status messages are a line either way.
    Events may come from two threads (the flow's and its progress watcher).

    >>> import io
    >>> stream = io.StringIO()
    >>> show = ProgressReporter(stream, live=False)
    >>> show("status", {"message": "starting Prefect ..."})
    >>> show("start", {"files": 3, "bytes": 2_500_000, "batches": 2})
    >>> show("progress", {"batch": 0, "files": 1, "documents": 1, "rejects": 0,
    ...                   "input_bytes": 600_000})
    >>> show.files_done()  # plain lines count finished batches only
    0
    >>> show("batch", {"batch": 0, "files": 2, "documents": 1, "rejects": 1,
    ...                "input_bytes": 1_500_000})
    >>> print(stream.getvalue(), end="")
    ingest: starting Prefect ...
    ingest: 3 files, 2.5 MB in 2 batches
    ingest: batch 1/2: 2/3 files, 1 documents, 1 rejects, 1.5 MB, ... MB/s
    """

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.started = time.perf_counter()
        self.total_files = 0
        self.total_bytes = 0
        self.batches = 0
        self.done_batches = 0
        self.files = 0
        self.documents = 0
        self.rejects = 0
        self.done_bytes = 0
        # The counts so far of batches still running, and the batches already finished.
        self.running: dict[int, dict[str, int]] = {}
        self.finished: set[int] = set()
        self.lock = threading.Lock()
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        """Handle one event from the flow."""
        with self.lock:
            if event == "status":
                self.write(data["message"])
            elif event == "start":
                self.on_start(data)
            elif event == "progress":
                self.on_progress(data)
            elif event == "batch":
                self.on_batch(data)
            elif event == "end":
                self.close()

    def on_start(self, data: dict[str, Any]) -> None:
        """A run found its inputs."""
        self.started = time.perf_counter()
        self.total_files, self.total_bytes = data["files"], data["bytes"]
        self.batches = data["batches"]
        if self.live:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                TextColumn("[bold]ingest"),
                BarColumn(),
                TextColumn("{task.completed}/{task.total} files"),
                TextColumn("{task.fields[status]}"),
                TimeElapsedColumn(),
                # The bar goes to our stream (stderr), never to stdout: `--json > file` on a
                # terminal must leave nothing but the JSON in the file.
                console=Console(file=self.stream, force_terminal=True),
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("run", total=self.total_files, status="")
        else:
            mb = self.total_bytes / 1e6
            self.write(f"{self.total_files} files, {mb:.1f} MB in {self.batches} batches")

    def on_progress(self, data: dict[str, Any]) -> None:
        """A running batch's counts so far (they only ever grow); the bar shows them."""
        if not self.live or data["batch"] in self.finished:  # finished: read before, told after
            return
        self.running[data["batch"]] = {name: data[name] for name in data if name != "batch"}
        self.redraw()

    def on_batch(self, data: dict[str, Any]) -> None:
        """A batch finished."""
        if "batch" in data:
            self.finished.add(data["batch"])
            self.running.pop(data["batch"], None)
        self.done_batches += 1
        self.files += data["files"]
        self.documents += data["documents"]
        self.rejects += data["rejects"]
        self.done_bytes += data["input_bytes"]
        if self._bar is not None:
            self.redraw()
        elif not self.live:
            self.write(
                f"batch {self.done_batches}/{self.batches}: "
                f"{self.files}/{self.total_files} files, {self.status()}"
            )

    def so_far(self, name: str) -> int:
        """A count over the finished batches and the running ones."""
        done = {"files": self.files, "documents": self.documents, "rejects": self.rejects}
        finished = done.get(name, self.done_bytes)
        return finished + sum(counts[name] for counts in self.running.values())

    def files_done(self) -> int:
        """Files read so far, in finished and running batches."""
        return self.so_far("files")

    def redraw(self) -> None:
        """Move the bar, if any, to the counts so far."""
        if self._bar is not None:
            self._bar.update(self._task, completed=self.files_done(), status=self.status())

    def status(self) -> str:
        """Documents, rejects, MB and rate so far."""
        seconds = max(time.perf_counter() - self.started, 1e-9)
        mb = self.so_far("input_bytes") / 1e6
        return (
            f"{self.so_far('documents')} documents, {self.so_far('rejects')} rejects, "
            f"{mb:.1f} MB, {mb / seconds:.2f} MB/s"
        )

    def write(self, line: str) -> None:
        """One plain progress line."""
        if self._bar is not None:
            self._bar.console.print(f"ingest: {line}", markup=False, highlight=False)
            return
        self.stream.write(f"ingest: {line}\n")
        self.stream.flush()

    def close(self) -> None:
        """Stop the bar, if any."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
