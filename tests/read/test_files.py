"""Finding and reading inputs: formats, gzip, JSON Lines, hidden files, symlinks, the output folder."""

from __future__ import annotations

import gzip

import pytest

from ingest.read.files import (
    InputPathError,
    decompress_gzip,
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
