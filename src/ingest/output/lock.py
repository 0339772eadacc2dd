"""One writer per output folder at a time.

A run or a compaction holds an exclusive ``flock`` on ``OUT/.ingest.lock`` for its duration. The
operating system releases it when the process ends, however it ends (even SIGKILL), so a crash
never leaves a stale lock behind.

An object store cannot hold an flock, and pyarrow has no conditional write ("create only if
absent") to build a lock object from; a lock object without one would race, and one left by a
killed run would block every later run until deleted by hand. So the lock of an ``s3://`` (or
other remote) output is a local file named after the location (``Output.lock_file``): it keeps
processes on this machine apart, and nothing more. ``remote_lock_warning`` says so.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ingest.output.layout import Output


class OutputLockedError(RuntimeError):
    """Another process is writing to the same output folder."""


@contextmanager
def output_lock(output: Output, purpose: str = "run") -> Iterator[None]:
    """Hold the output folder's lock, or raise ``OutputLockedError`` at once if it is taken."""
    folder = Path(output.store.root) if output.local else output.uri
    lock_file = output.lock_file()
    lock_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # O_NOFOLLOW: a link planted at the lock's name is refused, not followed and truncated.
    try:
        descriptor = os.open(lock_file, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as error:
        msg = f"cannot use the lock file {lock_file} for {folder}: {error.strerror}"
        raise OutputLockedError(msg) from None
    handle = os.fdopen(descriptor, "r+", encoding="utf-8")
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


def remote_lock_warning(output: Output) -> str | None:
    """For an output on object storage: what its lock does not guarantee. ``None`` when local.

    >>> from ingest.output.layout import EXAMPLE, open_output
    >>> remote_lock_warning(open_output("out")) is None, remote_lock_warning(EXAMPLE)[:30]
    (True, 's3://bucket/prefix is on objec')
    """
    if output.local:
        return None
    return (
        f"{output.uri} is on object storage: its lock only keeps out other ingest processes on "
        "this machine; run one writer per prefix"
    )
