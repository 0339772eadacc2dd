"""The ``ingest`` flow: discover inputs, shard them into batches, one task per batch.

Orchestration only: every transformation lives in the ``ingest`` library. A task handles a batch
of files (never one document: Prefect costs milliseconds per task run), writes its own Parquet
files, and returns only counts. With ``workers`` > 1 batches run in separate processes (the work
is CPU-bound Python, so threads would not help).

No ``from __future__ import annotations`` here: a worker or ``flow.serve`` loads this file by
path, and Prefect then cannot resolve string annotations such as ``Annotated[...]`` when it
validates the parameters ("IngestModel is not fully defined").
"""

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache, partial
from logging import Logger, LoggerAdapter
from typing import Annotated, Any, Literal

from ingest_flows.cluster import dask_task_runner, dask_worker_threads, tasks_carry_api_url
from ingest_flows.runtime import die_with_parent, workers_share_api_server
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.states import Failed, State
from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner
from prefect.utilities.annotations import quote
from pydantic import Field

from ingest.config import RUN_DEFAULTS, PipelineConfig
from ingest.output.compaction import recover_compactions
from ingest.output.dataset import SeenIndex, load_seen_index, remove_stale_temp_files
from ingest.output.layout import Output, open_output
from ingest.output.lock import output_lock, remote_lock_warning
from ingest.output.manifest import drop_known_files
from ingest.output.parquet import RunInfo, write_missing_datasets
from ingest.output.runs import RunEntry, begin_run, finish_runs
from ingest.output.settle import Settled, settle_runs
from ingest.output.store import first_line
from ingest.read.files import InputFile, discover_inputs
from ingest.repair.fixes import REPAIR_PROFILES
from ingest.run.batches import balanced_batch_bytes, process_inputs, shard_files, write_batch_files
from ingest.run.progress import BatchProgressFile, ProgressListener, ProgressWatcher
from ingest.run.runner import DASK_ADDRESS_RE
from ingest.run.summary import RunSummary, output_name, summary_key, summary_markdown
from ingest.run.workers import cap_workers, machine_worker_limit

# Listeners the command line registers to show progress; called in the flow's process.
PROGRESS_LISTENERS: list[ProgressListener] = []

# Outputs whose lock the caller in this process already holds: `ingest run` takes it before
# Prefect starts, so that of two runs started together one stops at once, before start-up.
LOCKS_HELD_BY_CALLER: set[str] = set()

# When the caller in this process started the run into each output (``time.perf_counter``): the
# time from then to the flow's start is Prefect's start-up, which the summary reports apart.
CALLERS_STARTED: dict[str, float] = {}

# The profile names `--repair-profile` accepts: Prefect refuses any other before the run starts
# (a typo in a deployment would otherwise turn every document into an internal_error reject).
RepairProfileName = Literal[tuple(REPAIR_PROFILES)]


def is_transient_error(_task: object, _task_run: object, state: State) -> bool:
    """Retry a batch only on I/O errors; bad input never raises, it becomes a reject."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@lru_cache(maxsize=1)
def seen_index_for_run(output: str, settled_runs: tuple[str, ...]) -> SeenIndex:
    """What OUT held before this run began, loaded once per process.

    Files of the settled runs (this one, and the interrupted runs it takes over) are left out,
    so what a batch skips does not depend on which process ran it, when, or where an earlier
    run was killed; repeats among those runs are settled after the batches.
    """
    return load_seen_index(open_output(output), exclude_runs=settled_runs)


# What every task of the flow shares. No result is persisted (persist_result=False, the flow's
# too): a summary is only counts, and a failure's pickled exception, holding input paths, would
# stay in PREFECT_LOCAL_STORAGE_PATH. Retries are for I/O errors.
TASK_OPTIONS: dict[str, Any] = {
    "cache_policy": NO_CACHE,
    "persist_result": False,
    "retries": 2,
    "retry_delay_seconds": [1, 5],
}


@task(name="process_batch", retry_condition_fn=is_transient_error, **TASK_OPTIONS)
def process_batch(
    files: list[InputFile],
    output: str,
    run: RunInfo,
    batch_index: int,
    config: PipelineConfig,
    skip_known: bool = True,
    settled_runs: tuple[str, ...] = (),
    progress_folder: str | None = None,
) -> dict[str, Any]:
    """Read, process and write one batch; return its summary as a dict.

    With ``progress_folder``, the batch's counts so far are left there as it goes (see
    ``ingest.run.progress``), for the progress bar of the process that started the run.
    """
    seen = seen_index_for_run(output, settled_runs or (run.run_id,)).for_batch()
    progress = BatchProgressFile(progress_folder, batch_index)
    summary = RunSummary()
    records = process_inputs(
        files, seen, summary, config, skip_known=skip_known, on_progress=progress.update
    )
    summary.files_written = write_batch_files(
        records, open_output(output), run, batch_index, files=files
    )
    return summary.to_dict()


@task(name="settle_output", **TASK_OPTIONS)
def settle_output(
    output: str,
    run: RunInfo,
    settled_runs: tuple[str, ...],
    files: list[InputFile],
    max_bytes: int,
    force: bool,
) -> Settled:
    """Settle what the batches could not see: repeats, duplicates, replaced records."""
    return settle_runs(open_output(output), run, settled_runs, files, max_bytes, force=force)


class BatchesFailedError(RuntimeError):
    """Some batches of a run failed; what the others wrote is kept and a re-run finishes."""


def name_flow_run() -> str:
    """``ingest-<output folder name>-<UTC start time>``: which output, and which run of it."""
    from prefect.runtime import flow_run

    output = output_name(str(flow_run.parameters.get("output", "out")))
    return f"ingest-{output}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"


# Parameters have the names, types, bounds and defaults of `ingest run`'s options; Prefect
# validates them before the run starts (a deployment's parameters come from outside the CLI).
@flow(
    name="ingest",
    flow_run_name=name_flow_run,
    validate_parameters=True,
    persist_result=False,
)
def ingest(
    inputs: Annotated[list[str], Field(min_length=1)],
    output: str,
    repair_profile: RepairProfileName = RUN_DEFAULTS.repair_profile,
    batch_files: Annotated[int, Field(ge=1)] = RUN_DEFAULTS.batch_files,
    batch_mb: Annotated[float, Field(ge=0.001)] = RUN_DEFAULTS.batch_mb,
    workers: Annotated[int, Field(ge=1)] | None = RUN_DEFAULTS.workers,
    dask_address: Annotated[str, Field(pattern=DASK_ADDRESS_RE.pattern)] | None = None,
    force: bool = False,
    replace_changed: bool = False,
) -> dict[str, Any]:
    """Turn every input under ``inputs`` into a document or a reject under ``output``.

    Inputs already in ``output`` (the same bytes, so the same doc_id) are skipped, unless
    ``force`` is set: then every input is processed again and its new record replaces the old
    one (after the run, older files are rewritten without the replaced records). With
    ``replace_changed``, an input read again because its bytes changed replaces its old record
    the same way; without it both versions stay. ``workers``
    batches run at once (default, and at most: what the machine's cores and memory carry), each
    in its own process when more than one. With ``dask_address`` (``tcp://HOST:PORT``) the
    batches run on that Dask cluster instead. The run holds the output's lock: a second run on
    the same output fails at once, clearly.

    A batch that fails does not stop the others; once they finish, their duplicates are
    resolved and the run fails with ``BatchesFailedError``. What finished is in ``output``
    and its manifest, so running again reads only the failed batches' files.

    A failed run ends in a ``Failed`` state that holds the error (calling the flow raises it)
    and the traceback is logged. The state is returned rather than the error raised: Prefect
    writes a raised error's pickle, input paths and all, to its result storage whatever
    ``persist_result`` says.
    """
    flow_started = time.perf_counter()
    logger = get_run_logger()
    try:
        out = open_output(output)
        out.store.check_usable()  # a missing bucket or refused credentials: one clear error now
        with hold_output_lock(output, out):
            return run_batches(
                logger,
                inputs,
                output,
                out=out,
                config=PipelineConfig(repair_profile=repair_profile),
                batch_files=batch_files,
                batch_mb=batch_mb,
                workers=workers,
                dask_address=dask_address,
                force=force,
                replace_changed=replace_changed,
                flow_started=flow_started,
            )
    except Exception as error:
        logger.exception("the run failed")
        return Failed(message=f"{type(error).__name__}: {first_line(error)}", data=error)


@contextmanager
def hold_output_lock(output: str, out: Output) -> Iterator[None]:
    """Hold the output's lock for the run, unless the caller in this process holds it already."""
    if output in LOCKS_HELD_BY_CALLER:
        yield
        return
    with output_lock(out):
        yield


def run_batches(
    logger: Logger | LoggerAdapter[Logger],
    inputs: list[str],
    output: str,
    *,
    out: Output,
    config: PipelineConfig,
    batch_files: int,
    batch_mb: float,
    workers: int | None,
    dask_address: str | None,
    force: bool,
    replace_changed: bool = False,
    flow_started: float,
) -> dict[str, Any]:
    """The run itself, with the output's lock held: see ``ingest``.

    ``out`` is the opened output; its location string ``output`` is what the tasks get (they may
    run in other processes, and open it there). ``flow_started`` is when the flow began
    (``time.perf_counter``).
    """
    warning = remote_lock_warning(out)
    if warning and output not in LOCKS_HELD_BY_CALLER:  # else the caller has said so already
        logger.warning("%s", warning)
    workers, too_many = cap_workers(workers, machine_worker_limit())
    if too_many and not dask_address:  # Dask's workers are the cluster's
        logger.warning("%s", too_many)
    startup = flow_started - CALLERS_STARTED.get(output, flow_started)
    emit_progress("status", {"message": f"Prefect ready after {startup:.1f} s; finding inputs"})
    recover_compactions(out)
    remove_stale_temp_files(out)
    run = RunInfo.start()
    entry = RunEntry(run.run_id, replaces=force or replace_changed)
    taken_over = begin_run(out, entry)
    settled_runs = (*(e.run_id for e in taken_over), run.run_id)
    if taken_over:
        logger.warning(
            "%d earlier run(s) did not finish (%s): this run settles their records",
            len(taken_over),
            ", ".join(e.run_id for e in taken_over),
        )
    discovery = discover_inputs(inputs, exclude=[output] if out.local else [])
    for skipped in discovery.unreadable_folders:
        logger.warning("folder not read: %s (%s)", skipped.path, skipped.why)
    found = discovery.files
    files, known = (found, 0) if force else drop_known_files(found, out)
    total_bytes = sum(f.size for f in files)
    # A small run is spread over what runs the batches: the local workers, or every thread of
    # the Dask cluster's workers.
    at_once = dask_worker_threads(dask_address) if dask_address and files else workers
    max_bytes = balanced_batch_bytes(total_bytes, at_once, int(batch_mb * 1_000_000))
    batches = shard_files(files, max_files=batch_files, max_bytes=max_bytes)
    logger.info(
        "run %s: %d files, %d bytes, %d batches for %d at once",
        run.run_id,
        len(files),
        total_bytes,
        len(batches),
        at_once,
    )
    emit_progress("start", {"files": len(files), "bytes": total_bytes, "batches": len(batches)})

    summary = RunSummary(known_files=known)
    summary.count_discovery(discovery)
    runner = make_task_runner(workers, len(batches), dask_address)
    failures: list[str] = []
    with (
        workers_share_api_server() as temporary_api,
        runner as task_runner,
        watch_batch_progress() as progress_folder,
    ):
        with tasks_carry_api_url(temporary_api if dask_address else None):
            futures = [
                task_runner.submit(
                    process_batch,
                    batch_parameters(
                        batch,
                        output,
                        run,
                        index,
                        config,
                        skip_known=not force,
                        quoted=not dask_address,
                        settled_runs=settled_runs,
                        progress_folder=progress_folder,
                    ),
                )
                for index, batch in enumerate(batches)
            ]
        batch_of = {future.task_run_id: index for index, future in enumerate(futures)}
        for future in as_completed(futures):
            try:
                batch_summary = RunSummary.from_dict(future.result())
            except Exception as error:  # reported below, once every batch is done
                failures.append(describe_failure(batch_of[future.task_run_id], batches, error))
                logger.error("%s", failures[-1], exc_info=error)  # its traceback, for the log
                continue
            summary.merge(batch_summary)
            emit_progress(
                "batch", {**batch_summary.to_dict(), "batch": batch_of[future.task_run_id]}
            )
            logger.info(
                "batch done: %d documents, %d rejects, %d skipped (%d/%d files)",
                batch_summary.documents,
                sum(batch_summary.rejects.values()),
                batch_summary.skipped,
                summary.files,
                len(files),
            )
    replacing = entry.replaces or any(e.replaces for e in taken_over)
    settled = settle_output(
        output, run, settled_runs, quote(found), config.max_input_bytes, replacing
    )
    logger.info(
        "run %s settled: %d duplicates rejected, %d repeated records and %d older records removed",
        run.run_id,
        settled.duplicates,
        settled.repeats,
        settled.superseded,
    )
    if settled.duplicates:
        summary.documents -= settled.duplicates_of_run
        summary.rejects["duplicate"] += settled.duplicates
    if not failures:  # else the next run settles again, with the failed batches' files read
        finish_runs(out, [*taken_over, entry])
    summary.files_written.extend(write_missing_datasets(out))
    summary.startup_seconds = startup
    summary.seconds = time.perf_counter() - flow_started + startup
    result = summary.to_dict()
    result["run_id"] = run.run_id
    result["failed_batches"] = len(failures)
    publish_summary(result, output, out.uri)
    emit_progress("end", result)
    if failures:
        msg = (
            f"{len(failures)} of {len(batches)} batches failed (first: {failures[0]}); "
            f"the other batches' records are in {output}: run again to process the rest"
        )
        raise BatchesFailedError(msg)
    return result


def make_task_runner(workers: int, batches: int, dask_address: str | None) -> TaskRunner:
    """Dask when given a scheduler address; else processes, or one thread for one worker."""
    if dask_address:
        return dask_task_runner(dask_address)
    workers = min(workers, max(batches, 1))
    if workers > 1:
        return ProcessPoolTaskRunner(
            max_workers=workers, initializer=partial(die_with_parent, os.getpid())
        )
    return ThreadPoolTaskRunner(1)


def describe_failure(index: int, batches: list[list[InputFile]], error: BaseException) -> str:
    """One line: which batch, its first file, and the error."""
    first = batches[index][0].source if batches[index] else "-"
    files = len(batches[index])
    return f"batch {index} ({files} files from {first}): {type(error).__name__}: {error}"


def batch_parameters(
    files: list[InputFile],
    output: str,
    run: RunInfo,
    index: int,
    config: PipelineConfig,
    *,
    skip_known: bool = True,
    quoted: bool = True,
    settled_runs: tuple[str, ...] = (),
    progress_folder: str | None = None,
) -> dict[str, Any]:
    """The parameters of one ``process_batch`` task run: paths and settings, never text.

    With ``quoted``, the file list is wrapped in Prefect's ``quote``: Prefect would otherwise
    walk every one of its thousands of items looking for futures in the flow's process (the
    README's performance section has the cost). The thread and process runners unwrap it before the
    task runs; on Dask it reached the task still wrapped, so Dask runs pass the list as it is.
    """
    return {
        "files": quote(files) if quoted else files,
        "output": output,
        "run": run,
        "batch_index": index,
        "config": config,
        "skip_known": skip_known,
        "settled_runs": settled_runs,
        "progress_folder": progress_folder,
    }


@contextmanager
def watch_batch_progress() -> Iterator[str | None]:
    """A folder where the batches leave their counts as they go, watched for the listeners.

    None, and nothing watched, when no listener is registered. The folder is on this machine:
    local workers and Dask workers here reach it; a worker elsewhere cannot write there, and
    its batch then shows only when it finishes. Removed, with its files, when the block ends.
    """
    if not PROGRESS_LISTENERS:
        yield None
        return
    folder = tempfile.mkdtemp(prefix="ingest-progress-")
    try:
        with ProgressWatcher(folder, emit_progress):
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def emit_progress(event: str, data: dict[str, Any]) -> None:
    """Tell the registered listeners (the command line's progress display) what happened."""
    for listener in PROGRESS_LISTENERS:
        listener(event, data)


def publish_summary(summary: dict[str, Any], output: str, location: str) -> None:
    """Publish the run's summary as two Prefect artifacts: a table and a page to read.

    The table, under the output's key (``summary_key``), has one row per field of the summary
    that ``ingest run --json`` prints, each value as it is there (numbers stay numbers, the
    counts by reason and by rule stay objects): ``{row["field"]: row["value"]}`` is that JSON.
    The markdown, on the flow run's page, is the same summary laid out for reading.
    """
    rows = [{"field": name, "value": value} for name, value in summary.items()]
    create_table_artifact(
        key=summary_key(output),
        table=rows,
        description=f"ingest run {summary['run_id']} into {location}: the fields of --json",
    )
    create_markdown_artifact(
        markdown=summary_markdown(summary, location),
        description=f"ingest run {summary['run_id']} into {location}",
    )
