"""Process workers and Prefect's ephemeral mode.

In ephemeral mode (no ``PREFECT_API_URL``) every process that runs a task starts its own
temporary server on the same SQLite file: each worker would pay ~10 s and contend for the
database. ``workers_share_api_server`` points the workers at the temporary server this process
already started, through ``PREFECT_API_URL`` in the environment they inherit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


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
