"""Re-runs through the command line: an edited file's versions, and a copy under a new name.

The settle logic is tested in-process in ``tests/output/test_settle.py``; these check that
``ingest run`` wires it in (``--replace-changed``, the run journal left empty).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

ARTICLE = "Headline {n}\n\n" + "\n\n".join(
    f"Paragraph {i} of version {{n}} of the article, long enough to be prose, with a clause and "
    "a full stop at the end."
    for i in range(5)
)


def ingest(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "ingest", "run", *args]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def table(out: Path, name: str, columns: list[str]) -> list[tuple]:
    if not list((out / name).glob("*.parquet")):
        return []
    data = ds.dataset(out / name, format="parquet").to_table(columns=columns)
    return sorted(zip(*(data.column(c).to_pylist() for c in columns), strict=True))


def edit(path: Path, n: int) -> None:
    path.write_text(ARTICLE.format(n=n), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + n * 10**9))


@pytest.mark.prefect
def test_an_edited_file_keeps_both_versions_or_only_the_latest(tmp_path, cli_env) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for out, flag in ((tmp_path / "both", ()), (tmp_path / "latest", ("--replace-changed",))):
        edit(inputs / "a.txt", 1)
        ingest(cli_env, str(inputs), "-o", str(out))
        edit(inputs / "a.txt", 2)
        ingest(cli_env, str(inputs), "-o", str(out), *flag)
        assert not list((out / "_runs").glob("*.json"))  # every run finished settling
    assert [t for (t,) in table(tmp_path / "both", "documents", ["title"])] == [
        "Headline 1",
        "Headline 2",
    ]
    assert table(tmp_path / "latest", "documents", ["title"]) == [("Headline 2",)]


@pytest.mark.prefect
def test_a_copy_added_later_is_a_duplicate_reject_not_skipped(tmp_path, cli_env) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    edit(inputs / "a.txt", 1)
    ingest(cli_env, str(inputs), "-o", str(out))
    (inputs / "copy.txt").write_bytes((inputs / "a.txt").read_bytes())
    ingest(cli_env, str(inputs), "-o", str(out))
    [(doc_id, root)] = table(out, "documents", ["doc_id", "input_root"])
    assert root == str(inputs)  # the INPUT it was found under, absolute
    assert table(out, "rejects", ["source", "reason", "duplicate_of", "input_root"]) == [
        ("copy.txt", "duplicate", doc_id, root)
    ]
