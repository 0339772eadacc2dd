"""The ``ingest`` flow in the real Prefect engine: its summary artifact, failed batches, parameters."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from conftest import SEED

pytestmark = pytest.mark.prefect

# Columns that differ between two runs over the same inputs by design.
PER_RUN_COLUMNS = {"run_id", "processed_at"}

PARAGRAPH = (
    "Paragraph {i} of article {n} is long enough to read as real prose, with a clause or two, "
    "a figure like {n}{i}.5 per cent and a full stop at the end."
)


def article(n: int) -> str:
    """A plain-text article, distinct for each ``n``."""
    body = "\n\n".join(PARAGRAPH.format(i=i, n=n) for i in range(4))
    return f"Headline number {n} for the flow tests\n\n{body}\n"


def make_corpus(folder: Path, articles: int = 12) -> Path:
    """Text, HTML, gzipped JSON Lines, a duplicate and an empty file: documents and rejects."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, folder / SEED.name)
    for n in range(articles):
        (folder / f"article-{n:02d}.txt").write_text(article(n), encoding="utf-8")
    # Sorts next to article-03.txt, so the two share a batch. (Where identical files land in
    # batches run by different processes decides today whether the copy is skipped or kept.)
    (folder / "article-03-copy.txt").write_text(article(3), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "page.html").write_text(
        f"<html><body><h1>Headline 99</h1><p>{PARAGRAPH.format(i=1, n=99)}</p>"
        f"<p>{PARAGRAPH.format(i=2, n=99)}</p></body></html>",
        encoding="utf-8",
    )
    lines = [json.dumps({"text": article(n)}) for n in (100, 101)] + ["{not json"]
    with gzip.open(folder / "feed.jsonl.gz", "wt", encoding="utf-8") as feed:
        feed.write("\n".join(lines) + "\n")
    return folder


def read_records(output: Path, name: str) -> list[dict]:
    """Every record of ``output/name`` without the per-run columns, in a stable order."""
    folder = output / name
    if not folder.is_dir():
        return []
    table = ds.dataset(folder, format="parquet").to_table()
    keep = [c for c in table.column_names if c not in PER_RUN_COLUMNS]
    rows = table.select(keep).to_pylist()
    return sorted(rows, key=lambda r: (r["source"], r.get("doc_id") or "", r.get("reason") or ""))


def read_run_artifacts(flow_run_id) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        return client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )


def test_summary_artifacts_hold_the_json_summary_typed_under_the_outputs_key(
    prefect_api, tmp_path
) -> None:
    from ingest_flows.ingest_flow import ingest
    from prefect.client.orchestration import get_client

    inputs = str(make_corpus(tmp_path / "in"))
    out = tmp_path / "out"
    state = ingest(inputs=[inputs], output=str(out), workers=1, return_state=True)
    summary = state.result()
    artifacts = read_run_artifacts(state.state_details.flow_run_id)
    with get_client(sync_client=True) as client:
        latest = client.read_latest_artifacts()
        flow_run = client.read_flow_run(state.state_details.flow_run_id)
    (table,) = [a for a in artifacts if a.type == "table"]
    (page,) = [a for a in artifacts if a.type == "markdown"]
    assert table.key == "ingest-out"
    assert any(a.key == "ingest-out" for a in latest)
    rows = table.data if isinstance(table.data, list) else json.loads(table.data)
    published = {row["field"]: row["value"] for row in rows}
    assert published == json.loads(json.dumps(summary))  # every field of --json, typed
    assert isinstance(published["documents"], int) and isinstance(published["seconds"], float)
    assert published["removals_by_rule"] == summary["removals_by_rule"] != {}
    assert published["files_written"] == summary["files_written"] != []
    documents = len(read_records(out, "documents"))
    rejects = len(read_records(out, "rejects"))
    assert (documents, rejects) == (published["documents"], published["rejects"])
    assert documents >= 15 and rejects >= 2  # empty file, bad JSON line
    assert page.key is None
    assert page.data.startswith(f"# ingest run {summary['run_id']} into {out}\n")
    assert flow_run.name.startswith("ingest-out-")

    other = ingest(
        inputs=[inputs], output=str(tmp_path / "Other_Out"), workers=1, return_state=True
    )
    (other_table,) = [
        a for a in read_run_artifacts(other.state_details.flow_run_id) if a.type == "table"
    ]
    assert other_table.key == "ingest-other-out"


def test_failed_batch_fails_the_run_and_a_rerun_finishes_without_duplicates(
    prefect_api, tmp_path, monkeypatch
) -> None:
    import ingest_flows.ingest_flow as ingest_flow

    inputs = make_corpus(tmp_path / "in")
    out, reference = tmp_path / "out", tmp_path / "reference"
    ingest_flow.ingest(inputs=[str(inputs)], output=str(reference), workers=1, batch_files=3)

    real_write = ingest_flow.write_batch_files

    def write_or_fail(records, output, run, batch_index, files=()):
        if batch_index == 2:
            msg = "simulated: output became unwritable"
            raise RuntimeError(msg)
        return real_write(records, output, run, batch_index, files=files)

    monkeypatch.setattr(ingest_flow, "write_batch_files", write_or_fail)
    state = ingest_flow.ingest(
        inputs=[str(inputs)], output=str(out), workers=1, batch_files=3, return_state=True
    )
    assert state.is_failed()
    with pytest.raises(ingest_flow.BatchesFailedError) as failed:
        state.result()
    message = str(failed.value)
    assert re.match(r"1 of \d+ batches failed \(first: batch 2 \(3 files from ", message)
    assert "RuntimeError: simulated: output became unwritable" in message
    assert "run again to process the rest" in message
    partial = read_records(out, "documents") + read_records(out, "rejects")
    complete = read_records(reference, "documents") + read_records(reference, "rejects")
    assert 0 < len(partial) < len(complete)

    monkeypatch.setattr(ingest_flow, "write_batch_files", real_write)
    rerun = ingest_flow.ingest(inputs=[str(inputs)], output=str(out), workers=1, batch_files=3)
    assert rerun["known_files"] > 0  # the finished batches' files were not read again
    assert rerun["failed_batches"] == 0
    assert read_records(out, "documents") == read_records(reference, "documents")
    assert read_records(out, "rejects") == read_records(reference, "rejects")


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"inputs": [], "output": "o"}, "inputs: List should have at least 1 item"),
        ({"inputs": ["a"], "output": "o", "batch_files": 0}, "batch_files: Input should be"),
        ({"inputs": ["a"], "output": "o", "batch_mb": 0}, "batch_mb: Input should be"),
        ({"inputs": ["a"], "output": "o", "workers": 0}, "workers: Input should be"),
        ({"inputs": ["a"], "output": "o", "dask_address": "host:1"}, "dask_address: String"),
        (
            {"inputs": ["a"], "output": "o", "repair_profile": "defualt"},
            "repair_profile: Input should be 'default', 'ftfy' or 'minimal'",
        ),
    ],
)
def test_parameters_are_validated_like_the_cli_options(parameters, message) -> None:
    from ingest_flows.ingest_flow import ingest
    from prefect.exceptions import ParameterTypeError

    with pytest.raises(ParameterTypeError, match=message):
        ingest.validate_parameters(parameters)


def test_an_unknown_repair_profile_fails_the_run_before_any_batch(prefect_api, tmp_path) -> None:
    """A deployment with a typo must not turn every document into an internal_error reject."""
    from ingest_flows.ingest_flow import ingest

    out = tmp_path / "out"
    state = ingest(
        inputs=[str(make_corpus(tmp_path / "in"))],
        output=str(out),
        repair_profile="defualt",
        return_state=True,
    )
    assert state.is_failed()
    assert "repair_profile" in state.message
    assert not out.exists()


def test_a_failed_run_raises_its_error_from_its_state(prefect_api, tmp_path, monkeypatch) -> None:
    """The flow returns a Failed state holding the error (Prefect pickles a raised one)."""
    import ingest_flows.ingest_flow as ingest_flow

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ingest_flow, "recover_compactions", refuse)
    state = ingest_flow.ingest(
        inputs=[str(make_corpus(tmp_path / "in"))], output=str(tmp_path / "out"), return_state=True
    )
    assert state.is_failed()
    assert state.message == "PermissionError: [Errno 13] Permission denied"
    with pytest.raises(PermissionError):
        state.result()
    with pytest.raises(PermissionError):
        ingest_flow.ingest(inputs=[str(tmp_path / "in")], output=str(tmp_path / "out"))


def test_a_batch_leaves_its_counts_for_the_progress_bar_as_it_goes(tmp_path, monkeypatch) -> None:
    from ingest_flows.ingest_flow import process_batch, watch_batch_progress

    import ingest.run.progress as progress
    from ingest.config import DEFAULT_CONFIG
    from ingest.output.parquet import RunInfo
    from ingest.read.files import find_input_files

    monkeypatch.setattr(progress, "PROGRESS_INTERVAL", 0)  # every file, for the test
    files = find_input_files([make_corpus(tmp_path / "in", articles=3)])
    folder = tmp_path / "progress"
    folder.mkdir()
    run = RunInfo.start()
    summary = process_batch.fn(
        files, str(tmp_path / "out"), run, 4, DEFAULT_CONFIG, progress_folder=str(folder)
    )
    left = progress.read_progress(str(folder))[4]
    assert left == {
        name: summary[name] for name in ("files", "documents", "rejects", "input_bytes")
    }
    with watch_batch_progress() as nobody_watching:
        assert nobody_watching is None  # no listener: no folder, nothing written
    import ingest_flows.ingest_flow as ingest_flow

    monkeypatch.setattr(ingest_flow, "PROGRESS_LISTENERS", [lambda *event: None])
    with watch_batch_progress() as watched:
        assert Path(watched).is_dir()
    assert not Path(watched).exists()  # removed with the run
