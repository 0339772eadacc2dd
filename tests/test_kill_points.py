"""Whatever moment a run is killed at, one complete re-run leaves exactly the records of a run
that was never interrupted: the same documents, no ``doc_id`` twice, the same rejects.

The corpus holds byte-identical copies and copies with the same body, so the run-level duplicate
pass has work to do; the kill points are seeded random moments of plain runs and of ``--force``
runs over a finished output, and in each the moment every batch is written (the duplicate pass
and, with ``--force``, the replacement of old records are next). ``tests/output/test_settle.py``
kills in-process after every number of batches, in any finishing order.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds
import pytest

UNIQUE = 96
BATCH_FILES = "6"
SEED = 17  # the random kill moments are drawn from this seed, so a failure can be replayed


def article(i: int) -> str:
    paragraphs = [
        f"Paragraph {p} of article {i}: a sentence long enough to be prose, with a clause and "
        f"the number {i * 13 + p}, ending with a full stop."
        for p in range(12)
    ]
    return f"Headline number {i}\n\n" + "\n\n".join(paragraphs)


def make_corpus(folder: Path) -> None:
    """Unique articles, byte-identical copies, same-body copies, and inputs that are rejects."""
    folder.mkdir()
    for i in range(UNIQUE):
        (folder / f"a{i:03d}.txt").write_text(article(i), encoding="utf-8")
    for i in range(0, UNIQUE, 6):  # byte-identical copies, in other batches than their original
        shutil.copyfile(folder / f"a{i:03d}.txt", folder / f"z-copy{i:03d}.txt")
    for i in range(3, UNIQUE, 12):  # other bytes, the same body once cleaned
        (folder / f"m-same{i:03d}.txt").write_text(article(i) + "\n\n\n", encoding="utf-8")
    for name in ("e1.txt", "e2.txt"):  # identical empty inputs: rejects, never documents
        (folder / name).write_bytes(b"")


def run(inputs: Path, out: Path, env: dict[str, str], *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "ingest", "run", str(inputs), "-o", str(out)]
    return subprocess.Popen(
        [*command, "--batch-files", BATCH_FILES, *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def finish(process: subprocess.Popen) -> None:
    assert process.wait(timeout=300) == 0


def records(out: Path) -> tuple[Counter, Counter]:
    """The documents' doc_ids and the rejects' (source, reason), each as a multiset."""
    documents = ds.dataset(out / "documents", format="parquet").to_table(columns=["doc_id"])
    rejects = ds.dataset(out / "rejects", format="parquet").to_table(columns=["source", "reason"])
    return (
        Counter(documents.column("doc_id").to_pylist()),
        Counter(zip(*(rejects.column(c).to_pylist() for c in ("source", "reason")), strict=True)),
    )


def part_files(out: Path) -> int:
    folder = out / "documents"
    return len(list(folder.glob("*.parquet"))) if folder.is_dir() else 0


def kill_when(process: subprocess.Popen, ready, timeout: float = 180) -> bool:
    """SIGKILL the run's process group once ``ready()``; False when the run ended first."""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if ready():
                os.killpg(process.pid, signal.SIGKILL)
                return True
            time.sleep(0.01)
        return False
    finally:
        process.wait(timeout=60)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, prefect_api):
    """The inputs, the records of an uninterrupted run, and how long that run took."""
    cli_env = {**os.environ, "PREFECT_API_URL": prefect_api}
    root = tmp_path_factory.mktemp("kill")
    inputs = root / "in"
    make_corpus(inputs)
    started = time.monotonic()
    finish(run(inputs, root / "reference", cli_env))
    seconds = time.monotonic() - started
    reference = records(root / "reference")
    documents, rejects = reference
    assert max(documents.values()) == 1
    assert sum(r == "duplicate" for _, r in rejects) >= UNIQUE // 6  # the pass had work to do
    return inputs, reference, seconds


def kill_points() -> list[tuple[str, str, float]]:
    """(label, phase, where): seeded random moments, and the moment every batch is written.

    A moment is a share of the uninterrupted run's duration: from Prefect's start-up (nothing
    written yet) to past the end of the batches (the duplicate pass). ``end`` kills as soon as
    every batch file is there, when the duplicate pass is next.
    """
    rng = random.Random(SEED)
    points = [("moment", "plain", round(rng.uniform(0.2, 1.05), 3)) for _ in range(7)]
    points += [("end", "plain", 0)]
    points += [("moment", "force", round(rng.uniform(0.2, 1.05), 3)) for _ in range(3)]
    points += [("end", "force", 0)]
    return points


@pytest.mark.prefect
@pytest.mark.slow
@pytest.mark.parametrize(("kind", "phase", "where"), kill_points())
def test_one_rerun_after_a_kill_gives_the_uninterrupted_records(
    corpus, cli_env, tmp_path, kind, phase, where
) -> None:
    inputs, reference, seconds = corpus
    out = tmp_path / "out"
    total_batches = -(-sum(1 for _ in inputs.iterdir()) // int(BATCH_FILES))
    extra: tuple[str, ...] = ()
    if phase == "force":  # over a finished output: the uninterrupted run's (its manifest too)
        shutil.copytree(inputs.parent / "reference", out)
        extra = ("--force",)
    baseline = part_files(out)
    process = run(inputs, out, cli_env, *extra)
    started = time.monotonic()
    if kind == "end":
        killed = kill_when(process, lambda: part_files(out) - baseline >= total_batches)
    else:
        killed = kill_when(process, lambda: time.monotonic() - started >= where * seconds)
    if not killed:  # the run ended first: then the re-run must leave its records as they are
        assert process.returncode == 0
    finish(run(inputs, out, cli_env))
    assert records(out) == reference
