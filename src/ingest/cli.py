"""The ``ingest`` command line.

Arguments are checked before anything starts, so a bad invocation exits non-zero with one line on
stderr and writes nothing. ``ingest run`` then takes the output's lock and hands the run to the
installed runner (``ingest.run.runner``: the Prefect flow ``ingest``, from ``ingest_flows``); a
failed run prints one line naming the log file that holds the details.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from ingest import __version__
from ingest.config import RUN_DEFAULTS
from ingest.output.layout import DOCUMENTS, REJECTS, Output
from ingest.output.lock import OutputLockedError, output_lock, remote_lock_warning
from ingest.output.store import (
    StorageError,
    Store,
    UnknownSchemeError,
    base_name,
    first_line,
    open_store,
)
from ingest.run.progress import ProgressReporter
from ingest.run.runner import (
    NoRunnerError,
    Runner,
    RunRefused,
    RunRequest,
    dask_scheduler_problem,
    find_runner,
    is_dask_address,
    new_log_file,
)
from ingest.run.workers import cap_workers, machine_worker_limit

EXIT_USAGE = 2
EXIT_RUN_FAILED = 1

RUN_EPILOG = """\
\b
Examples:
  ingest run seeds/ --output out/
  ingest run crawl/2026-11-*/ pages.jsonl.gz --output /data/articles --json
  ingest run seeds/ --output s3://my-bucket/articles

Each INPUT is a file or a folder (read recursively; hidden files skipped). Formats: plain text
(any extension), HTML (.html, .htm), JSON Lines (.jsonl: one document per line, from its "text"
or "html" field), each optionally gzipped (.gz); WARC (.warc, .warc.gz: each HTML response
record a document) and WET (.warc.wet.gz, .wet: each text conversion record a document).

OUT gets documents/ and rejects/, two Parquet datasets. Inputs already in OUT (the same bytes)
are skipped, so re-running adds nothing.

OUT may be on object storage: s3://bucket/prefix (gs:// and fsspec URLs too). Credentials and
endpoint come from the usual AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_DEFAULT_REGION; AWS_ENDPOINT_URL=http://127.0.0.1:9000 for MinIO and the like). There the
lock only keeps out runs on the same machine: run one writer per prefix.

Prefect runs in its local ephemeral mode unless PREFECT_API_URL points at a server; the first run
on a machine spends about 20 s setting Prefect up, later runs about 6 s. What Prefect logs goes
to a file under $XDG_STATE_HOME/ingest/logs/ (~/.local/state/ingest/logs/), which a failed run
names in its one-line error.
"""

app = typer.Typer(
    name="ingest",
    help="Scraped article text in, clean structured Parquet records out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class UsageProblem(Exception):  # noqa: N818 - named for what the user sees
    """A bad argument found by our own checks."""


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line to stderr and exit."""
    sys.stderr.write(f"ingest: error: {message}\n")
    raise SystemExit(code)


def warn(message: str) -> None:
    """Print one warning line to stderr."""
    sys.stderr.write(f"ingest: warning: {message}\n")


def check_run_arguments(inputs: list[Path], output: Path | None) -> None:
    """Raise ``UsageProblem`` for inputs or a local output the run cannot use.

    ``output`` is ``None`` for an output on object storage (``check_output_location`` checks it).
    """
    for given in inputs:
        if not given.exists():
            msg = f"input not found: {given}"
            raise UsageProblem(msg)
        if not os.access(given, os.R_OK):
            msg = f"input is not readable: {given}"
            raise UsageProblem(msg)
    if output is None:
        return
    if output.exists() and not output.is_dir():
        msg = f"output is not a folder: {output}"
        raise UsageProblem(msg)
    existing = output
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        msg = f"output is not writable: {output}"
        raise UsageProblem(msg)
    out_real = output.resolve()
    for given in inputs:
        if given.resolve().is_relative_to(out_real):
            msg = f"input {given} lies inside the output folder {output}"
            raise UsageProblem(msg)


def check_output_location(output: str) -> tuple[str, Store]:
    """The output as the flow gets it, and its store; problems end the command in one line.

    A local path is normalised as before (``out/`` becomes ``out``; ``file:///x`` becomes
    ``/x``). An unknown scheme is a
    usage error (exit 2); an object store that cannot be used (no such bucket, refused
    credentials, unreachable endpoint) fails the command (exit 1) before anything starts, and
    a warning says what the lock does not guarantee there.
    """
    try:
        store = open_store(output)
        if store.local:  # a path, or file://: the flow gets the path
            return str(Path(store.root)), store
        store.check_usable()
    except UnknownSchemeError as error:
        raise UsageProblem(str(error)) from None
    except StorageError as error:
        fail(str(error), EXIT_RUN_FAILED)
    warn(str(remote_lock_warning(Output(store))))
    return output, store


def load_runner() -> Runner:
    """The installed runner; none installed ends the command in one line."""
    try:
        return find_runner()
    except NoRunnerError as error:
        fail(str(error), EXIT_RUN_FAILED)


class RunStopped(BaseException):
    """SIGTERM arrived during a run."""


def raise_run_stopped(_signum: int, _frame: object) -> None:
    """SIGTERM handler for the duration of a run."""
    raise RunStopped


# The options `run` and `serve` share: the flow's parameters, with the same names and defaults.
InputsArgument = Annotated[
    list[Path],
    typer.Argument(metavar="INPUT", help="Files or folders to read.", show_default=False),
]
OutputOption = Annotated[
    str,
    typer.Option(
        "--output",
        "-o",
        metavar="OUT",
        help="Output folder (created if missing), or a prefix on object storage such as "
        "s3://bucket/prefix (the bucket must exist).",
    ),
]
# OUT for the commands that read an output that exists (compact, stats).
ExistingOutputArgument = Annotated[
    str,
    typer.Argument(
        metavar="OUT",
        help="An output folder written by ingest run, or its s3://bucket/prefix.",
        show_default=False,
    ),
]
RepairProfileOption = Annotated[
    str,
    typer.Option(
        "--repair-profile",
        metavar="PROFILE",
        help="Text repair profile: default (repairs mojibake, entities, controls; keeps "
        "typographic quotes), ftfy (ftfy's own defaults: straightens quotes), minimal.",
    ),
]
BatchFilesOption = Annotated[
    int, typer.Option(min=1, metavar="N", help="Most files in one batch (one Prefect task).")
]
BatchMbOption = Annotated[
    float,
    typer.Option(min=0.001, metavar="MB", help="About how many MB of input one batch reads."),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        min=1,
        metavar="N",
        help="Batches processed at once, each in its own process. [default: all cores]",
        show_default=False,
    ),
]
DaskAddressOption = Annotated[
    str | None,
    typer.Option(
        metavar="tcp://HOST:PORT",
        help="Run the batches on this Dask scheduler instead (needs ingest[dask]; its workers "
        "need ingest installed and OUT at the same path).",
        show_default=False,
    ),
]


ReplaceChangedOption = Annotated[
    bool,
    typer.Option(
        "--replace-changed",
        help="An input whose file changed since OUT recorded it (same source, new bytes): "
        "its new record replaces the old one. Without it OUT keeps both versions.",
    ),
]


def check_dask_address(address: str | None) -> None:
    """Raise ``UsageProblem`` for a Dask scheduler address we do not accept.

    >>> check_dask_address("tcp://10.0.0.5:8786")
    >>> check_dask_address("10.0.0.5:8786")
    Traceback (most recent call last):
    ...
    ingest.cli.UsageProblem: --dask-address must look like tcp://HOST:PORT, not '10.0.0.5:8786'
    """
    if address is None:
        return
    if not is_dask_address(address):
        msg = f"--dask-address must look like tcp://HOST:PORT, not {address!r}"
        raise UsageProblem(msg)


def check_where_batches_run(workers: int | None, dask_address: str | None) -> int | None:
    """The workers the run asks for, once what runs its batches is checked, before any work.

    A Dask scheduler must accept a connection now (else one line, exit 1, no lock file left);
    local workers are lowered, with a warning, to what this machine's cores and memory carry.
    """
    if dask_address:
        if problem := dask_scheduler_problem(dask_address):
            fail(problem, EXIT_RUN_FAILED)
        return workers
    workers, too_many = cap_workers(workers, machine_worker_limit())
    if too_many:
        warn(too_many)
    return workers


@app.command("run", epilog=RUN_EPILOG)
def run_command(
    inputs: InputsArgument,
    output: OutputOption,
    repair_profile: RepairProfileOption = RUN_DEFAULTS.repair_profile,
    batch_files: BatchFilesOption = RUN_DEFAULTS.batch_files,
    batch_mb: BatchMbOption = RUN_DEFAULTS.batch_mb,
    workers: WorkersOption = RUN_DEFAULTS.workers,
    dask_address: DaskAddressOption = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Process inputs already in OUT again; their new records replace the old ones.",
        ),
    ] = False,
    replace_changed: ReplaceChangedOption = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the run's summary as JSON on stdout.")
    ] = False,
) -> None:
    """Run the pipeline once over INPUT... and write Parquet to OUT."""
    output, store = check_output_location(output)
    check_run_arguments(inputs, Path(output) if store.local else None)
    check_repair_profile(repair_profile)
    check_dask_address(dask_address)
    workers = check_where_batches_run(workers, dask_address)
    runner = load_runner()
    request = RunRequest(
        inputs=[str(p) for p in inputs],
        output=output,
        repair_profile=repair_profile,
        batch_files=batch_files,
        batch_mb=batch_mb,
        workers=workers,
        dask_address=dask_address,
        force=force,
        replace_changed=replace_changed,
    )
    log_file = new_log_file()
    reporter = ProgressReporter()
    # Prefect turns SIGTERM into a crash of the flow run, then re-sends it to the handler that was
    # there before: this one, which ends the command cleanly (in-flight batches finish first).
    previous_handler = signal.signal(signal.SIGTERM, raise_run_stopped)
    try:
        # Held from before the runner starts to the end of the run: of two runs started together
        # on one output, the second stops here, in one line, before any start-up work.
        with output_lock(Output(store)):
            summary = runner.run(request, reporter, log_file)
    except OutputLockedError as error:
        fail(str(error), EXIT_RUN_FAILED)
    except Exception as error:  # one line for the user; the log file has the details
        details = f" (details in {log_file})" if log_file.exists() else ""
        fail(
            f"the run failed: {type(error).__name__}: {first_line(error)}{details}",
            EXIT_RUN_FAILED,
        )
    except RunStopped:
        fail("stopped by SIGTERM: finished batches are kept; run again to complete", 143)
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        reporter.close()
    if log_file.exists():
        warn(f"the run succeeded but logged warnings: see {log_file}")
    warn_about_unreadable_folders(summary["unreadable_folder_list"])
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        print_summary(summary, store)


def warn_about_unreadable_folders(folders: list[dict[str, str]]) -> None:
    """One stderr line when folders inside INPUT could not be listed (nothing in them was read)."""
    if not folders:
        return
    count = f"{len(folders)} folder" + ("s" if len(folders) > 1 else "")
    listed = ", ".join(f"{f['path']} ({f['error']})" for f in folders[:3])
    more = f" and {len(folders) - 3} more (see --json)" if len(folders) > 3 else ""
    sys.stderr.write(
        f"ingest: warning: could not read {count}, so nothing in it was read: {listed}{more}\n"
    )


def check_repair_profile(name: str) -> None:
    """Raise ``UsageProblem`` for an unknown repair profile.

    >>> check_repair_profile("ftfy")
    >>> check_repair_profile("fancy")
    Traceback (most recent call last):
    ...
    ingest.cli.UsageProblem: unknown repair profile 'fancy' (known: default, ftfy, minimal)
    """
    from ingest.repair.fixes import REPAIR_PROFILES

    if name not in REPAIR_PROFILES:
        known = ", ".join(sorted(REPAIR_PROFILES))
        msg = f"unknown repair profile {name!r} (known: {known})"
        raise UsageProblem(msg)


# Removal rules the end-of-run table shows, the most frequent first (--json has every rule).
SUMMARY_RULES_SHOWN = 8


def print_summary(summary: dict[str, Any], store: Store) -> None:
    """A short human summary of the run on stdout."""
    from rich.console import Console
    from rich.table import Table

    from ingest.run.summary import most_frequent

    table = Table(title=f"ingest run {summary.get('run_id', '')}", show_header=False)
    table.add_column("measure")
    table.add_column("value", justify="right")
    megabytes = summary["input_bytes"] / 1e6
    rate, rate_after_startup = (
        "-" if value is None else f"{value:.2f}"
        for value in (summary["mb_per_second"], summary["mb_per_second_after_startup"])
    )
    for label, value in (
        ("files", summary["files"]),
        ("documents", summary["documents"]),
        ("rejects", summary["rejects"]),
        ("unchanged files, not read", summary["known_files"]),
        ("skipped (already in OUT)", summary["skipped"]),
        ("skipped (not a regular file)", summary["not_regular_files"]),
        ("folders not readable", summary["unreadable_folders"]),
        ("captions", summary["captions"]),
        ("input MB", f"{megabytes:.2f}"),
        ("seconds", f"{summary['seconds']:.1f}"),
        ("  of which Prefect's start-up", f"{summary['startup_seconds']:.1f}"),
        ("MB/s", rate),
        ("MB/s after start-up", rate_after_startup),
    ):
        table.add_row(label, str(value))
    for reason, count in summary["rejects_by_reason"].items():
        table.add_row(f"  rejected: {reason}", str(count))
    for reason, count in summary["skipped_records_by_reason"].items():
        table.add_row(f"  WARC records skipped: {reason}", str(count))
    ranked = most_frequent(summary["removals_by_rule"])
    for rule, count in ranked[:SUMMARY_RULES_SHOWN]:
        table.add_row(f"  removed by {rule}", str(count))
    if rest := ranked[SUMMARY_RULES_SHOWN:]:
        fired = sum(count for _, count in rest)
        table.add_row(f"  removed by {len(rest)} more rules (see --json)", str(fired))
    console = Console()
    console.print(table)
    out = Output(store)
    documents, rejects = (out.display(out.folder(table)) for table in (DOCUMENTS, REJECTS))
    console.print(f"Output: {documents} and {rejects}")


SERVE_EPILOG = """\
\b
Examples:
  prefect server start --host 127.0.0.1        # in another terminal, once
  export PREFECT_API_URL=http://127.0.0.1:4200/api
  ingest serve crawl/ --output /data/articles --cron "0 * * * *"
  ingest serve crawl/ --output /data/articles --interval 900 --workers 2

Serves the flow as a Prefect deployment (named by --name) that runs on the schedule until you
stop it (Ctrl-C pauses the deployment). Each run reads only files that are new or changed since
the runs before (OUT's manifest lists what was read); one run at a time, so a run that falls due
while the one before still writes waits for it. Scheduling needs a running Prefect server:
the temporary one a one-off `ingest run` starts cannot schedule. For workers on other machines,
use prefect.yaml and `prefect deploy` instead (see the README).
"""


def check_serve_takes(output: str, *, force: bool, as_json: bool) -> None:
    """Raise ``UsageProblem`` for an option of ``ingest run`` that a schedule cannot honour.

    >>> check_serve_takes("/data/articles", force=False, as_json=True)
    Traceback (most recent call last):
    ...
    ingest.cli.UsageProblem: serve takes no --json: ... the Prefect artifact ingest-articles (...)
    """
    from ingest.run.summary import summary_key

    if force:
        msg = (
            "serve takes no --force: every scheduled run would process every input again and "
            "replace its records; run `ingest run --force` once, then serve"
        )
        raise UsageProblem(msg)
    if as_json:
        key = summary_key(output)
        msg = (
            "serve takes no --json: it prints no summary, as it does not end; each run "
            f"publishes its summary as the Prefect artifact {key} (prefect artifact inspect {key})"
        )
        raise UsageProblem(msg)


@app.command("serve", epilog=SERVE_EPILOG)
def serve_command(
    inputs: InputsArgument,
    output: OutputOption,
    cron: Annotated[
        str | None,
        typer.Option(metavar="CRON", help="Run on this cron schedule (UTC), e.g. '0 * * * *'."),
    ] = None,
    interval: Annotated[
        float | None,
        typer.Option(min=1, metavar="SECONDS", help="Or run every SECONDS seconds."),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="Deployment name. [default: ingest-<OUT folder name>]",
            show_default=False,
        ),
    ] = None,
    repair_profile: RepairProfileOption = RUN_DEFAULTS.repair_profile,
    batch_files: BatchFilesOption = RUN_DEFAULTS.batch_files,
    batch_mb: BatchMbOption = RUN_DEFAULTS.batch_mb,
    workers: WorkersOption = RUN_DEFAULTS.workers,
    dask_address: DaskAddressOption = None,
    replace_changed: ReplaceChangedOption = False,
    force: Annotated[
        bool, typer.Option("--force", hidden=True, help="Refused: see ingest run --force.")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", hidden=True, help="Refused: see ingest run --json.")
    ] = False,
) -> None:
    """Run the pipeline over INPUT... on a schedule, as a served Prefect deployment."""
    output, store = check_output_location(output)
    check_run_arguments(inputs, Path(output) if store.local else None)
    output = str(Path(output).resolve()) if store.local else output  # runs start elsewhere
    check_serve_takes(output, force=force, as_json=as_json)
    check_repair_profile(repair_profile)
    check_dask_address(dask_address)
    if (cron is None) == (interval is None):
        msg = "give exactly one schedule: --cron CRON or --interval SECONDS"
        raise UsageProblem(msg)
    runner = load_runner()
    request = RunRequest(
        inputs=[str(p.resolve()) for p in inputs],  # runs start elsewhere: absolute paths
        output=output,
        repair_profile=repair_profile,
        batch_files=batch_files,
        batch_mb=batch_mb,
        workers=workers,
        dask_address=dask_address,
        replace_changed=replace_changed,
    )
    folder_name = Path(output).resolve().name if store.local else base_name(store.root)
    try:
        runner.serve(request, name or f"ingest-{folder_name}", cron, interval)
    except RunRefused as refused:
        raise UsageProblem(str(refused)) from None


def open_existing_output(output: str) -> tuple[str, Output]:
    """The output as given and its handle, for a command that needs an existing output.

    Not an output (no documents/ or rejects/) is a usage error; an unreadable one fails in one
    line.
    """
    output, store = check_output_location(output)
    out = Output(store)
    try:
        is_output = any(store.is_dir(out.folder(table)) for table in (DOCUMENTS, REJECTS))
    except OSError as error:
        fail(f"cannot read {output}: {first_line(error)}", EXIT_RUN_FAILED)
    if not is_output:
        msg = f"not an ingest output folder (no documents/ or rejects/): {output}"
        raise UsageProblem(msg)
    return output, out


COMPACT_EPILOG = """\
\b
Examples:
  ingest compact out/
  ingest compact /data/articles --target-mb 256 --json
  ingest compact s3://my-bucket/articles

Frequent scheduled runs leave many small files. This merges the small files of documents/,
rejects/ and the manifest into files of about --target-mb each, without changing the set of
records. It takes the output's lock, so it never overlaps a run; a compaction that is killed is
finished by the next run or compaction.
"""


@app.command("compact", epilog=COMPACT_EPILOG)
def compact_command(
    output: ExistingOutputArgument,
    target_mb: Annotated[
        float, typer.Option(min=1, metavar="MB", help="About how large each merged file gets.")
    ] = 128.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print what was done as JSON.")] = False,
) -> None:
    """Merge the many small Parquet files in OUT into well-sized ones."""
    from ingest.output.compaction import compact_output

    output, out = open_existing_output(output)
    try:
        with output_lock(out, "compact"):
            results = compact_output(out, int(target_mb * 1024 * 1024))
    except OutputLockedError as error:
        fail(str(error), EXIT_RUN_FAILED)
    except (OSError, ValueError) as error:  # unreadable or corrupt file (pyarrow's ArrowInvalid
        # is a ValueError), a refused upload: one line, nothing lost
        fail(f"the compaction failed: {first_line(error)}", EXIT_RUN_FAILED)
    if as_json:
        payload = [
            {"folder": r.folder, "files_before": r.files_before, "files_after": r.files_after}
            for r in results
        ]
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    for r in results:
        sys.stdout.write(f"{r.folder}: {r.files_before} files -> {r.files_after}\n")


STATS_EPILOG = """\
\b
Examples:
  ingest stats out/
  ingest stats out/ --html report.html      # a page to open in a browser (no network needed)
  ingest stats s3://my-bucket/articles --json > stats.json

Reads only the columns it needs, a batch at a time (a reject's raw bytes are never read), so it
works on datasets of any size. The text report shows the --top most frequent removal rules with a
few example texts each; --json and --html list every rule.
"""


@app.command("stats", epilog=STATS_EPILOG)
def stats_command(
    output: ExistingOutputArgument,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the figures as JSON instead of a table.")
    ] = False,
    html_file: Annotated[
        Path | None,
        typer.Option(
            "--html",
            metavar="FILE",
            help="Also write the report as a self-contained HTML page with charts.",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int, typer.Option(min=1, metavar="N", help="Removal rules shown in the text report.")
    ] = 12,
) -> None:
    """Report what OUT holds: documents, rejects, languages, removals per rule with examples."""
    from ingest.output.stats import collect_stats, render_html, render_text, stats_to_json

    output, out = open_existing_output(output)
    try:
        stats = collect_stats(out.files(DOCUMENTS), out.files(REJECTS), out.store.filesystem)
    except OSError as error:
        fail(f"cannot read {output}: {first_line(error)}", EXIT_RUN_FAILED)
    except ValueError as error:  # pyarrow's ArrowInvalid: a corrupt or foreign Parquet file
        fail(f"cannot read {output}: {first_line(error)}", EXIT_RUN_FAILED)
    if html_file is not None:
        try:
            html_file.write_text(render_html(stats, f"ingest: {output}"), encoding="utf-8")
        except OSError as error:
            fail(f"cannot write {html_file}: {first_line(error)}", EXIT_RUN_FAILED)
    sys.stdout.write(stats_to_json(stats) + "\n" if as_json else render_text(stats, top))


def version_callback(value: bool) -> None:
    """Print the version and exit."""
    if value:
        sys.stdout.write(f"ingest {__version__}\n")
        raise typer.Exit


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    """Scraped article text in, clean structured Parquet records out."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app; usage errors become one line on stderr, never a traceback."""
    try:
        app(args=argv, standalone_mode=False, prog_name="ingest")
    except typer.Exit as done:
        raise SystemExit(getattr(done, "exit_code", 0)) from None
    except UsageProblem as problem:
        fail(str(problem))
    except typer.Abort:
        fail("aborted", 130)
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except typer.TyperException as error:  # click's usage errors, as vendored by typer
        message = error.format_message() if hasattr(error, "format_message") else str(error)
        fail(" ".join(message.split()), getattr(error, "exit_code", EXIT_USAGE))
