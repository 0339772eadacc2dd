"""What the command line hands a runner, and how it finds one.

The core never imports the orchestrator. ``ingest run`` and ``ingest serve`` check their
arguments here, build a ``RunRequest`` and give it to a ``Runner``, found through the package
entry point group ``ingest.runners``: ``ingest_flows.launch`` (shipped in the same wheel)
declares the Prefect one in pyproject.toml. A runner gets validated arguments, a progress
listener and a log file; ``run`` returns the run's summary (``RunSummary.to_dict`` plus
``run_id`` and ``failed_batches``).
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, Protocol

from ingest.config import RUN_DEFAULTS
from ingest.run.progress import ProgressListener

RUNNER_GROUP = "ingest.runners"
# Seconds to wait for a Dask scheduler to accept a TCP connection before the run starts.
DASK_CONNECT_TIMEOUT = 3.0

# A Dask scheduler address as `ingest run --dask-address` takes it: tcp://HOST:PORT, where HOST
# is a name, an IPv4 address or a bracketed IPv6 address. Not matched: a bare host:port (Dask
# would guess the protocol), other protocols (tls://, inproc://), a missing port.
DASK_ADDRESS_RE = re.compile(r"^tcp://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$")


class NoRunnerError(RuntimeError):
    """No installed package provides a runner in the ``ingest.runners`` entry point group."""


class RunRefused(Exception):  # noqa: N818 - named for what the user sees
    """A runner found, before starting anything, that it cannot do what it was asked."""


@dataclass(frozen=True, slots=True)
class RunRequest:
    """A run's validated arguments: the flow's parameters, with the run defaults."""

    inputs: list[str]
    output: str
    repair_profile: str = RUN_DEFAULTS.repair_profile
    batch_files: int = RUN_DEFAULTS.batch_files
    batch_mb: float = RUN_DEFAULTS.batch_mb
    workers: int | None = RUN_DEFAULTS.workers
    dask_address: str | None = None
    force: bool = False
    replace_changed: bool = False

    def parameters(self) -> dict[str, Any]:
        """The request as the flow's keyword arguments.

        >>> RunRequest(["in"], "out").parameters()["batch_files"]
        1000
        """
        return asdict(self)


class Runner(Protocol):
    """Starts runs; the Prefect one is ``ingest_flows.launch.PrefectRunner``."""

    def run(
        self, request: RunRequest, progress: ProgressListener, log_file: Path
    ) -> dict[str, Any]:
        """Run once and return the summary; the caller holds the output's lock.

        What the orchestrator logs (tracebacks included) goes to ``log_file``, not the terminal.
        Raises the run's error when it fails.
        """
        ...

    def serve(
        self, request: RunRequest, name: str, cron: str | None, interval: float | None
    ) -> None:
        """Serve runs of ``request`` on a schedule until interrupted.

        Raises ``RunRefused`` with one line when scheduling cannot work here.
        """
        ...


def find_runner() -> Runner:
    """The installed runner (the first by name when there are several).

    Raises ``NoRunnerError`` with one line when no package provides one.
    """
    found = sorted(entry_points(group=RUNNER_GROUP), key=lambda point: point.name)
    if not found:
        msg = (
            f"no runner is installed (entry point group {RUNNER_GROUP!r}): "
            "reinstall ingest, whose wheel ships one (ingest_flows)"
        )
        raise NoRunnerError(msg)
    runner: Runner = found[0].load()()
    return runner


def is_dask_address(address: str) -> bool:
    """Whether ``address`` is a scheduler address we accept.

    >>> is_dask_address("tcp://127.0.0.1:8786"), is_dask_address("127.0.0.1:8786")
    (True, False)
    """
    return DASK_ADDRESS_RE.match(address) is not None


def split_dask_address(address: str) -> tuple[str, int]:
    """The host and port of an address ``is_dask_address`` accepts.

    >>> split_dask_address("tcp://[::1]:8786"), split_dask_address("tcp://node-1:8786")
    (('::1', 8786), ('node-1', 8786))
    """
    found = DASK_ADDRESS_RE.match(address)
    if found is None:
        msg = f"not a Dask scheduler address: {address!r}"
        raise ValueError(msg)
    return found.group(1).strip("[]"), int(found.group(2))


def dask_scheduler_problem(address: str, timeout: float = DASK_CONNECT_TIMEOUT) -> str | None:
    """Why no Dask scheduler can be reached at ``address``, as one line; None when it accepts.

    Only a TCP connection with a short timeout, checked before any work starts: Dask's own
    client would first wait out its much longer connect timeout.
    """
    host, port = split_dask_address(address)
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        return f"no Dask scheduler answers at {address} ({reason})"


def log_folder(environ: Mapping[str, str]) -> Path:
    """Where run logs go: ``$XDG_STATE_HOME/ingest/logs``, else ``~/.local/state/ingest/logs``.

    A relative ``XDG_STATE_HOME`` is ignored, as the XDG base directory specification says.

    >>> str(log_folder({"XDG_STATE_HOME": "/var/state"}))
    '/var/state/ingest/logs'
    >>> log_folder({"XDG_STATE_HOME": "state"}) == log_folder({})
    True
    """
    state = environ.get("XDG_STATE_HOME", "")
    base = Path(state) if Path(state).is_absolute() else Path.home() / ".local" / "state"
    return base / "ingest" / "logs"


def new_log_file() -> Path:
    """A path for this run's log, ``run-<UTC time>-<pid>.log``; its folder is created.

    Falls back to a new temporary folder when the state folder cannot be created.
    """
    folder = log_folder(os.environ)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        folder = Path(tempfile.mkdtemp(prefix="ingest-logs-"))
    return folder / f"run-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}.log"
