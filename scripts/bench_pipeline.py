"""End-to-end benchmark: a one-off ``ingest run`` against a plain reference loop.

Builds a corpus of realistic documents by replicating a folder of pages with variations (UTF-8,
cp1252 bytes, mojibake, a unique mark in each copy's body so no two are duplicates), then
measures:

- ``ingest run`` end to end (Prefect start-up included): MB/s, documents/s, start-up time (until
  the first progress line), peak RSS of the whole process tree (parent, workers, Prefect server);
- the stages in one process on the same corpus: decode, repair, structure, write;
- a reference loop in one process: read, ``ftfy.fix_text(uncurl_quotes=False)``, write one
  Parquet column. The headline is reference seconds / ingest seconds.
- optionally (``--million``) a re-run with nothing new over an output holding 1,000,000 documents.

Examples (from the repository root, after the README's install):

    .venv/bin/python scripts/bench_pipeline.py --source ../shared/eval-dev/inputs/region --mb 120
    .venv/bin/python scripts/bench_pipeline.py --source seeds --mb 5 --skip-reference
    .venv/bin/python scripts/bench_pipeline.py --source ../shared/eval-dev/inputs/region --mb 12 --million
    .venv/bin/python scripts/bench_pipeline.py --source ../shared/eval-dev/inputs/page --stages-only --warm-up
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import ftfy
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parent.parent


def mark_copy(text: str, copy: int, index: int) -> str:
    """Make one copy of a page unique in its article body, not only in its bytes.

    A line added at the end would be removed as trailing debris, leaving every copy of a page
    with the same body, i.e. a duplicate: the run would measure duplicate handling instead of
    the pipeline. The mark goes after the first sentence of the page's longest line, which is
    nearly always a paragraph of the article (a block of menu lines is many short lines, and a
    credit stays at the end of its caption).
    """
    lines = text.split("\n")
    longest = max(range(len(lines)), key=lambda i: len(lines[i]))
    mark = f"(Copy {copy} of page {index}.)"
    head, stop, rest = lines[longest].partition(". ")
    lines[longest] = f"{head}{stop}{mark} {rest}" if stop else f"{head} {mark}"
    return "\n".join(lines)


def build_corpus(source: Path, target: Path, megabytes: float) -> tuple[int, int]:
    """Replicate the pages under ``source`` into ``target`` until it holds ``megabytes``."""
    pages = [p.read_bytes() for p in sorted(source.rglob("*")) if p.is_file()]
    if not pages:
        sys.exit(f"no files under {source}")
    target.mkdir(parents=True)
    total, count, copy = 0, 0, 0
    while total < megabytes * 1e6:
        for index, page in enumerate(pages):
            text = mark_copy(page.decode("utf-8", "replace"), copy, index)
            variant = count % 4
            if variant == 1:  # a legacy encoding
                data = text.encode("cp1252", "replace")
            elif variant == 2:  # mojibake: UTF-8 read as cp1252 and saved as UTF-8
                data = text.encode("utf-8").decode("cp1252", "replace").encode("utf-8")
            else:
                data = text.encode("utf-8")
            (target / f"c{copy:04d}_{index:05d}.txt").write_bytes(data)
            total += len(data)
            count += 1
            if total >= megabytes * 1e6:
                break
        copy += 1
    return count, total


class TreeMemory:
    """Samples the memory of a process and all its descendants (Linux /proc).

    Two sums are kept: RSS, which counts a shared page (the Python binary, libarrow) once in
    every process that maps it, and PSS, which splits each shared page between the processes
    sharing it, so that the PSS sum is what the tree really takes from the machine. The peak RSS
    of each process is kept too, under a short role name.
    """

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.peak_pss, self._stop = pid, 0, 0, threading.Event()
        self.per_process: dict[int, tuple[str, int]] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _children(self) -> dict[int, list[int]]:
        tree: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                parent = int(stat.rsplit(")", 1)[1].split()[1])
                tree.setdefault(parent, []).append(int(entry.name))
        return tree

    def _role(self, pid: int) -> str:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            return "?"
        if pid == self.pid:
            return "cli"
        if "uvicorn" in command or "prefect.server" in command or "server" in command:
            return "prefect server"
        if "multiprocessing" in command or "spawn" in command:
            return "worker"
        return command[:40]

    @staticmethod
    def _kilobytes(path: str, field: str) -> int:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
        return 0

    def _sample(self) -> tuple[int, int]:
        tree, todo, rss_total, pss_total = self._children(), [self.pid], 0, 0
        while todo:
            pid = todo.pop()
            todo.extend(tree.get(pid, []))
            try:
                rss = self._kilobytes(f"/proc/{pid}/status", "VmRSS:")
                pss = self._kilobytes(f"/proc/{pid}/smaps_rollup", "Pss:")
            except OSError:
                continue
            rss_total += rss
            pss_total += pss
            role, peak = self.per_process.get(pid, ("", 0))
            if rss > peak:
                self.per_process[pid] = (role or self._role(pid), rss)
        return rss_total, pss_total

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss = self._sample()
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            time.sleep(0.2)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak

    def roles(self) -> str:
        """Each process's peak RSS in MB, largest first: ``worker 310, worker 305, cli 190``."""
        peaks = sorted(self.per_process.values(), key=lambda item: -item[1])
        return ", ".join(f"{role} {rss / 1e6:.0f}" for role, rss in peaks if rss > 20e6)


def run_ingest(corpus: Path, out: Path, extra: list[str]) -> dict[str, float]:
    """One ``ingest run`` as a user runs it; returns its figures."""
    command = [sys.executable, "-m", "ingest", "run", str(corpus), "-o", str(out), "--json", *extra]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    first_line = process.stderr.readline()
    startup = time.perf_counter() - started if first_line else float("nan")
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    peak = memory.stop()
    if process.returncode:
        sys.exit(f"ingest run failed: {first_line}{stderr}")
    summary = json.loads(stdout)
    return {
        "seconds": seconds,
        "startup_seconds": startup,
        "peak_rss_mb": peak / 1e6,
        "peak_pss_mb": memory.peak_pss / 1e6,
        "peak_rss_by_process": memory.roles(),
        "documents": summary["documents"],
        "rejects": summary["rejects"],
        "input_mb": summary["input_bytes"] / 1e6,
    }


def measure_stages(corpus: Path, sample: int, warm_up: bool = False) -> dict[str, float]:
    """Seconds per stage, in one process, over the first ``sample`` files.

    The first document pays what each worker loads once (the language-identification model
    takes most of a second); ``warm_up`` runs it through every stage untimed first, so that the
    figures are per MB of steady work.
    """
    from ingest.errors import RejectInput
    from ingest.read.decode import decode_and_explain
    from ingest.repair.fixes import repair_text
    from ingest.structure.extract import extract_structure

    paths = sorted(corpus.iterdir())[:sample]
    if warm_up and paths:
        raw = paths[0].read_bytes()
        with contextlib.suppress(RejectInput):
            extract_structure(repair_text(decode_and_explain(raw).text)[0])
    stage = dict.fromkeys(("read", "decode", "repair", "structure", "write"), 0.0)
    bodies, size = [], 0
    for path in paths:
        t0 = time.perf_counter()
        raw = path.read_bytes()
        t1 = time.perf_counter()
        try:
            text = decode_and_explain(raw).text
        except RejectInput:
            continue
        t2 = time.perf_counter()
        repaired, _ = repair_text(text)
        t3 = time.perf_counter()
        structure = extract_structure(repaired)
        t4 = time.perf_counter()
        stage["read"] += t1 - t0
        stage["decode"] += t2 - t1
        stage["repair"] += t3 - t2
        stage["structure"] += t4 - t3
        bodies.append("\n\n".join(structure.paragraphs))
        size += len(raw)
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        pq.write_table(pa.table({"body": bodies}), Path(folder) / "x.parquet", compression="zstd")
        stage["write"] = time.perf_counter() - t0
    return {"sample_mb": size / 1e6, **stage}


def run_reference(corpus: Path) -> float:
    """Seconds for read + ftfy.fix_text (quotes kept) + one Parquet column, in one process."""
    started = time.perf_counter()
    texts = [
        ftfy.fix_text(p.read_bytes().decode("utf-8", "replace"), uncurl_quotes=False)
        for p in sorted(corpus.iterdir())
    ]
    with tempfile.TemporaryDirectory() as folder:
        pq.write_table(pa.table({"body": texts}), Path(folder) / "r.parquet", compression="zstd")
    return time.perf_counter() - started


def fill_million(out: Path, rows: int) -> float:
    """Add ``rows`` tiny document records and manifest rows to ``out``; return seconds taken."""
    from ingest.output.layout import DOCUMENTS, MANIFEST, open_output
    from ingest.output.parquet import write_table
    from ingest.output.schema import load_schema

    output = open_output(out)
    started = time.perf_counter()
    schema = load_schema("documents")
    step = 100_000
    for start in range(0, rows, step):
        n = min(step, rows - start)
        ids = [f"{i:032x}" for i in range(start, start + n)]
        columns = {
            "doc_id": ids,
            "source": [f"synthetic/{i}.txt" for i in range(start, start + n)],
            "title": [None] * n,
            "language": ["en"] * n,
            "body": ["A short synthetic body."] * n,
            "captions": [[]] * n,
            "removed": [[]] * n,
            "encoding": ["utf-8"] * n,
            "fixes": [[]] * n,
            "content_sha256": [
                hashlib.sha256(b"%d" % i).hexdigest() for i in range(start, start + n)
            ],
            "author": [None] * n,
            "published": [None] * n,
            "input_bytes": [23] * n,
            "paragraph_count": [1] * n,
            "run_id": ["synthetic"] * n,
            "processed_at": [0] * n,
        }
        table = pa.table(
            {name: pa.array(columns[name], schema.field(name).type) for name in schema.names},
            schema=schema,
        )
        name = f"part-synthetic-{start:08d}.parquet"
        write_table(output.store, table, output.file(DOCUMENTS, name))
        manifest = pa.table(
            {
                "path": [f"/synthetic/{i}.txt" for i in range(start, start + n)],
                "size": [23] * n,
                "mtime_ns": [0] * n,
                "run_id": ["synthetic"] * n,
            },
            schema=load_schema("manifest"),
        )
        write_table(output.store, manifest, output.file(MANIFEST, name))
    return time.perf_counter() - started


def print_stages(stages: dict[str, float]) -> None:
    """The stage figures as a table: seconds, MB/s and s/MB."""
    mb = stages["sample_mb"]
    print(f"stages over {mb:.1f} MB in one process (MB/s, s/MB):")
    for name in ("read", "decode", "repair", "structure", "write"):
        seconds = stages[name]
        rate = f"{mb / seconds:.1f}" if seconds else "-"
        print(f"  {name:<10} {seconds:7.2f} s  {rate:>8}  {seconds / mb:7.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO / "seeds", help="folder of pages")
    parser.add_argument("--mb", type=float, default=120.0, help="corpus size to build (MB)")
    parser.add_argument("--work", type=Path, help="folder for the corpus and outputs (temp)")
    parser.add_argument("--sample", type=int, default=400, help="files for the stage figures")
    parser.add_argument("--skip-reference", action="store_true", help="skip the reference loop")
    parser.add_argument("--million", action="store_true", help="re-run over 1,000,000 documents")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument(
        "--stages-only",
        action="store_true",
        help="only the stage figures, over the files of --source as they are (no corpus, no run)",
    )
    parser.add_argument(
        "--warm-up", action="store_true", help="leave the one-time loads out of the stage figures"
    )
    parser.add_argument("ingest_args", nargs="*", help="extra options for ingest run")
    args = parser.parse_args(argv)
    if args.stages_only:
        stages = measure_stages(args.source, args.sample, args.warm_up)
        print_stages(stages)
        if args.json:
            args.json.write_text(json.dumps({"stages": stages}, indent=2))
        return 0

    work = args.work or Path(tempfile.mkdtemp(prefix="ingest-bench-"))
    corpus, out = work / "corpus", work / "out"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    files, total = build_corpus(args.source, corpus, args.mb)
    print(f"corpus: {files} files, {total / 1e6:.1f} MB in {corpus}")

    figures: dict[str, object] = {"files": files, "corpus_mb": total / 1e6, "cores": os.cpu_count()}
    result = run_ingest(corpus, out, args.ingest_args)
    figures["ingest"] = result
    print(
        f"ingest run: {result['seconds']:.1f} s ({result['startup_seconds']:.1f} s to first "
        f"progress), {result['input_mb'] / result['seconds']:.2f} MB/s, "
        f"{result['documents'] / result['seconds']:.0f} docs/s"
    )
    print(
        f"peak memory of the process tree: RSS {result['peak_rss_mb']:.0f} MB, "
        f"PSS {result['peak_pss_mb']:.0f} MB; per process (RSS MB): {result['peak_rss_by_process']}"
    )
    rerun = run_ingest(corpus, out, args.ingest_args)
    figures["rerun_nothing_new_seconds"] = rerun["seconds"]
    print(f"re-run, nothing new: {rerun['seconds']:.1f} s")

    stages = measure_stages(corpus, args.sample, args.warm_up)
    figures["stages"] = stages
    print_stages(stages)

    if not args.skip_reference:
        reference = run_reference(corpus)
        figures["reference_seconds"] = reference
        figures["ratio"] = reference / result["seconds"]
        print(f"reference loop: {reference:.1f} s; ratio reference/ingest = {figures['ratio']:.2f}")

    if args.million:
        filled = fill_million(out, 1_000_000)
        million = run_ingest(corpus, out, args.ingest_args)
        figures["million_rerun_seconds"] = million["seconds"]
        print(
            f"1,000,000 documents added in {filled:.1f} s; re-run over them: {million['seconds']:.1f} s"
        )

    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
