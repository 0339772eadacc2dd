"""scripts/count_structure_instructions.py: which files warm up and which are measured, and
its refusals (the callgrind run itself is a benchmark, not a test)."""

from __future__ import annotations

import shutil
import sys

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))

import count_structure_instructions as counting


def test_every_step_th_file_is_measured_and_the_others_warm_up(tmp_path) -> None:
    for index in range(7):
        (tmp_path / f"{index:02d}.txt").write_text(f"page {index}\n")
    warm, measured = counting.split_files(tmp_path, 3)
    assert [path.name for path in measured] == ["00.txt", "03.txt", "06.txt"]
    assert [path.name for path in warm] == ["01.txt", "02.txt", "04.txt", "05.txt"]


def test_the_worker_runs_the_stage_on_both_sets(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("A headline for the day\n\n" + "Text. " * 30)
    (tmp_path / "b.txt").write_bytes(b"")  # rejected as empty: skipped, not an error
    (tmp_path / "c.txt").write_text("Another headline\n\n" + "More text. " * 30)
    assert counting.main(["--worker", "--measure", "--source", str(tmp_path)]) == 0


def test_a_step_below_two_leaves_nothing_to_warm_up(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit):
        counting.main(["--source", str(tmp_path), "--step", "1"])
    assert "at least 2" in capsys.readouterr().err


def test_without_valgrind_it_says_so(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(SystemExit):
        counting.main(["--source", str(tmp_path)])
    assert "valgrind is not installed" in capsys.readouterr().err


def test_a_counted_run_fixes_hashing_and_blas_threads(monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "random")
    env = counting.worker_environment()
    assert (env["PYTHONHASHSEED"], env["OPENBLAS_NUM_THREADS"]) == ("0", "1")
    assert env["PATH"] == counting.os.environ["PATH"]
