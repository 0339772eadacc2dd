"""A run killed with SIGKILL leaves no partial file; the re-run completes the set, no duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from conftest import parquet_files

DOCS = 240


def make_inputs(folder) -> None:
    folder.mkdir()
    for i in range(DOCS):
        paragraphs = [
            f"Paragraph {p} of article {i}: a sentence long enough to be prose, with a clause "
            f"and a number {i * 7 + p}, ending with a full stop."
            for p in range(30)
        ]
        (folder / f"doc{i:04d}.txt").write_text(
            f"Headline number {i}\n\n" + "\n\n".join(paragraphs)
        )


def start_run(inputs, out, env):
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "run", str(inputs), "-o", str(out), "--batch-files", "8"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_for_files(folder, count: int, process, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if folder.is_dir() and len(list(folder.glob("part-*.parquet"))) >= count:
            return
        time.sleep(0.02)


def rerun_completes_the_set(inputs, out, env) -> None:
    """A plain re-run succeeds and OUT then holds every input's document exactly once."""
    rerun = subprocess.run(
        [sys.executable, "-m", "ingest", "run", str(inputs), "-o", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    table = ds.dataset(out / "documents", format="parquet").to_table(columns=["doc_id"])
    assert table.num_rows == len(set(table.column("doc_id").to_pylist())) == DOCS


@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.parametrize("kill_after_files", [1, 2, 4, 7, 11, 16])
def test_sigkill_mid_run_then_rerun(cli_env, tmp_path, kill_after_files) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs)
    process = start_run(inputs, out, cli_env)
    try:
        wait_for_files(out / "documents", kill_after_files, process)
        os.killpg(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=60)

    # Every visible file is complete: readable whole, with its footer and metadata.
    for path in parquet_files(out / "documents"):
        assert pq.read_metadata(path).num_rows > 0
    written = ds.dataset(out / "documents", format="parquet").count_rows()
    assert written < DOCS, "the kill came after the run finished: nothing was tested"

    rerun_completes_the_set(inputs, out, cli_env)
    leftovers = list(out.rglob(".*.tmp"))
    assert leftovers == []


@pytest.mark.prefect
@pytest.mark.slow
def test_a_second_run_on_the_same_output_refuses_clearly(cli_env, tmp_path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs)
    first = start_run(inputs, out, cli_env)
    try:
        wait_for_files(out / "documents", 1, first)
        assert first.poll() is None, "the first run ended before the second started"
        second = subprocess.run(
            [sys.executable, "-m", "ingest", "run", str(inputs), "-o", str(out)],
            env=cli_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert second.returncode == 1
        assert second.stderr.startswith(
            f"ingest: error: {out} is being written by ingest run (pid "
        )
        assert second.stderr.endswith("try again when it has finished\n")
        assert second.stderr.count("\n") == 1
    finally:
        assert first.wait(timeout=300) == 0
    table = ds.dataset(out / "documents", format="parquet").to_table(columns=["doc_id"])
    assert table.num_rows == len(set(table.column("doc_id").to_pylist())) == DOCS


@pytest.mark.prefect
@pytest.mark.slow
def test_sigterm_stops_the_run_cleanly_and_a_rerun_completes(cli_env, tmp_path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs)
    process = subprocess.Popen(
        [sys.executable, "-m", "ingest", "run", str(inputs), "-o", str(out), "--batch-files", "8"],
        env=cli_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for_files(out / "documents", 1, process)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 143
    assert stderr.splitlines()[-1] == (
        "ingest: error: stopped by SIGTERM: finished batches are kept; run again to complete"
    )
    rerun_completes_the_set(inputs, out, cli_env)


def process_state(pid: int | str) -> tuple[str, int, str] | None:
    """(state, parent pid, command line) of a process, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None
    return fields[0], int(fields[1]), command


def children_of(pid: int) -> dict[int, str]:
    """Live (not zombie) child processes of ``pid``, with their command lines."""
    children = {}
    for entry in Path("/proc").iterdir():
        state = process_state(entry.name) if entry.name.isdigit() else None
        if state is not None and state[1] == pid and state[0] != "Z":
            children[int(entry.name)] = state[2]
    return children


def is_alive(pid: int) -> bool:
    state = process_state(pid)
    return state is not None and state[0] != "Z"


@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_sigkill_leaves_no_temporary_server_or_worker_behind(tmp_path) -> None:
    """Without PREFECT_API_URL, ingest run starts Prefect's API itself; SIGKILL takes it along."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    make_inputs(inputs)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    process = start_run(inputs, out, env)
    try:
        wait_for_files(out / "documents", 1, process, timeout=180)
        children = children_of(process.pid)
        servers = [pid for pid, command in children.items() if "ingest_flows.api_server" in command]
        assert len(servers) == 1, children
        assert not any("uvicorn" in command for command in children.values()), children
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(map(is_alive, children)):
            time.sleep(0.1)
        assert not [pid for pid in children if is_alive(pid)], children
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    rerun_completes_the_set(inputs, out, env)
