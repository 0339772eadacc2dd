"""Whole runs (the ``ingest`` command) over inputs the file system makes awkward: names that are
not UTF-8, files of 2 GiB, unreadable folders, and entries that are not regular files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

ARTICLE = (
    "Harbour bridge reopens after repairs\n\n"
    "The harbour bridge reopened on Monday after six months of repairs to its deck and cables.\n\n"
    "Engineers said the work finished two weeks early, and traffic returned to normal by noon.\n"
)

pytestmark = [pytest.mark.prefect, pytest.mark.slow]


def run_ingest(args: list[str], env: dict[str, str], prelude: str = ""):
    """``ingest ARGS`` in a child process, after running ``prelude`` there (a monkeypatch)."""
    code = f"{prelude}\nfrom ingest.cli import main\nmain({args!r})\n"
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def records(out: Path, name: str) -> list[dict]:
    folder = out / name
    if not folder.exists():
        return []
    return ds.dataset(folder, format="parquet").to_table().to_pylist()


def human_summary(folder: Path, out: Path, env: dict[str, str], prelude: str = "") -> str:
    """The summary table a run without ``--json`` prints."""
    result = run_ingest(["run", str(folder), "--output", str(out)], env, prelude)
    assert result.returncode == 0, result.stderr
    return result.stdout


def write_article(path: Path, n: int) -> None:
    path.write_bytes(f"{ARTICLE}\nThis is article number {n} of the folder.\n".encode())


def test_a_file_name_that_is_not_utf8_is_read_and_named_reversibly(cli_env, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in (1, 2, 3):
        write_article(folder / f"a{n}.txt", n)
    fd = os.open(os.fsencode(folder) + b"/b\xff.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, f"{ARTICLE}\nThe one with a name in no encoding.\n".encode())
    os.close(fd)
    fd = os.open(os.fsencode(folder) + b"/c\xfe.txt.gz", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, b"not gzip at all")  # a reject named by bytes too
    os.close(fd)
    out = tmp_path / "out"
    args = ["run", str(folder), "--output", str(out), "--json"]

    first = run_ingest(args, cli_env)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["files"], summary["documents"], summary["rejects"]) == (5, 4, 1)
    sources = sorted(r["source"] for r in records(out, "documents"))
    assert sources == ["a1.txt", "a2.txt", "a3.txt", "b\\xff.txt"]
    [reject] = records(out, "rejects")
    assert (reject["source"], reject["reason"]) == ("c\\xfe.txt.gz", "bad_gzip")
    from ingest.read.names import source_path_bytes

    for source in [*sources, reject["source"]]:
        assert (folder / os.fsdecode(source_path_bytes(source))).is_file()

    again = run_ingest(args, cli_env)
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert (summary["files"], summary["known_files"], summary["failed_batches"]) == (0, 5, 0)

    assert "unchanged files, not read" in human_summary(folder, out, cli_env)


def test_a_2_gib_file_is_a_bounded_too_large_reject(cli_env, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder / "a.txt", 1)
    with (folder / "big.txt").open("wb") as big:
        big.truncate(2 * 1024**3)  # sparse: costs no disk
    out = tmp_path / "out"
    args = ["run", str(folder), "--output", str(out), "--json"]

    first = run_ingest(args, cli_env)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert (summary["documents"], summary["rejects_by_reason"]) == (1, {"too_large": 1})
    [reject] = records(out, "rejects")
    assert reject["source"] == "big.txt"
    assert reject["raw"] == bytes(len(reject["raw"]))
    assert 0 < len(reject["raw"]) <= 1024**2
    assert f"{2 * 1024**3} bytes" in reject["detail"]
    assert f"first {len(reject['raw'])} bytes" in reject["detail"]

    again = run_ingest(args, cli_env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["known_files"] == 2


UNREADABLE_FOLDER = """
import os
from pathlib import Path
real_scandir = os.scandir
def scandir(path='.'):
    if Path(os.fsdecode(path)).name == 'locked':
        raise PermissionError(13, 'Permission denied', os.fsdecode(path))
    return real_scandir(path)
os.scandir = scandir
"""


def test_an_unreadable_folder_is_reported(cli_env, tmp_path) -> None:
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    write_article(folder / "a.txt", 1)
    write_article(folder / "locked" / "b.txt", 2)
    out = tmp_path / "out"

    result = run_ingest(
        ["run", str(folder), "--output", str(out), "--json"], cli_env, UNREADABLE_FOLDER
    )
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["files"] == 1
    assert summary["unreadable_folders"] == 1
    assert summary["unreadable_folder_list"] == [
        {"path": str(folder / "locked"), "error": "Permission denied"}
    ]
    warnings = [line for line in result.stderr.splitlines() if "could not read" in line]
    assert warnings == [
        f"ingest: warning: could not read 1 folder, so nothing in it was read: "
        f"{folder / 'locked'} (Permission denied)"
    ]

    assert "folders not readable" in human_summary(folder, out, cli_env, UNREADABLE_FOLDER)


def test_entries_that_are_not_regular_files_are_counted(cli_env, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    write_article(folder / "a.txt", 1)
    os.mkfifo(folder / "pipe")
    (folder / "loop").symlink_to("loop")
    (tmp_path / "outside.txt").write_bytes(ARTICLE.encode())
    (folder / "out-link.txt").symlink_to(tmp_path / "outside.txt")
    (folder / "null").symlink_to("/dev/null")
    out = tmp_path / "out"

    result = run_ingest(["run", str(folder), "--output", str(out), "--json"], cli_env)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["files"], summary["documents"]) == (1, 1)
    assert summary["not_regular_files"] == 4
    assert summary["not_regular_first"] == [
        {"path": str(folder / "loop"), "kind": "symlink loop"},
        {"path": str(folder / "null"), "kind": "link to a device"},
        {"path": str(folder / "out-link.txt"), "kind": "link out of INPUT"},
        {"path": str(folder / "pipe"), "kind": "fifo"},
    ]

    assert "skipped (not a regular file)" in human_summary(folder, out, cli_env)
