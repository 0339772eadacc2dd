"""Running the flow's batches on an existing Dask cluster.

The flow submits the same ``process_batch`` tasks; only the task runner changes. Each Dask
worker then runs the task engine itself, so it must (1) have ``ingest`` installed, (2) reach the
output folder at the same path (shared storage), and (3) reach the Prefect API. The API URL
travels with each task (Prefect serializes its settings into the task), so workers on this
machine can use even this process's temporary server; workers on other machines need a real
server they can reach (``prefect server start --host 0.0.0.0``, and ``PREFECT_API_URL`` set for
the run).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

NEEDS_DASK_EXTRA = "a Dask cluster needs the optional dependency: pip install 'ingest[dask]'"
# Seconds to wait for the scheduler when asking it for its workers.
SCHEDULER_TIMEOUT = 30


def dask_task_runner(address: str) -> Any:  # noqa: ANN401 - prefect_dask is imported lazily
    """A Prefect task runner that submits to the Dask scheduler at ``address``.

    ``prefect_dask`` takes about 1.8 s to import, so only runs that use Dask pay for it.
    """
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as error:
        raise RuntimeError(NEEDS_DASK_EXTRA) from error
    return DaskTaskRunner(address=address)


def dask_worker_threads(address: str) -> int:
    """How many tasks the cluster at ``address`` runs at once: its workers' threads (at least 1).

    The run sizes its batches from this, as a local run does from its processes, so that a small
    run is not one batch on one worker while the others wait. A cluster with no worker yet
    counts as one.
    """
    try:
        from distributed import Client
    except ImportError as error:
        raise RuntimeError(NEEDS_DASK_EXTRA) from error
    with Client(address, timeout=SCHEDULER_TIMEOUT, set_as_default=False) as client:
        return max(1, sum(client.nthreads().values()))


@contextmanager
def tasks_carry_api_url(api_url: str | None) -> Iterator[None]:
    """Within the block, tasks sent to Dask workers carry ``api_url`` in their settings.

    Used with this process's temporary server, whose URL is only in our environment: Dask
    workers run elsewhere and do not inherit it. Does nothing when ``api_url`` is None (a
    configured API already travels with the settings).
    """
    if api_url is None:
        yield
        return
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        yield
