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


def sleeping_server(started: list[subprocess.Popen[bytes]]):
    """A stand-in for start_api_server: a process that never answers, recorded in ``started``."""

    def start(port: int, log) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-c", "import time; time.sleep(60)"], stderr=log
        )
        started.append(process)
        return process

    return start


def test_the_server_starts_on_entering_and_stops_when_the_block_fails_before_it_is_used(
    monkeypatch, tmp_path
) -> None:
    """The run imports the flow while the server boots: an error there must not leave it."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    started: list[subprocess.Popen[bytes]] = []
    monkeypatch.setattr(runtime, "start_api_server", sleeping_server(started))
    with pytest.raises(ImportError), runtime.temporary_api_server():
        assert len(started) == 1 and started[0].poll() is None  # booting already
        raise ImportError
    assert started[0].poll() is not None


def test_a_configured_api_is_used_and_the_early_server_stopped(monkeypatch, tmp_path) -> None:
    """An API URL set where only Prefect sees it (a profile): ready() drops the early server."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    started: list[subprocess.Popen[bytes]] = []
    monkeypatch.setattr(runtime, "start_api_server", sleeping_server(started))
    with runtime.temporary_api_server() as server:
        assert len(started) == 1
        with temporary_settings({PREFECT_API_URL: "http://127.0.0.1:9/api"}):
            assert server.ready() is None
        assert started[0].poll() is not None
        assert "PREFECT_API_URL" not in runtime.os.environ


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (".env", "PREFECT_API_URL=http://10.0.0.5:4200/api\n"),
        ("prefect.toml", '[api]\nurl = "http://10.0.0.5:4200/api"\n'),
        ("pyproject.toml", '[tool.prefect.api]\nurl = "http://10.0.0.5:4200/api"\n'),
    ],
)
def test_settings_files_in_the_working_directory_count_too(
    monkeypatch, tmp_path, name, text
) -> None:
    """Prefect reads these from the working directory: they may name an API or move its home."""
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert not runtime.api_url_may_be_configured()
    if name != "prefect.toml":  # that one holds only Prefect settings: its presence counts
        (tmp_path / name).write_text("OTHER_TOOL=1\n[tool.black]\n")
        assert not runtime.api_url_may_be_configured()
    (tmp_path / name).write_text(text)
    assert runtime.api_url_may_be_configured()


def test_no_server_is_started_early_when_an_api_may_be_configured(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.delenv("PREFECT_PROFILES_PATH", raising=False)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert not runtime.api_url_may_be_configured()
    (tmp_path / "profiles.toml").write_text(
        '[profiles.work]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n'
    )
    assert runtime.api_url_may_be_configured()
    (tmp_path / "profiles.toml").unlink()
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert runtime.api_url_may_be_configured()


def test_an_early_server_that_lost_its_port_is_replaced(monkeypatch) -> None:
    """The server launched early is the first attempt: a port taken meanwhile means another."""
    error = r"'ERROR: [Errno 98] error while attempting to bind: address already in use\n'"
    start, started = fake_server(runtime.UVICORN_START_FAILED, error)
    monkeypatch.setattr(runtime, "start_api_server", start)
    with tempfile.TemporaryFile() as log:
        launched = runtime.launch_api_server(log)
        with pytest.raises(RuntimeError, match="no free port in 2 attempts"):
            runtime.start_until_healthy(log, timeout=20, attempts=2, launched=launched)
    assert len(started) == 2  # the early one, then one more


def test_the_small_ca_bundle_is_one_valid_certificate(tmp_path) -> None:
    import ssl

    path = runtime.write_small_ca_bundle(str(tmp_path))
    assert path is not None
    text = (tmp_path / "one-certificate.pem").read_text()
    assert text.count("BEGIN CERTIFICATE") == 1
    context = ssl.create_default_context(cafile=path)  # loads: a real certificate
    assert len(context.get_ca_certs()) == 1


def test_stop_undoes_the_api_url_and_the_ca_bundle(monkeypatch, tmp_path) -> None:
    """What ready() sets for the temporary server is taken back, and its folder removed."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_API_SSL_CERT_FILE", raising=False)
    folder = tmp_path / "bundle"
    folder.mkdir()
    with tempfile.TemporaryFile() as log:
        server = runtime.TemporaryServer(log, attempts=1)
        server.api_url = "http://127.0.0.1:9/api"
        server.folder = str(folder)
        server.ca_bundle = runtime.write_small_ca_bundle(str(folder))
        monkeypatch.setenv("PREFECT_API_URL", server.api_url)
        monkeypatch.setenv("PREFECT_API_SSL_CERT_FILE", server.ca_bundle)
        server.stop()
    assert "PREFECT_API_URL" not in runtime.os.environ
    assert "PREFECT_API_SSL_CERT_FILE" not in runtime.os.environ
    assert not folder.exists()
