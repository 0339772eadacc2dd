"""Finding and reading inputs: formats, gzip, JSON Lines, hidden files, symlinks, the output folder."""

from __future__ import annotations

import gzip
import hashlib
import os
import subprocess
import sys

import pytest

from ingest.ids import make_doc_id
from ingest.read import files
from ingest.read.files import (
    InputPathError,
    Skipped,
    decompress_gzip,
    discover_inputs,
    find_input_files,
    read_input_file,
)
from ingest.records import RawInput, Reject


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def read_all(folder, max_bytes: int = 10_000_000):
    items = []
    for file in find_input_files([folder]):
        items.extend(read_input_file(file, max_bytes))
    return items


def test_sources_are_relative_to_the_folder_and_sorted(tmp_path) -> None:
    write(tmp_path / "b.txt", b"b")
    write(tmp_path / "a" / "z.html", b"<p>z</p>")
    write(tmp_path / ".hidden.txt", b"h")
    write(tmp_path / ".git" / "x.txt", b"x")
    sources = [f.source for f in find_input_files([tmp_path])]
    assert sources == ["a/z.html", "b.txt"]


def test_a_file_given_directly_is_named_by_its_file_name(tmp_path) -> None:
    path = write(tmp_path / "deep" / "one.txt", b"x")
    assert [f.source for f in find_input_files([path])] == ["one.txt"]


def test_missing_input_is_an_error(tmp_path) -> None:
    with pytest.raises(InputPathError, match="input not found"):
        find_input_files([tmp_path / "nope"])


def test_output_folder_inside_input_is_not_read(tmp_path) -> None:
    write(tmp_path / "a.txt", b"a")
    write(tmp_path / "out" / "documents" / "x.txt", b"x")
    files = find_input_files([tmp_path], exclude=[tmp_path / "out"])
    assert [f.source for f in files] == ["a.txt"]


def test_symlink_out_of_the_folder_is_not_followed(tmp_path) -> None:
    outside = write(tmp_path / "outside" / "secret.txt", b"secret")
    inside = tmp_path / "in"
    write(inside / "a.txt", b"a")
    (inside / "link.txt").symlink_to(outside)
    (inside / "alias.txt").symlink_to(inside / "a.txt")
    (inside / "dirlink").symlink_to(tmp_path / "outside")
    assert [f.source for f in find_input_files([inside])] == ["a.txt", "alias.txt"]


def test_formats_are_detected_after_gzip(tmp_path) -> None:
    write(tmp_path / "a.txt", b"text")
    write(tmp_path / "b.html.gz", gzip.compress(b"<p>html</p>"))
    write(tmp_path / "c.jsonl", b'{"text": "one"}\n\n{"html": "<p>two</p>"}\n')
    items = read_all(tmp_path)
    assert [(i.source, i.format, i.raw) for i in items] == [
        ("a.txt", "text", b"text"),
        ("b.html.gz", "html", b"<p>html</p>"),
        ("c.jsonl#1", "jsonl", b'{"text": "one"}'),
        ("c.jsonl#3", "jsonl", b'{"html": "<p>two</p>"}'),
    ]


def test_truncated_gzip_is_a_reject_with_its_bytes(tmp_path) -> None:
    data = gzip.compress(b"hello world " * 1000)[:-20]
    write(tmp_path / "t.txt.gz", data)
    (item,) = read_all(tmp_path)
    assert isinstance(item, Reject)
    assert (item.reason, item.raw) == ("bad_gzip", data)


def test_not_gzip_at_all_is_a_reject(tmp_path) -> None:
    write(tmp_path / "t.gz", b"plain text pretending")
    (item,) = read_all(tmp_path)
    assert isinstance(item, Reject) and item.reason == "bad_gzip"


def test_gzip_bomb_is_stopped_at_the_limit(tmp_path) -> None:
    write(tmp_path / "bomb.txt.gz", gzip.compress(b"\0" * 5_000_000))
    (item,) = read_all(tmp_path, max_bytes=1_000_000)
    assert isinstance(item, Reject) and item.reason == "too_large"


def test_multi_member_gzip_is_read_whole() -> None:
    data = gzip.compress(b"one ") + gzip.compress(b"two")
    assert decompress_gzip(data, 100) == b"one two"


def test_too_large_file_is_a_reject_keeping_bytes(tmp_path) -> None:
    write(tmp_path / "big.txt", b"x" * 2000)
    (item,) = read_all(tmp_path, max_bytes=1000)
    assert isinstance(item, Reject) and item.reason == "too_large" and len(item.raw) == 2000


def test_vanished_file_is_an_unreadable_reject(tmp_path) -> None:
    path = write(tmp_path / "gone.txt", b"x")
    (file,) = find_input_files([tmp_path])
    path.unlink()
    (item,) = read_input_file(file, 1000)
    assert isinstance(item, Reject)
    assert (item.reason, item.source, item.raw) == ("unreadable_input", "gone.txt", b"")


def test_plain_file_is_read_verbatim(tmp_path) -> None:
    data = "caf\u00e9\r\n".encode("cp1252")
    write(tmp_path / "x", data)
    assert read_all(tmp_path) == [RawInput(source="x", raw=data, format="text")]


def test_an_oversized_file_keeps_a_bounded_prefix_and_the_whole_files_digest(tmp_path) -> None:
    from ingest.read.limits import RAW_PREFIX_BYTES

    size = 3 * RAW_PREFIX_BYTES + 5
    path = tmp_path / "big.txt"
    with path.open("wb") as big:
        big.write(b"head")
        big.truncate(size)  # sparse: the rest reads as zeros
    (item,) = read_all(tmp_path, max_bytes=1000)
    assert isinstance(item, Reject) and item.reason == "too_large"
    whole = path.read_bytes()
    assert item.raw == whole[:RAW_PREFIX_BYTES]
    assert item.doc_id == make_doc_id(whole)  # the id the whole input would have had
    assert f"{size} bytes is more than the 1000-byte limit" in item.detail
    assert f"raw holds only its first {RAW_PREFIX_BYTES} bytes" in item.detail
    assert hashlib.sha256(whole).hexdigest() in item.detail


def test_an_oversized_gzip_file_is_not_decompressed(tmp_path, monkeypatch) -> None:
    data = gzip.compress(bytes(range(256)) * 40, compresslevel=0)
    write(tmp_path / "big.txt.gz", data)
    monkeypatch.setattr(files, "decompress_gzip", lambda *_: pytest.fail("decompressed"))
    (item,) = read_all(tmp_path, max_bytes=1000)
    assert isinstance(item, Reject) and item.reason == "too_large"
    assert item.raw == data and item.doc_id == make_doc_id(data)
    assert f"{len(data)} bytes is more than the 1000-byte limit" in item.detail


def test_a_gzip_bomb_keeps_a_bounded_prefix_of_its_compressed_bytes(tmp_path) -> None:
    from ingest.read.limits import RAW_PREFIX_BYTES

    data = gzip.compress(os.urandom(RAW_PREFIX_BYTES) + bytes(60 * RAW_PREFIX_BYTES))
    assert RAW_PREFIX_BYTES < len(data) < 2 * RAW_PREFIX_BYTES
    write(tmp_path / "bomb.txt.gz", data)
    (item,) = read_all(tmp_path, max_bytes=2 * RAW_PREFIX_BYTES)
    assert isinstance(item, Reject) and item.reason == "too_large"
    assert item.raw == data[:RAW_PREFIX_BYTES] and item.doc_id == make_doc_id(data)
    assert hashlib.sha256(data).hexdigest() in item.detail


RSS_OF_READING = """
import resource, sys
from ingest.read.files import find_input_files, read_input_file
[file] = find_input_files([sys.argv[1]])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
[item] = read_input_file(file, 1_000_000)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(item.reason, len(item.raw), (after - before) * 1024)
"""


@pytest.mark.slow
def test_reading_a_3_gib_file_does_not_hold_it_in_memory(tmp_path) -> None:
    size = 3 * 1024**3
    with (tmp_path / "huge.txt").open("wb") as huge:
        huge.truncate(size)  # sparse: costs no disk
    result = subprocess.run(
        [sys.executable, "-c", RSS_OF_READING, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    reason, raw_bytes, growth = result.stdout.split()
    assert reason == "too_large"
    assert int(raw_bytes) <= 1024**2
    assert int(growth) < size // 30  # about 100 MB: the reading is streamed, not whole


def test_discovery_reports_a_folder_it_cannot_read(tmp_path, monkeypatch) -> None:
    write(tmp_path / "a.txt", b"a")
    write(tmp_path / "locked" / "b.txt", b"b")
    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover_inputs([tmp_path])
    assert [f.source for f in found.files] == ["a.txt"]
    assert found.unreadable_folders == [Skipped(str(tmp_path / "locked"), "Permission denied")]


def test_discovery_counts_what_is_not_a_regular_file(tmp_path) -> None:
    write(tmp_path / "a.txt", b"a")
    write(tmp_path / "outside" / "secret.txt", b"secret")
    inside = tmp_path / "in"
    write(inside / "a.txt", b"a")
    os.mkfifo(inside / "pipe")
    (inside / "loop").symlink_to("loop")
    (inside / "broken").symlink_to("nowhere")
    (inside / "null").symlink_to("/dev/null")
    (inside / "secret.txt").symlink_to(tmp_path / "outside" / "secret.txt")
    (inside / "dirlink").symlink_to(tmp_path / "outside")
    (inside / ".hidden-pipe").symlink_to("/dev/null")  # hidden: skipped by rule, not counted
    found = discover_inputs([inside])
    assert [f.source for f in found.files] == ["a.txt"]
    assert found.unreadable_folders == []
    assert found.not_regular == [
        Skipped(str(inside / "broken"), "broken link"),
        Skipped(str(inside / "dirlink"), "link to a folder"),
        Skipped(str(inside / "loop"), "symlink loop"),
        Skipped(str(inside / "null"), "link to a device"),
        Skipped(str(inside / "pipe"), "fifo"),
        Skipped(str(inside / "secret.txt"), "link out of INPUT"),
    ]


def test_a_name_that_is_not_utf8_becomes_an_escaped_source(tmp_path) -> None:
    write(tmp_path / "a.txt", b"a")
    fd = os.open(os.fsencode(tmp_path) + b"/b\xff\\.txt", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, b"b")
    os.close(fd)
    items = read_all(tmp_path)
    assert [(i.source, i.raw) for i in items] == [("a.txt", b"a"), ("b\\xff\\\\.txt", b"b")]
