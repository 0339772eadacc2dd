"""How many workers a machine carries: the cores, and about 400 MB of available memory each."""

from __future__ import annotations

import pytest

from ingest.run import workers
from ingest.run.workers import WORKER_MEMORY_BYTES, cap_workers, parse_mem_available, worker_limit


@pytest.mark.parametrize(
    ("cores", "available", "limit"),
    [
        (2, 22 * 10**9, 2),  # cores decide
        (64, 10 * WORKER_MEMORY_BYTES + 1, 10),  # memory decides
        (8, WORKER_MEMORY_BYTES - 1, 1),  # never fewer than one
        (8, None, 8),  # memory unknown
    ],
)
def test_worker_limit(cores, available, limit) -> None:
    assert worker_limit(cores, available) == limit


def test_mem_available_is_read_not_mem_free() -> None:
    meminfo = (
        "MemTotal:       24684084 kB\nMemFree:        16733124 kB\nMemAvailable:   22410536 kB\n"
    )
    assert parse_mem_available(meminfo) == 22410536 * 1000


def test_machine_limit_reads_proc_meminfo(tmp_path, monkeypatch) -> None:
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(f"MemAvailable: {3 * WORKER_MEMORY_BYTES // 1000} kB\n", encoding="ascii")
    monkeypatch.setattr(workers, "MEMINFO", meminfo)
    monkeypatch.setattr(workers, "usable_cores", lambda: 16)
    assert workers.machine_worker_limit() == 3
    monkeypatch.setattr(workers, "MEMINFO", tmp_path / "absent")
    assert workers.machine_worker_limit() == 16


def test_a_request_above_the_limit_is_lowered_with_a_warning() -> None:
    assert cap_workers(2, 2) == (2, None)
    lowered, warning = cap_workers(10000, 2)
    assert lowered == 2
    assert warning is not None and warning.startswith("--workers 10000 lowered to 2: ")
