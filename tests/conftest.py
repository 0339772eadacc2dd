"""Shared fixtures. Prefect is configured here, before anything imports it."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Tests never touch the user's ~/.prefect, never phone home, and stay quiet.
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="ingest-tests-prefect-"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW"] = "ignore"
os.environ["PREFECT_LOGGING_LEVEL"] = "WARNING"
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "120"
os.environ.pop("PREFECT_API_URL", None)

REPO = Path(__file__).resolve().parents[1]
CASES = REPO / "tests" / "cases"
SEED = REPO / "seeds" / "000_980a3f42cf23cc1f.txt"
SHARED = REPO.parent / "shared"


def write_parquet(table: Any, folder: str | os.PathLike[str], name: str) -> Path | str:
    """Write an Arrow table to ``folder/name`` with the library's writer (a test's own file).

    Returns the local path, or the object's URI (``s3://bucket/key``).
    """
    from ingest.output.parquet import write_table
    from ingest.output.store import open_store

    store = open_store(folder)
    path = store.path(name)
    write_table(store, table, path)
    return Path(path) if store.local else store.display(path)


def parquet_files(folder: Path) -> list[Path]:
    """The finished Parquet files under a local folder, as the library lists them."""
    from ingest.output.store import open_store

    return [Path(path) for path, _ in open_store(folder).list_files(str(folder), ".parquet")]


def load_cases(name: str) -> list[dict[str, Any]]:
    """The golden cases in ``tests/cases/NAME.json``."""
    cases: list[dict[str, Any]] = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    return cases


@pytest.fixture(scope="session")
def prefect_api() -> Iterator[str]:
    """A real Prefect API server for the whole session (the flow engine, not a mock).

    Yields its URL so subprocesses (the ``ingest`` command) can use the same server.
    """
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield str(PREFECT_API_URL.value())


@pytest.fixture
def cli_env(prefect_api: str) -> dict[str, str]:
    """Environment for running the ``ingest`` command against the session's Prefect server."""
    env = dict(os.environ)
    env["PREFECT_API_URL"] = prefect_api
    return env


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """A real S3-compatible server (moto) on 127.0.0.1 for the whole session; yields its URL."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # not a line per request
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_env(s3_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """AWS variables pointing at the session's S3 server (and nowhere else), for this test."""
    from ingest.output.store import clear_store_cache

    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3", "AWS_CONFIG_FILE"):
        monkeypatch.delenv(name, raising=False)
    values = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_server,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    clear_store_cache()
    yield values
    clear_store_cache()


@pytest.fixture
def s3_bucket(s3_env: dict[str, str]) -> str:
    """A new, empty bucket on the session's S3 server."""
    import secrets

    import boto3

    name = f"ingest-test-{secrets.token_hex(4)}"
    boto3.client("s3", endpoint_url=s3_env["AWS_ENDPOINT_URL"]).create_bucket(Bucket=name)
    return name
