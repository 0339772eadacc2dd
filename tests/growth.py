"""How work grows with its input, for tests that must catch super-linear time on any machine.

A check of the form "this took under N seconds" fails when the machine is busy and passes a slow
pattern on a fast one. Instead, the same work runs on a text and on one ``SCALE`` times longer,
and the ratio of the two times is compared with ``GROWTH_LIMIT``: about 10 for linear work,
about 13 for n log n, about 100 for quadratic. Times are CPU seconds of the process, which
other processes on the machine do not stretch; each is the least of up to ``TRIES`` runs, so
one disturbed run does not decide, and each run repeats the work as many times as the short text
needs to take ``MIN_MEASURED_SECONDS`` (a few microseconds are the clock's noise: a split of a
2 kB line once measured 30 times faster than of the 20 kB one).

The work runs in a forked child (``re`` holds the GIL, so a catastrophic pattern cannot be
interrupted in-process). A child still running at ``DEADLINE`` wall-clock seconds is killed and
its text reported as ``"did not finish"``: that is a backstop against hanging the suite, never
the criterion.
"""

from __future__ import annotations

import math
import multiprocessing
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

SCALE = 10  # the long text is this many times the short one
GROWTH_LIMIT = 30.0  # time ratio at SCALE x the size: linear ~10, quadratic ~100
TRIES = 3  # runs of each size at most; the least time counts
MIN_SECONDS = 1e-5  # CPU times below this count as this (a ratio of two near-zero times is noise)
MIN_MEASURED_SECONDS = 5e-4  # the short text's work is repeated until it takes this much CPU
MAX_REPEATS = 1 << 16  # and at most this many times
DEADLINE = 300.0  # wall-clock seconds one pair may take before its child is killed (backstop)

Work = Callable[[str], object]
# (label, short text, long text)
Pair = tuple[str, str, str]


def calls_made(work: Callable[..., Any], *args: Any) -> tuple[int, Any]:
    """How many function calls (Python and C) ``work(*args)`` makes in this thread, and what it
    returns: a count of steps, the same on any machine however busy, for whole-pipeline runs
    whose per-line or per-paragraph work is function calls."""
    count = 0

    def profile(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        result = work(*args)
    finally:
        sys.setprofile(None)
    return count, result


def cpu_seconds(work: Work, text: str, repeats: int = 1) -> float:
    """CPU seconds this process spends on ``work(text)``, done ``repeats`` times."""
    started = time.process_time()
    for _ in range(repeats):
        work(text)
    return time.process_time() - started


def repeats_for(work: Work, text: str) -> int:
    """How many times ``work(text)`` must run to take at least ``MIN_MEASURED_SECONDS`` of CPU
    (doubling from one): a ratio of two times of a few microseconds is the clock's and the
    machine's noise, not the work's growth."""
    repeats = 1
    while cpu_seconds(work, text, repeats) < MIN_MEASURED_SECONDS and repeats < MAX_REPEATS:
        repeats *= 2
    return repeats


def growth(work: Work, short: str, long: str) -> float:
    """Time on ``long`` over time on ``short``: each the least of up to ``TRIES`` runs, each run
    repeating the work as often as the short text needs to be measurable.

    Runs stop as soon as the ratio is under ``GROWTH_LIMIT``: a linear pass usually costs one
    run of each.
    """
    repeats = repeats_for(work, short)
    best_short = best_long = math.inf
    for _ in range(TRIES):
        best_short = min(best_short, cpu_seconds(work, short, repeats))
        best_long = min(best_long, cpu_seconds(work, long, repeats))
        ratio = max(best_long, MIN_SECONDS) / max(best_short, MIN_SECONDS)
        if ratio < GROWTH_LIMIT:
            break
    return ratio


def _child(work: Work, pairs: Sequence[Pair], conn: Any) -> None:  # pragma: no cover - child
    for label, short, long in pairs:
        conn.send((label, growth(work, short, long)))
    conn.close()


def super_linear(
    work: Work, pairs: Sequence[Pair], deadline: float = DEADLINE
) -> list[tuple[str, float | str]]:
    """The labels of the pairs on which ``work`` grows faster than ``GROWTH_LIMIT`` allows.

    Each comes with its ratio, or ``"did not finish"`` when its child was killed at
    ``deadline``; a new child then goes on with the pairs after it, so every one is named.

    A pair over the limit is measured again in a fresh child, and named only if it is over the
    limit there too: super-linear work is so on every run, while a busy machine can stretch one
    run's long text (its fresh memory pages cost the kernel more then: a linear split of 100 kB
    measured 36.8 times its 10 kB one in CI with the other test worker running, 10 times idle).
    """
    found = measure_pairs(work, pairs, deadline)
    again = {label for label, ratio in found if ratio != "did not finish"}
    if not again:
        return found
    confirmed = dict(measure_pairs(work, [pair for pair in pairs if pair[0] in again], deadline))
    return [(label, ratio) for label, ratio in found if label not in again or label in confirmed]


def measure_pairs(
    work: Work, pairs: Sequence[Pair], deadline: float
) -> list[tuple[str, float | str]]:
    """:func:`super_linear`'s one measurement of each pair, in forked children."""
    context = multiprocessing.get_context("fork")
    found: list[tuple[str, float | str]] = []
    remaining = list(pairs)
    while remaining:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, remaining, send), daemon=True)
        child.start()
        send.close()
        done = 0
        try:
            for label, _, _ in remaining:
                done += 1
                if not receive.poll(deadline):
                    found.append((label, "did not finish"))
                    break
                got_label, ratio = receive.recv()
                assert got_label == label
                if ratio >= GROWTH_LIMIT:
                    found.append((label, round(ratio, 1)))
        finally:
            if child.is_alive():
                child.kill()
            child.join()
            receive.close()
        remaining = remaining[done:]
    return found
