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
the kernel to kill it when its parent dies. It is started first thing, before the run imports
Prefect and the flow, so the two start-ups (each a few seconds of one core) overlap.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
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
    the server once it filled up. The server inherits this process's environment and reads the
    same Prefect profile, so it resolves the same settings without this process importing
    Prefect first (which lets the two start up side by side).
    """
    environment = {
        **os.environ,
        # What Prefect's ephemeral mode sets for its temporary server.
        "PREFECT_UI_ENABLED": "0",
        "PREFECT__SERVER_EPHEMERAL": "1",
        "PREFECT__SERVER_FINAL": "1",
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


def launch_api_server(log: IO[bytes]) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server on a free port without waiting for it; return it and its API URL."""
    port = find_free_port()
    return start_api_server(port, log), f"http://127.0.0.1:{port}/api"


def start_until_healthy(
    log: IO[bytes],
    timeout: float,
    attempts: int,
    launched: tuple[subprocess.Popen[bytes], str] | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server on a free port until it answers; return it and its API URL.

    ``launched`` is a server already started by ``launch_api_server`` (writing to ``log``): it
    is the first attempt. Tries another port when uvicorn could not bind the one chosen (another
    process took it in between); raises ``RuntimeError`` with the server's last error line for
    any other failure.
    """
    for attempt in range(attempts):
        if attempt or launched is None:
            log.seek(0)
            log.truncate()
            launched = launch_api_server(log)
        process, api_url = launched
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


# Files in the working directory Prefect reads settings from, besides the environment and its
# profiles: any mention of Prefect settings in them may name an API (or move PREFECT_HOME).
PREFECT_SETTINGS_FILES = {".env": "PREFECT_", "prefect.toml": "", "pyproject.toml": "tool.prefect"}


def api_url_may_be_configured() -> bool:
    """Whether an API URL is set in the environment, or possibly in a file Prefect reads.

    Read without importing Prefect, conservatively: a profiles file that mentions
    ``PREFECT_API_URL``, a ``prefect.toml`` in the working directory, or a ``.env`` or
    ``pyproject.toml`` there with Prefect settings all count. Prefect's own settings decide later
    (``TemporaryServer.ready``); this only avoids starting a server early for nothing.
    """
    if os.environ.get("PREFECT_API_URL"):
        return True
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    profiles = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    mentions = {profiles: "PREFECT_API_URL"} | {
        Path(n): m for n, m in PREFECT_SETTINGS_FILES.items()
    }
    for path, mention in mentions.items():
        try:
            if mention in path.read_text(encoding="utf-8", errors="replace"):
                return True
        except OSError:  # no such file: nothing configured there
            continue
    return False


# A PEM certificate block, as in certifi's bundle.
PEM_CERTIFICATE_RE = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----\n", re.S)


def write_small_ca_bundle(folder: str) -> str | None:
    """Write a CA bundle of one certificate (certifi's first) into ``folder``; return its path.

    Every Prefect client (several per task run) builds a TLS context from its CA bundle, even
    for a plain-HTTP URL: about 22 ms of CPU each with certifi's 150 certificates, 0.4 ms with
    one. The temporary server speaks plain HTTP on 127.0.0.1, so the bundle is never used to
    verify anything. None when certifi's bundle cannot be read (the clients then load it).
    """
    try:
        import certifi

        first = PEM_CERTIFICATE_RE.search(Path(certifi.where()).read_text(encoding="ascii"))
    except (ImportError, OSError, UnicodeDecodeError):
        return None
    if first is None:
        return None
    path = Path(folder) / "one-certificate.pem"
    path.write_text(first.group(), encoding="ascii")
    return str(path)


class TemporaryServer:
    """The temporary API server of one run: started early, waited for when the run needs it."""

    def __init__(self, log: IO[bytes], attempts: int) -> None:
        self.log = log
        self.attempts = attempts
        self.launched: tuple[subprocess.Popen[bytes], str] | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self.api_url: str | None = None
        self.folder: str | None = None  # holds the small CA bundle (see write_small_ca_bundle)
        self.ca_bundle: str | None = None

    def launch_early(self) -> None:
        """Start the server now, unless an API may be configured (then ``ready`` decides)."""
        if not api_url_may_be_configured():
            self.launched = launch_api_server(self.log)

    def ready(self) -> str | None:
        """Wait until the server answers and point Prefect at it; return its API URL.

        Returns None, with no server running, when Prefect's settings name an API already.
        """
        from prefect.context import refresh_global_settings_context
        from prefect.settings import (
            PREFECT_API_URL,
            PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        )

        global TEMPORARY_API_URL  # the one server of this process, as Prefect keeps one

        if self.api_url is not None:
            return self.api_url
        if PREFECT_API_URL.value():
            self.stop()
            return None
        timeout = float(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
        # start_until_healthy stops every server it gives up on, the early one included; one
        # left in self.launched by an interruption is stopped (again, harmlessly) by stop().
        self.process, api_url = start_until_healthy(self.log, timeout, self.attempts, self.launched)
        self.launched = None
        # Recorded before the environment changes, so that stop() undoes a half-done change.
        TEMPORARY_API_URL = self.api_url = api_url
        # The environment for the workers; the refreshed global settings for every thread of this
        # process (Prefect's log and event workers run in their own threads).
        os.environ["PREFECT_API_URL"] = api_url
        if not os.environ.get("PREFECT_API_SSL_CERT_FILE"):
            self.folder = tempfile.mkdtemp(prefix="ingest-prefect-")
            if bundle := write_small_ca_bundle(self.folder):
                os.environ["PREFECT_API_SSL_CERT_FILE"] = self.ca_bundle = bundle
        refresh_global_settings_context()
        return api_url

    def stop(self) -> None:
        """Stop the server, started or still starting, and undo what ``ready`` set."""
        global TEMPORARY_API_URL

        if self.api_url is not None:
            from prefect.context import refresh_global_settings_context

            TEMPORARY_API_URL = self.api_url = None
            os.environ.pop("PREFECT_API_URL", None)
            if self.ca_bundle is not None:
                os.environ.pop("PREFECT_API_SSL_CERT_FILE", None)
                self.ca_bundle = None
            refresh_global_settings_context()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None
        for process in (self.process, self.launched[0] if self.launched else None):
            if process is not None:
                stop_api_server(process)
        self.process = self.launched = None


@contextmanager
def temporary_api_server(attempts: int = 3) -> Iterator[TemporaryServer]:
    """Within the block, this process and its workers can use a temporary Prefect API server.

    The server starts in a child process when the block is entered (as Prefect's ephemeral mode
    would start it) and boots while the block's first steps run, importing the flow for
    instance; ``ready()`` then waits for it to answer, points ``PREFECT_API_URL`` at it (in the
    environment and Prefect's global settings) and returns its URL. When an API is configured
    (``PREFECT_API_URL``), no server is kept and ``ready()`` returns None.

    The server is stopped when the block ends, however it ends, and is killed by the kernel if
    this process is. ``ready()`` raises ``RuntimeError`` with the server's last error line when
    it cannot start.
    """
    with tempfile.TemporaryFile() as log:  # the server's stderr, read when it fails to start
        server = TemporaryServer(log, attempts)
        try:
            server.launch_early()
            yield server
        finally:
            server.stop()
