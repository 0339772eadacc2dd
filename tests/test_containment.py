"""Containment (issue 8): nothing outside the input and output locations is read or written, no
input makes the pipeline touch the network, and output file names never come from input content.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import socket
from pathlib import Path

import pytest

from ingest.output.dataset import SeenIndex
from ingest.output.layout import open_output
from ingest.output.parquet import RunInfo
from ingest.read.files import find_input_files
from ingest.records import Document
from ingest.run.batches import process_files, write_batch_files

ARTICLE = (
    "Harbour bridge reopens after repairs\n\n"
    "The harbour bridge reopened on Monday after six months of repairs to its deck and cables.\n\n"
    "Engineers said the work finished two weeks early, and traffic returned to normal by noon.\n"
)
HOSTILE_NAMES_IN_TEXT = [
    "../../etc/passwd",
    "/etc/shadow",
    "..\\..\\windows\\system32",
    "documents/../../escape.parquet",
    "part-evil.parquet",
    "~/.ssh/id_rsa",
]


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def files_under(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything opens a connection or resolves a name."""

    def refuse(*args, **kwargs):
        pytest.fail(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.fixture
def watched_opens(monkeypatch):
    """Every path opened through ``open``/``io.open``/``os.open`` while the test runs."""
    opened: list[tuple[str, str]] = []
    real_open, real_io_open, real_os_open = builtins.open, io.open, os.open

    def record(file, mode="r", *args, **kwargs):
        if isinstance(file, str | bytes | os.PathLike):
            opened.append((os.fsdecode(file), mode))
        return real_open(file, mode, *args, **kwargs)

    def record_os(path, flags, *args, **kwargs):
        mode = "w" if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) else "r"
        opened.append((os.fsdecode(path), mode))
        return real_os_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", record)
    monkeypatch.setattr(io, "open", record)
    monkeypatch.setattr(os, "open", record_os)
    del real_io_open
    return opened


def test_symlinks_out_of_an_input_folder_are_not_followed(tmp_path) -> None:
    secret = write(tmp_path / "outside" / "secret.txt", ARTICLE.encode())
    outside_folder = secret.parent
    source = tmp_path / "in"
    write(source / "good.txt", ARTICLE.encode().replace(b"Monday", b"Friday"))
    (source / "link-to-file.txt").symlink_to(secret)
    (source / "link-to-folder").symlink_to(outside_folder, target_is_directory=True)
    (source / "abs-etc-passwd").symlink_to("/etc/passwd")
    (source / "relative-escape.txt").symlink_to("../outside/secret.txt")
    write(source / "sub" / "inside.txt", ARTICLE.encode().replace(b"Monday", b"Sunday"))
    (source / "link-inside.txt").symlink_to("sub/inside.txt")  # stays inside: counts
    files = find_input_files([source])
    assert sorted(f.source for f in files) == ["good.txt", "link-inside.txt", "sub/inside.txt"]
    for file in files:
        assert Path(file.path).resolve().is_relative_to(source.resolve())


def test_output_names_never_come_from_input_content(tmp_path, no_network) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    for index, hostile in enumerate(HOSTILE_NAMES_IN_TEXT):
        text = f"{hostile}\n\n{ARTICLE}\n\nSee {hostile} and {hostile}/x for more.\n"
        write(source / f"doc{index}.txt", text.encode())
        html = (
            f'<title>{hostile}</title><h1>{hostile}</h1><a href="{hostile}">x</a><p>{ARTICLE}</p>'
        )
        write(source / f"doc{index}.html", html.encode())
    write(
        source / "feed.jsonl",
        b'{"text": "../../etc/passwd", "source": "../../x", "id": "/tmp/y"}\n',
    )
    write(source / "binary.txt", b"\x89PNG\r\n\x1a\n../../etc/passwd")
    before = files_under(tmp_path)
    files = find_input_files([source], exclude=[out])
    documents, rejects, _ = process_files(files, SeenIndex())
    assert len(documents) + len(rejects) == len(files)  # the jsonl file holds one line
    run = RunInfo.start()
    written = [Path(p) for p in write_batch_files([*documents, *rejects], open_output(out), run, 0)]
    assert written
    after = files_under(tmp_path)
    new_files = after - before
    assert set(written) == new_files
    for path in new_files:
        assert path.resolve().is_relative_to(out.resolve())
        assert path.parent.name in {"documents", "rejects"}
        assert path.parent.parent == out
        assert path.name.startswith("part-") and path.name.endswith(".parquet")
        assert path.name == f"part-{run.run_id}-00000.parquet"


@pytest.mark.filterwarnings("ignore::bs4.XMLParsedAsHTMLWarning")
def test_no_input_makes_the_pipeline_fetch_a_url(tmp_path, no_network, watched_opens) -> None:
    html = (
        "<html><head>"
        '<base href="http://127.0.0.1:9/">'
        '<meta http-equiv="refresh" content="0; url=http://127.0.0.1:9/refresh">'
        '<link rel="stylesheet" href="http://127.0.0.1:9/style.css">'
        '<link rel="import" href="file:///etc/passwd">'
        '<script src="http://127.0.0.1:9/x.js"></script>'
        "</head><body>"
        '<h1>Harbour bridge reopens</h1><img src="http://127.0.0.1:9/photo.jpg" alt="photo">'
        '<iframe src="http://127.0.0.1:9/frame"></iframe>'
        '<object data="file:///etc/shadow"></object>'
        '<svg><image href="http://127.0.0.1:9/i.svg"/></svg>'
        '<p style="background: url(http://127.0.0.1:9/bg.png)">The bridge reopened on Monday.</p>'
        "<p>Engineers said the work finished early. &xxe; &#x26;</p>"
        "</body></html>"
    )
    xml_doctype = (
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<h1>Title</h1><p>&xxe; Some words of a paragraph.</p><p>Another paragraph.</p>"
    )
    source = tmp_path / "in"
    write(source / "page.html", html.encode())
    write(source / "xxe.xhtml", xml_doctype.encode())
    write(source / "feed.jsonl", json.dumps({"html": html}).encode() + b"\n")
    files = find_input_files([source])
    documents, rejects, _ = process_files(files, SeenIndex())
    assert len(documents) + len(rejects) == 3
    for document in documents:
        assert isinstance(document, Document)
        assert "root:" not in document.body  # /etc/passwd was never read into the text
    read_paths = {Path(path).resolve() for path, _mode in watched_opens}
    for path in read_paths:
        inside_input = path.is_relative_to(source.resolve())
        library_file = not path.is_relative_to(tmp_path.resolve())  # e.g. a lazily loaded model
        assert inside_input or library_file, path
        assert str(path) not in {"/etc/passwd", "/etc/shadow"}


def test_processing_writes_nothing_and_writing_stays_under_out(tmp_path, watched_opens) -> None:
    source, out = tmp_path / "in", tmp_path / "out"
    write(source / "a.txt", ARTICLE.encode())
    write(source / "b.html", f"<h1>T</h1><p>{ARTICLE}</p>".encode())
    write(source / "bad.gz", b"not gzip")
    watched_opens.clear()  # the inputs above were written by the test itself
    files = find_input_files([source], exclude=[out])
    documents, rejects, _ = process_files(files, SeenIndex())
    writes = [(p, m) for p, m in watched_opens if any(c in m for c in "wax+")]
    assert writes == []  # reading and processing write nothing anywhere
    watched_opens.clear()
    write_batch_files([*documents, *rejects], open_output(out), RunInfo.start(), 3)
    for path, mode in watched_opens:
        if any(c in mode for c in "wax+"):
            assert Path(path).resolve().is_relative_to(out.resolve()), path


def test_a_part_file_name_in_the_output_is_fixed_by_run_and_batch(tmp_path) -> None:
    run = RunInfo.start()
    write(tmp_path / "in" / "a.txt", ARTICLE.encode())
    documents, rejects, _ = process_files(find_input_files([tmp_path / "in"]), SeenIndex())
    first = write_batch_files([*documents, *rejects], open_output(tmp_path / "out"), run, 7)
    second = write_batch_files([*documents, *rejects], open_output(tmp_path / "out"), run, 7)
    assert (
        first
        == second
        == [str(tmp_path / "out" / "documents" / f"part-{run.run_id}-00007.parquet")]
    )
