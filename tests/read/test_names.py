"""Input names as sources: any name the file system gives becomes a valid string, reversibly."""

from __future__ import annotations

import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.read.names import source_name, source_path_bytes


@given(st.binary())
def test_every_byte_string_round_trips(raw: bytes) -> None:
    name = source_name(os.fsdecode(raw))
    name.encode("utf-8")  # a valid string: Parquet, JSON and the terminal all take it
    assert source_path_bytes(name) == raw


@given(st.text().filter(lambda t: "\\" not in t).map(lambda t: t.encode("utf-8", "replace")))
def test_a_name_in_valid_utf8_without_backslashes_is_unchanged(raw: bytes) -> None:
    assert source_name(os.fsdecode(raw)) == raw.decode("utf-8")


def test_undecodable_bytes_and_backslashes_are_escaped() -> None:
    assert source_name(os.fsdecode(b"b\xff.txt")) == "b\\xff.txt"
    assert source_name("a\\xff.txt") == "a\\\\xff.txt"
    assert source_path_bytes("a\\\\xff.txt") == b"a\\xff.txt"
    assert source_path_bytes("caf\\xc3.txt") == b"caf\xc3.txt"


@pytest.mark.parametrize("source", ["a\\", "a\\x41", "a\\n", "a\\xzz"])
def test_a_backslash_that_source_name_cannot_write_is_an_error(source: str) -> None:
    with pytest.raises(ValueError, match="not a source name"):
        source_path_bytes(source)
