"""What is where under an output: table folders, part-file names, the journal and the lock.

An output is opened once (``open_output``) and the ``Output`` handle is passed to every step
that reads or writes it, so the layout is written down here and nowhere else::

    OUT/documents/     part-RUN-BATCH.parquet           a batch's documents
    OUT/rejects/       part-RUN-BATCH.parquet           a batch's rejects
                       part-RUN-dedupe-DIGEST.parquet   duplicates found after the batches
    OUT/documents/, OUT/rejects/
                       part-empty.parquet               no rows: the table's schema, written
                                                        when a run leaves the folder without files
    OUT/_manifest/     part-RUN-BATCH.parquet           the input files a batch accounted for
    OUT/*/             part-compacted-ID.parquet        files merged by ``ingest compact``
    OUT/_compaction/   ID.json                          the journal of a merge in progress
    OUT/_runs/         RUN.json                         a run that has not finished settling
    OUT/.ingest.lock                                    the lock (local outputs)

A file written by a run carries the run id in its name (``-RUN-``), which is how a run finds its
own files again (to dedupe them, or to leave them out of what the output held before it).
Compacted files and the empty file belong to no run. Batch numbers are zero-padded, so sorting
a run's files puts its batches in input order.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.output.store import EXAMPLE as EXAMPLE_STORE
from ingest.output.store import Store, base_name, open_store

DOCUMENTS = "documents"
REJECTS = "rejects"
MANIFEST = "_manifest"  # leading "_": dataset readers of OUT skip it
JOURNAL = "_compaction"
RUNS = "_runs"  # the run journal (ingest.output.runs)
# Each table folder and the name of the schema its files are written in.
TABLES = {DOCUMENTS: "documents", REJECTS: "rejects", MANIFEST: "manifest"}
LOCK_NAME = ".ingest.lock"  # a local output's lock file, inside OUT
PARQUET_SUFFIX = ".parquet"
DEDUPE_BATCH_NAME = "dedupe"
# The file that keeps a dataset readable when no run has written a record to it: readers of a
# folder without Parquet files fail (pandas, DuckDB's glob), so the folder always holds one.
EMPTY_FILE_NAME = "part-empty.parquet"
# The tables a user reads, which must always exist as datasets.
DATASETS = (DOCUMENTS, REJECTS)


def batch_file_name(run_id: str, batch_index: int) -> str:
    """The name of a batch's file in each table folder.

    It depends only on the run and the batch, so a retried batch replaces its own files.

    >>> batch_file_name("20261202T000000Z-abcdef", 7)
    'part-20261202T000000Z-abcdef-00007.parquet'
    """
    return f"part-{run_id}-{batch_index:05d}{PARQUET_SUFFIX}"


def dedupe_file_name(run_id: str, sources: Iterable[str]) -> str:
    """The name of a file of duplicate rejects: named after the sources it holds.

    A retry that rejects the same sources writes the same name, replacing the file whole.

    >>> dedupe_file_name("R", ["b.txt", "a.txt"]) == dedupe_file_name("R", ["a.txt", "b.txt"])
    True
    >>> dedupe_file_name("R", ["a.txt"])
    'part-R-dedupe-...parquet'
    """
    digest = hashlib.sha256("\n".join(sorted(sources)).encode()).hexdigest()[:16]
    return f"part-{run_id}-{DEDUPE_BATCH_NAME}-{digest}{PARQUET_SUFFIX}"


def compacted_file_name(compaction_id: str) -> str:
    """The name of a file merged by compaction (it belongs to no run).

    >>> compacted_file_name("0a1b2c")
    'part-compacted-0a1b2c.parquet'
    """
    return f"part-compacted-{compaction_id}{PARQUET_SUFFIX}"


def written_by(path: str, run_id: str) -> bool:
    """Whether the file at ``path`` was written by run ``run_id`` (its id is in the name).

    >>> written_by("out/documents/part-R1-00000.parquet", "R1")
    True
    >>> written_by("out/documents/part-R10-00000.parquet", "R1")
    False
    """
    return f"-{run_id}-" in base_name(path)


def is_dedupe_file(path: str) -> bool:
    """Whether ``path`` is a file of duplicate rejects (written after a run's batches).

    >>> is_dedupe_file("out/rejects/part-R-dedupe-0a1b.parquet")
    True
    >>> is_dedupe_file("out/rejects/part-R-00001.parquet")
    False
    """
    return f"-{DEDUPE_BATCH_NAME}-" in base_name(path)


@dataclass(frozen=True, slots=True)
class Output:
    """An opened output: its store and where each of its files goes.

    Paths are strings inside ``store`` (see ``ingest.output.store``); ``display`` turns one into
    what the user would write.
    """

    store: Store

    @property
    def uri(self) -> str:
        """The location as the user gave it (for messages)."""
        return self.store.uri

    @property
    def local(self) -> bool:
        """Whether the output is a local folder."""
        return self.store.local

    def display(self, path: str) -> str:
        """``path`` as the user would write it (``s3://bucket/key`` for object stores)."""
        return self.store.display(path)

    def folder(self, table: str) -> str:
        """The path of a table folder (``DOCUMENTS``, ``REJECTS``, ``MANIFEST``, ``JOURNAL``).

        >>> EXAMPLE.folder(DOCUMENTS)
        'bucket/prefix/documents'
        """
        return self.store.path(table)

    def file(self, table: str, *names: str) -> str:
        """The path of the file ``names`` (a name, or a name's parts) in a table folder.

        >>> EXAMPLE.file(MANIFEST, "part-x.parquet")
        'bucket/prefix/_manifest/part-x.parquet'
        """
        return self.store.path(table, *names)

    def batch_file(self, table: str, run_id: str, batch_index: int) -> str:
        """The path of a batch's file in a table folder.

        >>> EXAMPLE.batch_file(REJECTS, "R", 3)
        'bucket/prefix/rejects/part-R-00003.parquet'
        """
        return self.file(table, batch_file_name(run_id, batch_index))

    def dedupe_file(self, run_id: str, sources: Iterable[str]) -> str:
        """The path of a file of duplicate rejects holding ``sources``."""
        return self.file(REJECTS, dedupe_file_name(run_id, sources))

    def sized_files(self, table: str) -> list[tuple[str, int]]:
        """(path, size) of the finished Parquet files of a table folder, sorted by path."""
        return self.store.list_files(self.folder(table), PARQUET_SUFFIX)

    def files(self, table: str, *, exclude_runs: Iterable[str] = ()) -> list[str]:
        """The finished Parquet files of a table folder, sorted by path.

        ``exclude_runs`` leaves out the files written by those runs.
        """
        paths = [path for path, _ in self.sized_files(table)]
        excluded = list(exclude_runs)
        return [path for path in paths if not any(written_by(path, r) for r in excluded)]

    def run_files(self, table: str, *run_ids: str) -> list[str]:
        """The files of a table folder written by the runs ``run_ids``, in run and batch order.

        Run ids sort by their start time, so this is the order the runs were started in.
        """
        paths = self.files(table)
        return [path for run_id in sorted(run_ids) for path in paths if written_by(path, run_id)]

    def dedupe_files(self, *run_ids: str) -> list[str]:
        """The files of duplicate rejects the runs ``run_ids`` wrote (earlier attempts' too)."""
        return [path for path in self.run_files(REJECTS, *run_ids) if is_dedupe_file(path)]

    def journal_file(self, compaction_id: str) -> str:
        """The path of a compaction's journal entry."""
        return self.file(JOURNAL, f"{compaction_id}.json")

    def journal_files(self) -> list[str]:
        """The journal entries of compactions that have not finished."""
        return self.json_files(JOURNAL)

    def run_entry_file(self, run_id: str) -> str:
        """The path of a run's entry in the run journal."""
        return self.file(RUNS, f"{run_id}.json")

    def run_entry_files(self) -> list[str]:
        """The run journal's entries: the runs that have not finished settling."""
        return self.json_files(RUNS)

    def json_files(self, folder: str) -> list[str]:
        """The ``.json`` entries of a journal folder (``JOURNAL``, ``RUNS``), sorted by path."""
        if not self.store.is_dir(self.folder(folder)):
            return []
        return [path for path, _ in self.store.list_files(self.folder(folder), ".json")]

    def lock_file(self) -> Path:
        """The file whose ``flock`` is the output's lock.

        Locally it is ``OUT/.ingest.lock``. An object store cannot hold an flock (and pyarrow
        offers no conditional write to build one from), so the lock of a remote output is a
        file on this machine, named after the location: it keeps two processes on this machine
        off one prefix, and nothing else. It lives in the user's own cache folder
        (``$XDG_CACHE_HOME/ingest/locks``, else ``~/.cache/ingest/locks``), not in a shared
        temporary folder where another user could plant a link at its predictable name.
        """
        store = self.store
        if store.local:
            return Path(store.root) / LOCK_NAME
        digest = hashlib.sha256(f"{store.scheme}://{store.root.rstrip('/')}".encode()).hexdigest()
        cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(cache, "ingest", "locks", f"{digest[:24]}.lock")


def open_output(location: str | os.PathLike[str]) -> Output:
    """The ``Output`` at a location: a local path, ``file://``, ``s3://``, ``gs://``...

    Opening is cheap (remote filesystems are made once per process and location, see
    ``open_store``), so a worker process opens the output from its location string.

    >>> open_output("out").lock_file()
    PosixPath('out/.ingest.lock')
    """
    return Output(open_store(location))


# A remote output for doctests (made without a connection, like ``store.EXAMPLE``).
EXAMPLE = Output(EXAMPLE_STORE)
