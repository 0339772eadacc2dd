"""Scheduled runs: `ingest serve` against a real Prefect server; prefect.yaml for `prefect deploy`."""

from __future__ import annotations

import ast
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow.dataset as ds
import pytest
import yaml
from conftest import REPO
from test_flow import article, make_corpus, read_records

SERVE_DEADLINE_SECONDS = 120  # an --interval schedule fires its first run soon after serving


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_group(process: subprocess.Popen, first: int = signal.SIGINT, grace: float = 20) -> None:
    """Stop a process started with ``start_new_session=True`` and everything it started."""
    if process.poll() is None:
        os.killpg(process.pid, first)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # stragglers: flow-run subprocesses, workers
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def wait_for(condition, deadline: float, what: str, process: subprocess.Popen | None = None):
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the process exited with {process.returncode}")
        time.sleep(1)
    pytest.fail(f"timed out waiting for {what}")


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory) -> Iterator[str]:
    """A real `prefect server start` on 127.0.0.1 with its own PREFECT_HOME; yields its API URL."""
    tmp_path = tmp_path_factory.mktemp("prefect-server")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {
        "PREFECT_HOME": str(tmp_path / "server-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    }
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/api"

    def healthy() -> bool:
        try:
            return httpx.get(f"{url}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(healthy, time.monotonic() + 120, "prefect server start", server)
        yield url
    finally:
        stop_group(server, signal.SIGTERM)
        log.close()


def completed_flow_runs(url: str) -> list[dict]:
    body = {"flow_runs": {"state": {"type": {"any_": ["COMPLETED", "FAILED", "CRASHED"]}}}}
    runs = httpx.post(f"{url}/flow_runs/filter", json=body, timeout=10).json()
    return sorted(runs, key=lambda r: r["start_time"] or "")


def sources_in(out: Path) -> set[str]:
    if not (out / "documents").is_dir():
        return set()
    try:
        table = ds.dataset(out / "documents", format="parquet").to_table(columns=["source"])
    except (OSError, ValueError):  # a file being replaced
        return set()
    return set(table.column("source").to_pylist())


@pytest.mark.prefect
@pytest.mark.slow
def test_serve_runs_on_schedule_and_each_run_reads_only_new_files(prefect_server, tmp_path) -> None:
    inputs, out = make_corpus(tmp_path / "in", articles=4), tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"PREFECT_API_URL": prefect_server, "PREFECT_HOME": str(tmp_path / "client-home")}
    started = time.monotonic()
    log = (tmp_path / "serve.log").open("w")
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ingest",
            "serve",
            str(inputs),
            "--output",
            str(out),
            "--interval",
            "5",
        ],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = started + SERVE_DEADLINE_SECONDS
        first = wait_for(lambda: sources_in(out), deadline, "the first scheduled run", serve)
        assert "article-00.txt" in first
        (inputs / "late-arrival.txt").write_text(article(77), encoding="utf-8")
        wait_for(
            lambda: "late-arrival.txt" in sources_in(out),
            time.monotonic() + 90,
            "a second scheduled run with the new file",
            serve,
        )
        runs = wait_for(
            lambda: [
                r for r in completed_flow_runs(prefect_server) if r["state_type"] == "COMPLETED"
            ][1:],
            time.monotonic() + 30,
            "the second run to complete",
        )
    finally:
        stop_group(serve)
        log.close()
    elapsed = time.monotonic() - started
    print(f"serve test: two scheduled runs in {elapsed:.0f} s")
    runs = completed_flow_runs(prefect_server)
    assert [r["state_type"] for r in runs][:2] == ["COMPLETED", "COMPLETED"], (
        tmp_path / "serve.log"
    ).read_text()
    assert all(r["name"].startswith("ingest-out-") for r in runs)
    (schedule,) = deployment_schedules(prefect_server, "ingest-out")
    assert schedule["interval"] == 5
    table = ds.dataset(out / "documents", format="parquet").to_table(columns=["source", "run_id"])
    rows = table.to_pylist()
    assert len(rows) == len({r["source"] for r in rows})  # nothing written twice
    late_run = {r["run_id"] for r in rows if r["source"] == "late-arrival.txt"}
    assert len(late_run) == 1
    assert [r["source"] for r in rows if r["run_id"] in late_run] == ["late-arrival.txt"]
    assert read_records(out, "documents") == local_records(inputs, tmp_path / "local")


def deployment_schedules(url: str, name: str) -> list[dict]:
    """The schedules of the deployment called ``name`` on the server ([] while it is not there)."""
    body = {"deployments": {"name": {"any_": [name]}}}
    deployments = httpx.post(f"{url}/deployments/filter", json=body, timeout=10).json()
    return [s["schedule"] for d in deployments for s in d.get("schedules") or []]


@pytest.mark.prefect
@pytest.mark.slow
def test_serve_registers_its_cron_schedule_with_the_server(prefect_server, tmp_path) -> None:
    inputs = make_corpus(tmp_path / "in", articles=1)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"PREFECT_API_URL": prefect_server, "PREFECT_HOME": str(tmp_path / "client-home")}
    command = [sys.executable, "-m", "ingest", "serve", str(inputs), "-o", str(tmp_path / "out")]
    serve = subprocess.Popen(
        [*command, "--cron", "0 6 1 1 *", "--name", "yearly"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        schedules = wait_for(
            lambda: deployment_schedules(prefect_server, "yearly"),
            time.monotonic() + 120,
            "the served deployment",
            serve,
        )
    finally:
        stop_group(serve)
    assert [s["cron"] for s in schedules] == ["0 6 1 1 *"]
    assert schedules[0]["timezone"] in (None, "UTC")


def local_records(inputs: Path, out: Path) -> list[dict]:
    """The records the library alone (no Prefect, one batch) makes of the same inputs."""
    from ingest.output.dataset import SeenIndex
    from ingest.output.layout import open_output
    from ingest.output.parquet import RunInfo
    from ingest.read.files import find_input_files
    from ingest.run.batches import process_files, write_batch_files

    documents, rejects, _ = process_files(find_input_files([inputs]), SeenIndex())
    write_batch_files([*documents, *rejects], open_output(out), RunInfo.start(), 0)
    return read_records(out, "documents")


def test_prefect_yaml_deploys_the_installed_flow() -> None:
    config = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = config["deployments"]
    path, function = deployment["entrypoint"].split(":")
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    flows = {
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any("flow" in ast.unparse(d) for d in node.decorator_list)
    }
    assert function in flows
    from ingest_flows.ingest_flow import ingest

    assert set(deployment["parameters"]) <= set(ingest.parameters.properties)
    assert set(ingest.parameters.required) <= set(deployment["parameters"])
    assert deployment["work_pool"]["name"] == "ingest-local"
    (pull,) = config["pull"]
    assert "prefect.deployments.steps.set_working_directory" in pull
    for schedule in deployment["schedules"]:
        from prefect.client.schemas.schedules import CronSchedule

        CronSchedule(cron=schedule["cron"])


@pytest.mark.parametrize(
    ("args", "env_url", "message"),
    [
        (
            ["--cron", "* * * * *"],
            None,
            "ingest: error: a schedule needs a running Prefect server and PREFECT_API_URL is not "
            "set: start one with `prefect server start --host 127.0.0.1`, "
            "then `export PREFECT_API_URL=http://127.0.0.1:4200/api`",
        ),
        ([], None, "ingest: error: give exactly one schedule: --cron CRON or --interval SECONDS"),
        (
            ["--cron", "* * *"],
            None,
            "ingest: error: invalid --cron '* * *': Value error, Invalid cron string: \"* * *\"",
        ),
        (
            ["--interval", "60", "--dask-address", "localhost:8786"],
            None,
            "ingest: error: --dask-address must look like tcp://HOST:PORT, not 'localhost:8786'",
        ),
        (
            ["--interval", "60"],
            "http://127.0.0.1:9/api",
            "ingest: error: no Prefect server answers at PREFECT_API_URL=http://127.0.0.1:9/api "
            "(ConnectError): start one with `prefect server start --host 127.0.0.1`, "
            "then `export PREFECT_API_URL=http://127.0.0.1:4200/api`",
        ),
    ],
)
def test_serve_without_a_usable_server_or_schedule_is_one_line(
    tmp_path, args, env_url, message
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    if env_url:
        env["PREFECT_API_URL"] = env_url
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest",
            "serve",
            str(REPO / "seeds"),
            "--output",
            str(tmp_path / "out"),
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stderr) == (2, message + "\n")
    assert not (tmp_path / "out").exists()


def test_serve_help_has_examples() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ingest", "serve", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    for option in ("--cron", "--interval", "--name", "--output", "--workers", "--dask-address"):
        assert option in result.stdout
    assert 'ingest serve crawl/ --output /data/articles --cron "0 * * * *"' in result.stdout
