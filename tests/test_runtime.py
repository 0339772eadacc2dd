"""The temporary Prefect API server ``ingest run`` starts: failures are one clear line."""

from __future__ import annotations

import subprocess
import sys
import tempfile

import pytest
from ingest_flows import runtime


def fake_server(code: int, message: str):
    """A stand-in for start_api_server: a process that writes ``message`` and exits ``code``.

    ``message`` is a Python expression, evaluated in that process.
    """
    started: list[int] = []

    def start(port: int, log) -> subprocess.Popen[bytes]:
        started.append(port)
        script = f"import sys; sys.stderr.write({message}); sys.exit({code})"
        return subprocess.Popen([sys.executable, "-c", script], stderr=log)

    return start, started


def test_a_server_that_fails_to_start_is_reported_with_its_last_line(monkeypatch) -> None:
    start, started = fake_server(1, r"'Traceback...\nsqlite3.OperationalError: disk I/O error\n'")
    monkeypatch.setattr(runtime, "start_api_server", start)
    with tempfile.TemporaryFile() as log, pytest.raises(RuntimeError) as caught:
        runtime.start_until_healthy(log, timeout=20, attempts=3)
    assert str(caught.value) == (
        "Prefect's temporary API server exited with 1: sqlite3.OperationalError: disk I/O error"
    )
    assert len(started) == 1  # not retried: another port would not help


def test_a_port_taken_in_between_is_retried_on_another(monkeypatch) -> None:
    error = r"'ERROR: [Errno 98] error while attempting to bind: address already in use\n'"
    start, started = fake_server(runtime.UVICORN_START_FAILED, error)
    monkeypatch.setattr(runtime, "start_api_server", start)
    with tempfile.TemporaryFile() as log, pytest.raises(RuntimeError) as caught:
        runtime.start_until_healthy(log, timeout=20, attempts=3)
    assert str(caught.value) == "Prefect's temporary API server found no free port in 3 attempts"
    assert len(started) == 3


def test_a_start_up_failure_with_uvicorn_status_3_is_not_taken_for_a_busy_port(
    monkeypatch,
) -> None:
    """uvicorn exits with 3 when the app fails to start too (Prefect's database migrations)."""
    start, started = fake_server(3, r"'sqlite3.OperationalError: unable to open database file\n'")
    monkeypatch.setattr(runtime, "start_api_server", start)
    with tempfile.TemporaryFile() as log, pytest.raises(RuntimeError) as caught:
        runtime.start_until_healthy(log, timeout=20, attempts=3)
    assert str(caught.value).endswith("unable to open database file")
    assert len(started) == 1


def test_a_long_server_log_is_reported_by_its_last_line(monkeypatch) -> None:
    """More than a pipe holds (64 KiB): the log is a file, read back from its start."""
    start, _ = fake_server(1, r"'x' * 200_000 + '\nlast line\n'")
    monkeypatch.setattr(runtime, "start_api_server", start)
    with tempfile.TemporaryFile() as log, pytest.raises(RuntimeError, match=r"last line$"):
        runtime.start_until_healthy(log, timeout=20, attempts=1)
