"""A run killed with SIGKILL leaves no partial file; the re-run completes the set, no duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from ingest.dataset import list_parquet_files

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
    for path in list_parquet_files(out / "documents"):
        assert pq.read_metadata(path).num_rows > 0
    written = ds.dataset(out / "documents", format="parquet").count_rows()
    assert written < DOCS, "the kill came after the run finished: nothing was tested"

    rerun = subprocess.run(
        [sys.executable, "-m", "ingest", "run", str(inputs), "-o", str(out), "--json"],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    table = ds.dataset(out / "documents", format="parquet").to_table(columns=["doc_id", "source"])
    assert table.num_rows == DOCS
    assert len(set(table.column("doc_id").to_pylist())) == DOCS
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
    rerun = subprocess.run(
        [sys.executable, "-m", "ingest", "run", str(inputs), "-o", str(out)],
        env=cli_env,
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert rerun.returncode == 0
    table = ds.dataset(out / "documents", format="parquet").to_table(columns=["doc_id"])
    assert table.num_rows == len(set(table.column("doc_id").to_pylist())) == DOCS
