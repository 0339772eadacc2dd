"""The ``ingest`` command: bad invocations fail with one line; a real run writes and re-runs add nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from conftest import REPO

from ingest.run.summary import RunSummary

INGEST = [sys.executable, "-m", "ingest"]


def run_ingest(
    *args: str, env: dict[str, str] | None = None, timeout: int = 300, command=tuple(INGEST)
):
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
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
    # The whole run's time and rate, and the rate without Prefect's start-up.
    assert summary["seconds"] > summary["startup_seconds"] > 0
    assert summary["mb_per_second_after_startup"] > summary["mb_per_second"] > 0

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
    # Not a terminal: progress comes as plain lines on stderr, nothing else, and from the start
    # it says what is happening, while Prefect starts too.
    lines = result.stderr.splitlines()
    assert lines == [
        f"ingest: starting Prefect, with the server at {cli_env['PREFECT_API_URL']}",
        lines[1],
        "ingest: 1 files, 0.0 MB in 1 batches",
        lines[3],
    ]
    assert re.fullmatch(r"ingest: Prefect ready after \d+\.\d s; finding inputs", lines[1])
    assert lines[3].startswith("ingest: batch 1/1: 1/1 files, 1 documents, 0 rejects, 0.0 MB, ")
    assert re.search(r"MB/s after start-up[ │]+\d", result.stdout)
    assert Path(tmp_path / "o" / "documents").is_dir()


def test_run_options_and_flow_parameters_share_names_and_defaults() -> None:
    import inspect

    import typer.main
    from ingest_flows.ingest_flow import ingest

    from ingest.cli import app
    from ingest.config import RUN_DEFAULTS

    commands = typer.main.get_command(app).commands
    options = {
        p.name: p.default for p in commands["run"].params if p.name not in ("inputs", "as_json")
    }
    parameters = {
        name: p.default
        for name, p in inspect.signature(ingest.fn).parameters.items()
        if name != "inputs"
    }
    assert set(options) == set(parameters)
    for name, default in parameters.items():
        if default is not inspect.Parameter.empty:
            assert options[name] == default, name
    serve_options = {p.name: p.default for p in commands["serve"].params}
    for name in ("repair_profile", "batch_files", "batch_mb", "workers"):
        assert options[name] == serve_options[name] == getattr(RUN_DEFAULTS, name), name


# What a runner returns: the real summary's fields (so a new field cannot be missed here).
SUMMARY = {
    **RunSummary(files=1, inputs=1, documents=1, input_bytes=10, body_bytes=10).to_dict(),
    "run_id": "r",
    "failed_batches": 0,
}


class FakeRunner:
    """Stands in for the Prefect runner: records what it was given, then returns or fails."""

    def __init__(self) -> None:
        self.request = None
        self.lock_was_held = None
        self.error: BaseException | None = None

    def run(self, request, progress, log_file):
        from ingest.output.layout import open_output
        from ingest.output.lock import OutputLockedError, output_lock

        self.request = request
        try:
            with output_lock(open_output(request.output)):
                self.lock_was_held = False
        except OutputLockedError:
            self.lock_was_held = True
        if self.error is not None:
            log_file.write_text("Traceback (most recent call last):\n  ...\n", encoding="utf-8")
            raise self.error
        return dict(SUMMARY)

    def serve(self, request, name, cron, interval):
        self.request = request
        self.served = (name, cron, interval)


@pytest.fixture
def fake_runner(monkeypatch, tmp_path) -> FakeRunner:
    """``ingest run`` in this process with a fake runner, 2 workers' worth of machine, logs in tmp."""
    import ingest.cli

    runner = FakeRunner()
    monkeypatch.setattr(ingest.cli, "find_runner", lambda: runner)
    monkeypatch.setattr(ingest.cli, "machine_worker_limit", lambda: 2)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return runner


def run_main(*args: str) -> int:
    from ingest.cli import main

    try:
        main(list(args))
    except SystemExit as exited:
        return int(exited.code or 0)
    return 0


def test_too_many_workers_are_lowered_with_one_warning(fake_runner, tmp_path, capsys) -> None:
    code = run_main(
        "run", str(REPO / "seeds"), "-o", str(tmp_path / "out"), "--workers", "10000", "--json"
    )
    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == (
        "ingest: warning: --workers 10000 lowered to 2: this machine's cores and memory "
        "(400 MB a worker) carry no more\n"
    )
    assert fake_runner.request.workers == 2
    assert json.loads(captured.out)["documents"] == 1


def test_workers_the_machine_carries_pass_without_a_warning(fake_runner, tmp_path, capsys) -> None:
    assert run_main("run", str(REPO / "seeds"), "-o", str(tmp_path / "out"), "--workers", "2") == 0
    assert capsys.readouterr().err == ""
    assert fake_runner.request.workers == 2


def test_the_runner_runs_with_the_output_locked(fake_runner, tmp_path, capsys) -> None:
    """Taken before the runner starts Prefect: of two runs started together, one stops at once."""
    out = tmp_path / "out"
    assert run_main("run", str(REPO / "seeds"), "-o", str(out), "--json") == 0
    assert fake_runner.lock_was_held is True
    assert fake_runner.request.output == str(out)
    from ingest.output.layout import open_output
    from ingest.output.lock import output_lock

    with output_lock(open_output(out)):  # released when the run ended
        pass


def test_a_locked_output_refuses_the_run_before_the_runner_starts(
    fake_runner, tmp_path, capsys
) -> None:
    from ingest.output.layout import open_output
    from ingest.output.lock import output_lock

    out = tmp_path / "out"
    with output_lock(open_output(out)):
        code = run_main("run", str(REPO / "seeds"), "-o", str(out))
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"ingest: error: {out} is being written by ingest run (pid ")
    assert err.count("\n") == 1
    assert fake_runner.request is None


def test_a_failed_run_is_one_line_naming_its_log(fake_runner, tmp_path, capsys) -> None:
    fake_runner.error = RuntimeError("3 of 4 batches failed\nsecond line")
    code = run_main("run", str(REPO / "seeds"), "-o", str(tmp_path / "out"))
    (log,) = (tmp_path / "state" / "ingest" / "logs").glob("run-*.log")
    assert code == 1
    assert capsys.readouterr().err == (
        f"ingest: error: the run failed: RuntimeError: 3 of 4 batches failed (details in {log})\n"
    )


def test_no_runner_installed_is_one_line(monkeypatch, tmp_path, capsys) -> None:
    import ingest.run.runner

    monkeypatch.setattr(ingest.run.runner, "entry_points", lambda group: [])
    code = run_main("run", str(REPO / "seeds"), "-o", str(tmp_path / "out"))
    assert code == 1
    assert capsys.readouterr().err == (
        "ingest: error: no runner is installed (entry point group 'ingest.runners'): "
        "reinstall ingest, whose wheel ships one (ingest_flows)\n"
    )
    assert not (tmp_path / "out").exists()


def test_the_installed_runner_is_found_without_importing_prefect() -> None:
    script = (
        "import sys; from ingest.run.runner import find_runner; runner = find_runner(); "
        "print(type(runner).__module__, type(runner).__name__, 'prefect' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert (result.returncode, result.stdout) == (0, "ingest_flows.launch PrefectRunner False\n")


def test_the_core_never_imports_flows_or_prefect() -> None:
    import ast

    source = REPO / "src" / "ingest"
    found = []
    for path in sorted(source.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            found += [
                f"{path.relative_to(source)}: {name}"
                for name in names
                if name.split(".")[0] in ("prefect", "ingest_flows", "prefect_dask")
            ]
    assert found == []


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens once the socket is closed


def test_an_unreachable_dask_scheduler_fails_at_once_in_one_line(tmp_path) -> None:
    out, address = tmp_path / "out", f"tcp://127.0.0.1:{closed_port()}"
    result = run_ingest("run", str(REPO / "seeds"), "-o", str(out), "--dask-address", address)
    assert result.returncode == 1
    assert result.stderr == (
        f"ingest: error: no Dask scheduler answers at {address} (Connection refused)\n"
    )
    assert not out.exists()  # no lock file, nothing else


# Replaces the batch writer before the flow imports it, then runs `ingest run`: every batch
# fails as a full disk or a broken writer would make it.
FAILING_WRITER = """
import errno, sys
import ingest.run.batches

def write_fails(*args, **kwargs):
    raise {error}

ingest.run.batches.write_batch_files = write_fails
from ingest.cli import main
main(sys.argv[1:])
"""


@pytest.mark.prefect
@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            'OSError(errno.ENOSPC, "No space left on device")',
            "OSError: [Errno 28] No space left on device",
        ),
        (
            'RuntimeError("simulated: the writer broke")',
            "RuntimeError: simulated: the writer broke",
        ),
    ],
)
def test_a_failed_run_prints_one_line_and_logs_the_traceback(
    cli_env, tmp_path, error, shown
) -> None:
    out, state, storage = tmp_path / "out", tmp_path / "state", tmp_path / "results"
    env = cli_env | {"XDG_STATE_HOME": str(state), "PREFECT_LOCAL_STORAGE_PATH": str(storage)}
    result = run_ingest(
        *("run", str(REPO / "seeds"), "-o", str(out), "--workers", "1"),
        env=env,
        command=(sys.executable, "-c", FAILING_WRITER.format(error=error)),
    )
    assert result.returncode == 1
    (log,) = (state / "ingest" / "logs").glob("run-*.log")
    *progress, last = result.stderr.splitlines()
    assert progress[0].startswith("ingest: starting Prefect")
    assert progress[2:] == ["ingest: 1 files, 0.0 MB in 1 batches"]
    assert last.startswith(
        "ingest: error: the run failed: BatchesFailedError: 1 of 1 batches failed"
    )
    assert shown in last
    assert last.endswith(f"(details in {log})")
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "in write_fails" in logged
    # Nothing pickled was left behind: no failed task's or flow's exception, with its paths.
    assert not storage.exists() or list(storage.rglob("*")) == []


@pytest.mark.prefect
def test_two_runs_started_together_one_refuses_in_one_line(cli_env, tmp_path) -> None:
    out = tmp_path / "out"
    command = [*INGEST, "run", str(REPO / "seeds"), "-o", str(out)]
    runs = [
        subprocess.Popen(
            command, env=cli_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = sorted((run.communicate(timeout=300)[1], run.returncode)[::-1] for run in runs)
    (ok, _), (refused, message) = results
    assert (ok, refused) == (0, 1)
    assert message.startswith(f"ingest: error: {out} is being written by ingest run (pid ")
    assert message.endswith("try again when it has finished\n")
    assert message.count("\n") == 1


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            "--force",
            "ingest: error: serve takes no --force: every scheduled run would process every "
            "input again and replace its records; run `ingest run --force` once, then serve",
        ),
        (
            "--json",
            "ingest: error: serve takes no --json: it prints no summary, as it does not end; "
            "each run publishes its summary as the Prefect artifact ingest-my-articles "
            "(prefect artifact inspect ingest-my-articles)",
        ),
    ],
)
def test_serve_refuses_a_run_option_a_schedule_cannot_honour_saying_why(
    fake_runner, tmp_path, capsys, option, message
) -> None:
    out = tmp_path / "My_Articles"
    code = run_main("serve", str(REPO / "seeds"), "-o", str(out), "--interval", "60", option)
    assert (code, capsys.readouterr().err) == (2, message + "\n")
    assert fake_runner.request is None
    assert not out.exists()


def test_serve_takes_the_run_options_that_fit_a_schedule(fake_runner, tmp_path, capsys) -> None:
    out = tmp_path / "out"
    args = "--repair-profile minimal --batch-files 5 --batch-mb 2 --workers 1".split()
    args.append("--replace-changed")
    code = run_main("serve", str(REPO / "seeds"), "-o", str(out), "--cron", "0 * * * *", *args)
    assert (code, capsys.readouterr().err) == (0, "")
    request = fake_runner.request
    assert (request.repair_profile, request.batch_files, request.batch_mb) == ("minimal", 5, 2.0)
    assert (request.workers, request.output, request.force) == (1, str(out), False)
    assert request.replace_changed
    assert fake_runner.served == ("ingest-out", "0 * * * *", None)


def test_the_end_of_run_table_shows_the_top_rules_and_both_rates(tmp_path, capsys) -> None:
    from collections import Counter

    from ingest.cli import SUMMARY_RULES_SHOWN, print_summary
    from ingest.output.store import open_store

    removals = Counter({f"rule_{i:02d}": i for i in range(1, 31)})
    counts = RunSummary(input_bytes=6_000_000, removals=removals, seconds=8.0, startup_seconds=5.0)
    print_summary({**counts.to_dict(), "run_id": "r"}, open_store(str(tmp_path)))
    lines = capsys.readouterr().out.splitlines()
    shown = [line for line in lines if "removed by rule_" in line]
    assert len(shown) == SUMMARY_RULES_SHOWN < 30
    assert "rule_30" in shown[0] and "rule_23" in shown[-1]
    (rest,) = [line for line in lines if "more rules" in line]
    assert "removed by 22 more rules (see --json)" in rest and rest.split()[-2] == str(253)
    (rate,) = [line for line in lines if "MB/s " in line and "after" not in line]
    (after,) = [line for line in lines if "MB/s after start-up" in line]
    assert (rate.split()[-2], after.split()[-2]) == ("0.75", "2.00")
