"""The ``ingest`` command: bad invocations fail with one line; a real run writes and re-runs add nothing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from conftest import REPO

INGEST = [sys.executable, "-m", "ingest"]


def run_ingest(*args: str, env: dict[str, str] | None = None, timeout: int = 300):
    return subprocess.run(
        [*INGEST, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["run", "missing-folder", "--output", "{out}"],
            "ingest: error: input not found: missing-folder",
        ),
        (
            ["run", "seeds", "--output", "pyproject.toml"],
            "ingest: error: output is not a folder: pyproject.toml",
        ),
        (
            ["run", "seeds", "--output", "{out}", "--zzz"],
            "ingest: error: No such option: --zzz",
        ),
        (["run", "seeds"], "ingest: error: Missing option '--output' / '-o'."),
        (["run", "--output", "{out}"], "ingest: error: Missing argument 'INPUT'."),
        (["explode"], "ingest: error: No such command 'explode'."),
        (
            ["run", "seeds", "--output", "{out}", "--repair-profile", "nope"],
            "ingest: error: unknown repair profile 'nope' (known: default, ftfy, minimal)",
        ),
        (
            ["run", "seeds", "--output", "seeds/out"],
            "ingest: error: input seeds lies inside the output folder seeds/out",
        ),
    ],
)
def test_bad_invocation_is_one_line_and_writes_nothing(tmp_path, args, message) -> None:
    out = tmp_path / "out"
    argv = [a.replace("{out}", str(out)) for a in args]
    if argv[-1] == "seeds/out":  # an output folder that contains the input
        argv = ["run", str(tmp_path / "seeds"), "--output", str(tmp_path)]
        (tmp_path / "seeds").mkdir()
        message = (
            f"ingest: error: input {tmp_path / 'seeds'} lies inside the output folder {tmp_path}"
        )
    result = subprocess.run(
        [*INGEST, *argv], capture_output=True, text=True, cwd=REPO, timeout=60, check=False
    )
    assert result.returncode == 2
    assert result.stderr == message + "\n"
    assert "Traceback" not in result.stdout
    assert not out.exists()


def test_help_documents_every_option() -> None:
    top = run_ingest("--help")
    assert top.returncode == 0
    assert "run" in top.stdout
    result = run_ingest("run", "--help")
    assert result.returncode == 0
    text = result.stdout
    for option in ("--output", "--repair-profile", "--batch-files", "--batch-mb", "--json"):
        assert option in text
    assert "Examples:" in text
    assert "ingest run seeds/ --output out/" in text


def test_version() -> None:
    from ingest import __version__

    result = run_ingest("--version")
    assert (result.returncode, result.stdout) == (0, f"ingest {__version__}\n")


@pytest.mark.prefect
def test_run_then_rerun_adds_nothing(cli_env, tmp_path) -> None:
    out = tmp_path / "out"
    first = run_ingest("run", str(REPO / "seeds"), "--output", str(out), "--json", env=cli_env)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["documents"], summary["rejects"], summary["skipped"]) == (1, 0, 0)

    again = run_ingest("run", str(REPO / "seeds"), "--output", str(out), "--json", env=cli_env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["known_files"] == 1  # listed in the manifest: not read
    assert ds.dataset(out / "documents", format="parquet").count_rows() == 1

    forced = run_ingest(
        "run", str(REPO / "seeds"), "-o", str(out), "--force", "--json", env=cli_env
    )
    assert forced.returncode == 0, forced.stderr
    assert json.loads(forced.stdout)["documents"] == 1
    rows = ds.dataset(out / "documents", format="parquet").to_table().to_pylist()
    assert [r["run_id"] for r in rows] == [json.loads(forced.stdout)["run_id"]]  # replaced


@pytest.mark.prefect
def test_human_summary_on_stdout(cli_env, tmp_path) -> None:
    result = run_ingest("run", str(REPO / "seeds"), "--output", str(tmp_path / "o"), env=cli_env)
    assert result.returncode == 0, result.stderr
    assert "documents" in result.stdout
    assert "removed by language_switcher_label" in result.stdout
    # Not a terminal: progress comes as plain lines on stderr, nothing else.
    lines = result.stderr.splitlines()
    assert lines == ["ingest: 1 files, 0.0 MB in 1 batches", lines[1]]
    assert lines[1].startswith("ingest: batch 1/1: 1/1 files, 1 documents, 0 rejects, 0.0 MB, ")
    assert Path(tmp_path / "o" / "documents").is_dir()


def test_run_options_and_flow_parameters_share_names_and_defaults() -> None:
    import inspect

    import typer.main
    from ingest_flows.ingest_flow import ingest

    from ingest.cli import app

    command = typer.main.get_command(app).commands["run"]
    options = {p.name: p.default for p in command.params if p.name not in ("inputs", "as_json")}
    parameters = {
        name: p.default
        for name, p in inspect.signature(ingest.fn).parameters.items()
        if name != "inputs"
    }
    assert set(options) == set(parameters)
    for name, default in parameters.items():
        if default is not inspect.Parameter.empty:
            assert options[name] == default, name
