"""Process workers and Prefect's temporary API server.

In ephemeral mode (no ``PREFECT_API_URL``) every process that runs a task starts its own
temporary server on the same SQLite file: each worker would pay ~10 s and contend for the
database. ``workers_share_api_server`` points the workers at the temporary server this process
already started, through ``PREFECT_API_URL`` in the environment they inherit.

``ingest run`` goes further and starts that temporary server itself (``temporary_api_server``),
the way ephemeral mode does, for two reasons measured on this project: ephemeral mode imports the
whole server application into the process that runs the flow (about 130 MB of its memory, for a
server that runs in another process anyway), and a server started by ephemeral mode outlives a
run killed with SIGKILL. Ours is started through ``python -m ingest_flows.api_server``, which asks
the kernel to kill it when its parent dies.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO

PR_SET_PDEATHSIG = 1  # prctl option: signal to receive when the parent process dies

# Set while ``temporary_api_server`` runs: that server's API URL (workers and Dask tasks use it).
TEMPORARY_API_URL: str | None = None

# Exit status uvicorn uses when it fails to start: its port was taken, or the app failed.
UVICORN_START_FAILED = 3
# The bind error uvicorn logs when another process took the port ("[Errno 98] ... address
# already in use"); must not match other start-up errors.
PORT_TAKEN_RE = re.compile(r"address already in use", re.IGNORECASE)


@contextmanager
def workers_share_api_server() -> Iterator[str | None]:
    """Within the block, processes started from here use this process's temporary server.

    Yields that server's API URL, or None when a real API is configured (workers use it too).
    """
    from prefect.settings import PREFECT_API_URL

    if TEMPORARY_API_URL is not None:  # temporary_api_server's: already in the environment
        yield TEMPORARY_API_URL
        return
    if PREFECT_API_URL.value():
        yield None
        return
    from prefect.server.api.server import SubprocessASGIServer  # ephemeral mode imported it

    server = SubprocessASGIServer()  # the singleton ephemeral mode started for this process
    if not server.running:
        yield None
        return
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield server.api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)


def die_with_parent(parent_pid: int | None = None) -> None:
    """Worker initializer: on Linux, the kernel kills this worker when its parent dies.

    A run killed with SIGKILL must not leave workers behind that write after it is gone (a
    re-run could then process the same inputs at the same time). Elsewhere this does nothing.
    With ``parent_pid`` (the pid of the process that started this one), a parent that died
    before the request took effect is noticed even under a subreaper, where an orphan's new
    parent is not pid 1.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    orphaned = os.getppid() != parent_pid if parent_pid else os.getppid() == 1
    if orphaned:  # the parent died before the line above took effect
        os._exit(1)


def find_free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_api_server(port: int, log: IO[bytes]) -> subprocess.Popen[bytes]:
    """Start Prefect's API (no UI) on ``port`` in a child process that dies with this one.

    Its stderr goes to ``log``, a file: a pipe nobody reads while the run goes on would block
    the server once it filled up.
    """
    from prefect.settings import get_current_settings

    environment = {
        **os.environ,
        # What Prefect's ephemeral mode sets for its temporary server.
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
        **get_current_settings().to_environment_variables(exclude_unset=True),
    }
    command = [sys.executable, "-m", "ingest_flows.api_server", "--port", str(port)]
    command += ["--parent-pid", str(os.getpid())]
    return subprocess.Popen(command, env=environment, stderr=log)


def wait_until_healthy(process: subprocess.Popen[bytes], api_url: str, timeout: float) -> bool:
    """Wait for ``api_url``'s health check; False if the server exited first.

    Raises ``RuntimeError`` when it neither answers nor exits within ``timeout`` seconds.
    """
    import httpx

    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return False
            try:
                if client.get(f"{api_url}/health").status_code == 200:
                    return True
            except httpx.TransportError:
                pass
            time.sleep(0.1)
    stop_api_server(process)
    msg = f"Prefect's temporary API server did not answer within {timeout:.0f} s"
    raise RuntimeError(msg)


def stop_api_server(process: subprocess.Popen[bytes]) -> None:
    """Ask the server to stop (SIGTERM), kill it after 5 s; always reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


def start_until_healthy(
    log: IO[bytes], timeout: float, attempts: int
) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server on a free port until it answers; return it and its API URL.

    Tries another port when uvicorn could not bind the one chosen (another process took it in
    between); raises ``RuntimeError`` with the server's last error line for any other failure.
    """
    for _ in range(attempts):
        log.seek(0)
        log.truncate()
        port = find_free_port()
        process = start_api_server(port, log)
        api_url = f"http://127.0.0.1:{port}/api"
        try:
            if wait_until_healthy(process, api_url, timeout):
                return process, api_url
        except BaseException:  # Ctrl-C, SIGTERM or a timeout while it starts: stop it too
            stop_api_server(process)
            raise
        stop_api_server(process)
        log.seek(0)
        error = log.read().decode("utf-8", "replace")
        # uvicorn exits with 3 for any failed start-up (a broken database too), so only a port
        # taken in between, by its own message, is worth another port.
        if process.returncode != UVICORN_START_FAILED or not PORT_TAKEN_RE.search(error):
            last = (error.strip().splitlines() or ["no output"])[-1]
            msg = f"Prefect's temporary API server exited with {process.returncode}: {last}"
            raise RuntimeError(msg)
    msg = f"Prefect's temporary API server found no free port in {attempts} attempts"
    raise RuntimeError(msg)


@contextmanager
def temporary_api_server(attempts: int = 3) -> Iterator[str | None]:
    """Within the block, this process and its workers use a temporary Prefect API server.

    Does nothing (yields None) when an API is configured (``PREFECT_API_URL``). Otherwise starts
    the server in a child process, as Prefect's ephemeral mode would, waits for it to answer,
    points ``PREFECT_API_URL`` at it (in the environment and Prefect's global settings) and
    yields its URL; the server is stopped when the block ends, however it ends, and is killed by
    the kernel if this process is. Raises ``RuntimeError`` with the server's last error line when
    it cannot start.
    """
    from prefect.context import refresh_global_settings_context
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    global TEMPORARY_API_URL  # the one server of this process, as Prefect keeps one

    if PREFECT_API_URL.value():
        yield None
        return
    timeout = float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    with tempfile.TemporaryFile() as log:  # the server's stderr, read when it fails to start
        process, api_url = start_until_healthy(log, timeout, attempts)
        # The environment for the workers; the refreshed global settings for every thread of this
        # process (Prefect's log and event workers run in their own threads).
        os.environ["PREFECT_API_URL"] = api_url
        refresh_global_settings_context()
        TEMPORARY_API_URL = api_url
        try:
            yield TEMPORARY_API_URL
        finally:
            TEMPORARY_API_URL = None
            os.environ.pop("PREFECT_API_URL", None)
            refresh_global_settings_context()
            stop_api_server(process)
