"""The same batches on a Dask cluster write the same records as a local run."""

from __future__ import annotations

import os
import time

import pytest
from test_flow import make_corpus, read_records

distributed = pytest.importorskip("distributed", reason="needs the dask extra: ingest[dask]")

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


@pytest.fixture
def dask_scheduler(prefect_api):
    """A local two-process Dask cluster on 127.0.0.1, its workers pointed at the test server.

    Its workers start from our environment, but the harness sets PREFECT_API_URL in Prefect's
    settings only: the cluster passes it (and our PREFECT_HOME) to them, as a real cluster's
    workers would need it in theirs.
    """
    env = {
        "PREFECT_API_URL": prefect_api,
        "PREFECT_HOME": os.environ["PREFECT_HOME"],
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    cluster = distributed.LocalCluster(
        processes=True,
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        scheduler_port=0,
        dashboard_address=None,
        env=env,
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_dask_run_writes_the_same_records_as_a_local_run(
    prefect_api, dask_scheduler, tmp_path
) -> None:
    from ingest_flows.ingest_flow import ingest

    inputs = make_corpus(tmp_path / "in", articles=20)
    local_out, dask_out = tmp_path / "local", tmp_path / "dask"

    started = time.perf_counter()
    local = ingest(inputs=[str(inputs)], output=str(local_out), workers=1, batch_files=4)
    local_seconds = time.perf_counter() - started
    started = time.perf_counter()
    on_dask = ingest(
        inputs=[str(inputs)], output=str(dask_out), batch_files=4, dask_address=dask_scheduler
    )
    dask_seconds = time.perf_counter() - started

    assert on_dask["documents"] == local["documents"] > 0
    assert on_dask["rejects"] == local["rejects"]
    assert read_records(dask_out, "documents") == read_records(local_out, "documents")
    assert read_records(dask_out, "rejects") == read_records(local_out, "rejects")
    again = ingest(
        inputs=[str(inputs)], output=str(dask_out), batch_files=4, dask_address=dask_scheduler
    )
    again_seconds = time.perf_counter() - started - dask_seconds
    print(
        f"local run {local_seconds:.1f} s, Dask run {dask_seconds:.1f} s, again {again_seconds:.1f} s"
    )
    assert (again["files"], again["documents"]) == (0, 0)


def test_the_clusters_worker_threads_are_counted(dask_scheduler) -> None:
    from ingest_flows.cluster import dask_worker_threads

    assert dask_worker_threads(dask_scheduler) == 2  # two workers of one thread each


def test_a_small_dask_run_is_spread_over_every_worker_thread(
    prefect_api, dask_scheduler, tmp_path, monkeypatch
) -> None:
    import ingest_flows.ingest_flow as ingest_flow
    from test_flow import PARAGRAPH

    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(24):  # about 2.9 MB: one 4 MB batch, unless it is split for the two workers
        body = "\n\n".join(PARAGRAPH.format(i=i, n=n) for i in range(700))
        (inputs / f"long-{n:02d}.txt").write_text(f"Long article {n}\n\n{body}\n", "utf-8")
    events = []
    monkeypatch.setattr(ingest_flow, "PROGRESS_LISTENERS", [lambda *event: events.append(event)])
    summary = ingest_flow.ingest(
        inputs=[str(inputs)], output=str(tmp_path / "out"), dask_address=dask_scheduler
    )
    (start,) = [data for event, data in events if event == "start"]
    assert start["batches"] == 3  # 1 MB each at least, so that both threads get work
    assert summary["documents"] == 24
