"""The ``ingest`` flow: discover inputs, shard them into batches, one task per batch.

Orchestration only: every transformation lives in the ``ingest`` library. A task handles a batch
of files (never one document: Prefect costs milliseconds per task run), writes its own Parquet
files, and returns only counts.
"""

from __future__ import annotations

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from ingest.batch import process_files, shard_files, write_batch_files
from ingest.config import PipelineConfig
from ingest.dataset import SeenIndex, load_seen_index
from ingest.readers import InputFile, find_input_files
from ingest.summary import RunSummary, merge_summaries
from ingest.writers import RunInfo

SUMMARY_ARTIFACT_KEY = "ingest-run-summary"


def is_transient_error(_task: object, _task_run: object, state: State) -> bool:
    """Retry a batch only on I/O errors; bad input never raises, it becomes a reject."""
    try:
        state.result()
    except OSError:
        return True
    except Exception:
        return False
    return False


@task(
    name="process_batch",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=[1, 5],
    retry_condition_fn=is_transient_error,
)
def process_batch(
    files: list[InputFile],
    output: str,
    run: RunInfo,
    batch_index: int,
    config: PipelineConfig,
    seen: SeenIndex,
) -> dict[str, Any]:
    """Read, process and write one batch; return its summary as a dict."""
    documents, rejects, summary = process_files(files, seen, config)
    summary.files_written = write_batch_files(documents, rejects, output, run, batch_index)
    return summary.to_dict()


@flow(name="ingest", flow_run_name="ingest-{output}", validate_parameters=True)
def ingest(
    inputs: list[str],
    output: str,
    repair_profile: str = "default",
    batch_files: int = 1000,
    batch_mb: float = 16.0,
) -> dict[str, Any]:
    """Turn every input under ``inputs`` into a document or a reject under ``output``.

    Inputs already in ``output`` (the same bytes, so the same doc_id) are skipped.
    """
    logger = get_run_logger()
    run = RunInfo.start()
    config = PipelineConfig(repair_profile=repair_profile)
    files = find_input_files(inputs, exclude=[output])
    batches = shard_files(files, max_files=batch_files, max_bytes=int(batch_mb * 1_000_000))
    seen = load_seen_index(output)
    logger.info("run %s: %d files in %d batches", run.run_id, len(files), len(batches))
    summaries = [
        RunSummary.from_dict(process_batch(batch, output, run, index, config, seen))
        for index, batch in enumerate(batches)
    ]
    summary = merge_summaries(summaries)
    result = summary.to_dict()
    result["run_id"] = run.run_id
    publish_summary(result)
    logger.info(
        "run %s: %d documents, %d rejects, %d skipped",
        run.run_id,
        result["documents"],
        result["rejects"],
        result["skipped"],
    )
    return result


def publish_summary(summary: dict[str, Any]) -> None:
    """Publish the run's summary as a Prefect table artifact under a stable key."""
    rows = [
        {"measure": key, "value": str(value)}
        for key, value in summary.items()
        if key != "files_written"
    ]
    create_table_artifact(key=SUMMARY_ARTIFACT_KEY, table=rows, description="ingest run summary")
