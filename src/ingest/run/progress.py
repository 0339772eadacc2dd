"""Progress of a run for a person watching: a bar on a terminal, plain lines otherwise."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

# What a runner calls with each progress event: ("start" | "batch" | "end", the event's counts).
ProgressListener = Callable[[str, dict[str, Any]], None]


class ProgressReporter:
    """Receives the flow's progress events (``start``, ``batch``, ``end``) and shows them.

    On a terminal it draws a rich progress bar with files, documents, MB and MB/s; elsewhere it
    writes one plain line per finished batch to ``stream`` (stderr by default).

    >>> import io
    >>> stream = io.StringIO()
    >>> show = ProgressReporter(stream, live=False)
    >>> show("start", {"files": 3, "bytes": 2_500_000, "batches": 2})
    >>> show("batch", {"files": 2, "documents": 1, "rejects": 1, "input_bytes": 1_500_000})
    >>> print(stream.getvalue(), end="")
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
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, event: str, data: dict[str, Any]) -> None:
        """Handle one event from the flow."""
        if event == "start":
            self.on_start(data)
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

    def on_batch(self, data: dict[str, Any]) -> None:
        """A batch finished."""
        self.done_batches += 1
        self.files += data["files"]
        self.documents += data["documents"]
        self.rejects += data["rejects"]
        self.done_bytes += data["input_bytes"]
        status = self.status()
        if self._bar is not None:
            self._bar.update(self._task, completed=self.files, status=status)
        elif not self.live:
            self.write(
                f"batch {self.done_batches}/{self.batches}: "
                f"{self.files}/{self.total_files} files, {status}"
            )

    def status(self) -> str:
        """Documents, rejects, MB and rate so far."""
        seconds = max(time.perf_counter() - self.started, 1e-9)
        mb = self.done_bytes / 1e6
        return (
            f"{self.documents} documents, {self.rejects} rejects, "
            f"{mb:.1f} MB, {mb / seconds:.2f} MB/s"
        )

    def write(self, line: str) -> None:
        """One plain progress line."""
        self.stream.write(f"ingest: {line}\n")
        self.stream.flush()

    def close(self) -> None:
        """Stop the bar, if any."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
