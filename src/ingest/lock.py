"""One writer per output folder at a time.

A run or a compaction holds an exclusive ``flock`` on ``OUT/.ingest.lock`` for its duration. The
operating system releases it when the process ends, however it ends (even SIGKILL), so a crash
never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_NAME = ".ingest.lock"


class OutputLockedError(RuntimeError):
    """Another process is writing to the same output folder."""


@contextmanager
def output_lock(output: str | os.PathLike[str], purpose: str = "run") -> Iterator[None]:
    """Hold the output folder's lock, or raise ``OutputLockedError`` at once if it is taken."""
    folder = Path(output)
    folder.mkdir(parents=True, exist_ok=True)
    handle = (folder / LOCK_NAME).open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            msg = f"{folder} is being written by {holder}; try again when it has finished"
            raise OutputLockedError(msg) from None
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"ingest {purpose} (pid {os.getpid()}, since {datetime.now(UTC):%Y-%m-%d %H:%M:%SZ})"
        )
        handle.flush()
        yield
    finally:
        handle.close()


def check_output_unlocked(output: str | os.PathLike[str]) -> None:
    """Raise ``OutputLockedError`` now if another process holds the output's lock.

    A cheap check before a run starts its machinery, so the usual case fails in one clean line;
    the run itself still takes the lock for its whole duration.
    """
    if (Path(output) / LOCK_NAME).exists():
        with output_lock(output, "check"):
            pass
