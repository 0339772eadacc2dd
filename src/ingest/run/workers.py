"""How many batches one machine can process at once.

Each local worker is a process of its own that holds a batch's text, its records and the
pipeline's models: about 400 MB at its peak. More workers than cores only take turns on them,
and more than memory holds swap or get killed, so a run uses at most the smaller of the two.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

WORKER_MEMORY_BYTES = 400 * 1000 * 1000
MEMINFO = Path("/proc/meminfo")

# The "MemAvailable:" line of /proc/meminfo, in kB ("MemAvailable:   22410536 kB"). Must not
# match MemFree or MemTotal: available memory counts the page cache the kernel can give back.
MEM_AVAILABLE_RE = re.compile(r"^MemAvailable:\s+(\d+)\s*kB$", re.MULTILINE)


def worker_limit(cores: int, available_bytes: int | None) -> int:
    """The most workers ``cores`` cores and ``available_bytes`` of memory carry (at least 1).

    ``available_bytes`` is None where the memory is not known: then the cores alone decide.

    >>> worker_limit(8, 1_000_000_000), worker_limit(8, None), worker_limit(2, 10**12)
    (2, 8, 2)
    >>> worker_limit(4, 0)
    1
    """
    by_memory = cores if available_bytes is None else available_bytes // WORKER_MEMORY_BYTES
    return max(1, min(cores, by_memory))


def parse_mem_available(meminfo: str) -> int | None:
    """The available memory in bytes from the text of ``/proc/meminfo``; None if absent.

    >>> parse_mem_available("MemTotal: 8 kB\\nMemFree:  3 kB\\nMemAvailable:  5 kB\\n")
    5000
    >>> parse_mem_available("MemTotal: 8 kB\\n") is None
    True
    """
    found = MEM_AVAILABLE_RE.search(meminfo)
    return int(found.group(1)) * 1000 if found else None


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform has one)."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13+
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def available_memory_bytes() -> int | None:
    """Memory available to new processes now, from ``/proc/meminfo``; None where there is none."""
    try:
        return parse_mem_available(MEMINFO.read_text(encoding="ascii"))
    except OSError:
        return None


def machine_worker_limit() -> int:
    """The most workers this machine carries now: its cores, and its memory at 400 MB each."""
    return worker_limit(usable_cores(), available_memory_bytes())


def cap_workers(requested: int | None, limit: int) -> tuple[int, str | None]:
    """The workers a run uses, and a warning when ``requested`` was more than ``limit``.

    ``requested`` None means as many as the machine carries.

    >>> cap_workers(None, 4), cap_workers(3, 4)
    ((4, None), (3, None))
    >>> print(cap_workers(10000, 2)[1])
    --workers 10000 lowered to 2: this machine's cores and memory (400 MB a worker) carry no more
    """
    if requested is None:
        return limit, None
    if requested <= limit:
        return requested, None
    megabytes = WORKER_MEMORY_BYTES // 1_000_000
    return limit, (
        f"--workers {requested} lowered to {limit}: this machine's cores and memory "
        f"({megabytes} MB a worker) carry no more"
    )
