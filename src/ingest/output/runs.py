"""The run journal: which runs wrote into an output and have not finished settling it.

A run writes its entry (``OUT/_runs/RUN.json``) before its first batch and deletes it as the
last thing it does, after its duplicates are settled and (with ``--force``) the records it
replaced are gone. An entry still there when a run starts belongs to a run that was killed. The
new run takes over the killed runs' files as if it had written them itself: they are left out of
what the output "already held" (``load_seen_index``), settled together with its own files
(``ingest.output.settle``), and their entries are deleted only when that is done. So after any
kill, one complete run leaves what an uninterrupted run would have left, and a killed ``--force``
run's replacements are finished by whichever run comes next.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ingest.output.layout import Output


@dataclass(frozen=True, slots=True)
class RunEntry:
    """A run in the journal: its id, and whether its records replace older ones of the same
    inputs (``--force``, ``--replace-changed``)."""

    run_id: str
    replaces: bool = False

    def to_json(self) -> bytes:
        """The entry as written to the journal.

        >>> RunEntry("R", replaces=True).to_json()
        b'{"run_id": "R", "replaces": true}'
        """
        return json.dumps({"run_id": self.run_id, "replaces": self.replaces}).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> RunEntry:
        """The entry read back from the journal.

        >>> RunEntry.from_json(RunEntry("R", replaces=True).to_json())
        RunEntry(run_id='R', replaces=True)
        """
        entry = json.loads(data.decode("utf-8"))
        return cls(run_id=str(entry["run_id"]), replaces=bool(entry.get("replaces", False)))


def unfinished_runs(output: Output) -> list[RunEntry]:
    """The runs whose entries are in the journal, oldest first.

    Call this holding the output's lock: then no run is in progress, and every entry is a run
    that was stopped before it finished.
    """
    entries = [RunEntry.from_json(output.store.read_bytes(p)) for p in output.run_entry_files()]
    return sorted(entries, key=lambda entry: entry.run_id)


def begin_run(output: Output, entry: RunEntry) -> list[RunEntry]:
    """Put ``entry`` in the journal; return the unfinished runs it takes over (oldest first)."""
    taken_over = [e for e in unfinished_runs(output) if e.run_id != entry.run_id]
    output.store.write_bytes(output.run_entry_file(entry.run_id), entry.to_json())
    return taken_over


def finish_runs(output: Output, entries: list[RunEntry]) -> None:
    """Delete the journal entries of runs whose files are settled (the newest last)."""
    for entry in entries:
        path = output.run_entry_file(entry.run_id)
        if output.store.exists(path):
            output.store.delete(path)
