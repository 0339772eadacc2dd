"""Process workers and Prefect's ephemeral mode.

In ephemeral mode (no ``PREFECT_API_URL``) every process that runs a task starts its own
temporary server on the same SQLite file: each worker would pay ~10 s and contend for the
database. ``workers_share_api_server`` points the workers at the temporary server this process
already started, through ``PREFECT_API_URL`` in the environment they inherit.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

PR_SET_PDEATHSIG = 1  # prctl option: signal to receive when the parent process dies


@contextmanager
def workers_share_api_server() -> Iterator[str | None]:
    """Within the block, processes started from here use this process's temporary server.

    Yields that server's API URL, or None when a real API is configured (workers use it too).
    """
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL

    server = SubprocessASGIServer()  # the singleton ephemeral mode started for this process
    if PREFECT_API_URL.value() or not server.running:
        yield None
        return
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server.api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)


def die_with_parent() -> None:
    """Worker initializer: on Linux, the kernel kills this worker when its parent dies.

    A run killed with SIGKILL must not leave workers behind that write after it is gone (a
    re-run could then process the same inputs at the same time). Elsewhere this does nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() == 1:  # the parent died before the line above took effect
        os._exit(1)
