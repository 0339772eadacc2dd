"""WARC and WET files read record by record (ingest.read.warc), on files the tests write."""

from __future__ import annotations

import gzip
import os
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest
from warcs import DATE, PAGE, record, request, response, revisit, warc_bytes, write_warc

from ingest.config import PipelineConfig
from ingest.ids import make_doc_id
from ingest.output.dataset import SeenIndex
from ingest.output.duplicates import read_raw_inputs
from ingest.read.files import find_input_files, read_input_file
from ingest.read.limits import RAW_PREFIX_BYTES
from ingest.read.warc import SkippedRecord
from ingest.reasons import REASONS, SKIP_REASONS
from ingest.records import Document, RawInput, Reject
from ingest.run.batches import process_files

FETCHED = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)


def read_items(folder: Path, max_bytes: int = 10**6) -> list:
    (file,) = find_input_files([folder])
    return list(read_input_file(file, max_bytes))


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_a_response_record_is_an_html_input_named_by_its_offset(tmp_path, name) -> None:
    offsets = write_warc(
        tmp_path / name, [response("http://example.com/a", PAGE)], gzip=name.endswith(".gz")
    )
    skipped, raw = read_items(tmp_path)
    assert skipped == SkippedRecord(f"{name}#0", "warc_warcinfo")
    assert isinstance(raw, RawInput)
    assert (raw.source, raw.format, raw.raw) == (f"{name}#{offsets[0]}", "html", PAGE)
    assert (raw.url, raw.fetched_at, raw.doc_id) == (
        "http://example.com/a",
        FETCHED,
        make_doc_id(PAGE),
    )
    data = (tmp_path / name).read_bytes()[offsets[0] :]
    assert data.startswith(b"\x1f\x8b" if name.endswith(".gz") else b"WARC/1")


def test_a_page_in_a_warc_is_the_document_of_the_same_html_file(tmp_path) -> None:
    write_warc(tmp_path / "w" / "crawl.warc.gz", [response("http://example.com/a", PAGE)])
    (tmp_path / "h").mkdir()
    (tmp_path / "h" / "page.html").write_bytes(PAGE)
    (from_warc,), _, _ = process_files(find_input_files([tmp_path / "w"]), SeenIndex())
    (from_file,), _, _ = process_files(find_input_files([tmp_path / "h"]), SeenIndex())
    assert from_warc.title == "Harbour bridge reopens after repairs"
    assert (from_warc.url, from_warc.fetched_at) == ("http://example.com/a", FETCHED)
    assert (from_file.url, from_file.fetched_at) == (None, None)
    same = ("source", "url", "fetched_at", "input_root")
    assert {k: v for k, v in vars_of(from_warc).items() if k not in same} == {
        k: v for k, v in vars_of(from_file).items() if k not in same
    }


def vars_of(doc: Document) -> dict:
    return {name: getattr(doc, name) for name in doc.__dataclass_fields__}


def test_records_that_are_no_page_are_counted_skips(tmp_path) -> None:
    url = "http://example.com/a"
    write_warc(
        tmp_path / "crawl.warc.gz",
        [
            request(url),
            response(url, PAGE),
            record("metadata", url, b"outlink: http://example.com/b\n", "application/warc-fields"),
            revisit(url),
            record("resource", "metadata://wget.log", b"wget log\n", "text/plain"),
        ],
    )
    documents, rejects, summary = process_files(find_input_files([tmp_path]), SeenIndex())
    assert [d.url for d in documents] == [url]
    assert rejects == []
    skipped = {
        "warc_warcinfo": 1,
        "warc_request": 1,
        "warc_metadata": 1,
        "warc_revisit": 1,
        "warc_resource": 1,
    }
    assert summary.to_dict()["skipped_records_by_reason"] == skipped
    assert summary.to_dict()["skipped_records"] == 5
    assert set(skipped) <= set(SKIP_REASONS)
    assert (summary.files, summary.inputs) == (1, 1)  # skipped records are not inputs


def test_a_non_html_response_is_a_reject_with_its_payload(tmp_path) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(64)
    offsets = write_warc(
        tmp_path / "crawl.warc.gz",
        [
            response("http://example.com/logo.png", png, "image/png"),
            response("http://example.com/a", PAGE),
        ],
    )
    documents, rejects, _ = process_files(find_input_files([tmp_path]), SeenIndex())
    assert [d.source for d in documents] == [f"crawl.warc.gz#{offsets[1]}"]
    (reject,) = rejects
    assert (reject.source, reject.reason, reject.raw) == (
        f"crawl.warc.gz#{offsets[0]}",
        "non_html_response",
        png,
    )
    assert (reject.url, reject.fetched_at, reject.doc_id) == (
        "http://example.com/logo.png",
        FETCHED,
        make_doc_id(png),
    )
    assert "image/png" in reject.detail


def test_plain_text_responses_and_redirects(tmp_path) -> None:
    text = b"Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after six months of work.\n"
    write_warc(
        tmp_path / "crawl.warc",
        [
            response("http://example.com/a.txt", text, "text/plain; charset=utf-8"),
            response(
                "http://example.com/old", b"<a href=/new>moved</a>", status="301 Moved Permanently"
            ),
        ],
        gzip=False,
    )
    _, raw, moved = read_items(tmp_path)
    assert (raw.format, raw.raw) == ("text", text)
    assert (moved.reason, moved.url) == ("unsuccessful_status", "http://example.com/old")
    assert "301" in moved.detail and moved.raw == b"<a href=/new>moved</a>"


def test_a_record_the_crawler_truncated_is_a_reject(tmp_path) -> None:
    write_warc(
        tmp_path / "crawl.warc.gz",
        [response("http://example.com/a", PAGE, warc_headers={"WARC-Truncated": "length"})],
    )
    _, reject = read_items(tmp_path)
    assert (reject.reason, reject.raw, reject.doc_id) == (
        "truncated_payload",
        PAGE,
        make_doc_id(PAGE),
    )
    assert "WARC-Truncated: length" in reject.detail


@pytest.mark.parametrize("cut", [20, 60, 150])
def test_a_truncated_gzip_member_at_the_end_keeps_the_records_before_it(tmp_path, cut) -> None:
    pages = [
        response(f"http://example.com/{n}", PAGE.replace(b"Monday", f"day {n}".encode()))
        for n in range(3)
    ]
    data, offsets = warc_bytes(pages)
    (tmp_path / "crawl.warc.gz").write_bytes(data[:-cut])
    documents, rejects, _ = process_files(find_input_files([tmp_path]), SeenIndex())
    assert [d.source for d in documents] == [f"crawl.warc.gz#{o}" for o in offsets[:2]]
    (reject,) = rejects
    assert (reject.source, reject.reason) == (f"crawl.warc.gz#{offsets[2]}", "truncated_record")
    assert reject.raw == data[offsets[2] : -cut]  # the record's bytes as stored
    assert reject.url == "http://example.com/2"
    assert reject.doc_id == make_doc_id(reject.raw)


def test_a_last_gzip_member_missing_only_its_trailer_is_read_whole(tmp_path) -> None:
    data, offsets = warc_bytes([response("http://example.com/a", PAGE)])
    (tmp_path / "crawl.warc.gz").write_bytes(data[:-8])  # CRC and size: the record is all there
    _, raw = read_items(tmp_path)
    assert (raw.source, raw.raw) == (f"crawl.warc.gz#{offsets[0]}", PAGE)


@pytest.mark.parametrize("cut", [100, 500])  # inside the second record's headers, its payload
def test_an_uncompressed_warc_cut_inside_a_record(tmp_path, cut) -> None:
    data, offsets = warc_bytes(
        [response("http://example.com/a", PAGE), response("http://example.com/b", PAGE + b" ")],
        gzip=False,
    )
    (tmp_path / "crawl.warc").write_bytes(data[: offsets[1] + cut])
    _, first, truncated = read_items(tmp_path)
    assert first.raw == PAGE
    assert (truncated.source, truncated.reason) == (f"crawl.warc#{offsets[1]}", "truncated_record")
    assert truncated.raw == data[offsets[1] : offsets[1] + cut]


def test_a_page_in_a_legacy_charset(tmp_path) -> None:
    page = (
        "<html><head><meta charset='windows-1252'></head><body><h1>Café prices rise again</h1>"
        "<p>Coffee at the café rose again, the owners said on Tuesday, citing costs.</p>"
        "<p>Their crème brûlée stays the same price, for now, they added with a smile.</p></body></html>"
    ).encode("cp1252")
    write_warc(
        tmp_path / "crawl.warc.gz",
        [response("http://example.fr/", page, "text/html; charset=windows-1252")],
    )
    (document,), rejects, _ = process_files(find_input_files([tmp_path]), SeenIndex())
    assert rejects == []
    assert document.encoding == "cp1252"
    assert "crème brûlée" in document.body
    assert document.doc_id == make_doc_id(page)


def test_a_gzip_content_encoded_payload_is_decoded(tmp_path) -> None:
    write_warc(
        tmp_path / "crawl.warc.gz",
        [
            response(
                "http://example.com/a",
                gzip.compress(PAGE),
                http_headers=[("Content-Encoding", "gzip")],
            )
        ],
    )
    _, raw = read_items(tmp_path)
    assert raw.raw == PAGE


def test_wet_conversion_records_are_text_inputs(tmp_path) -> None:
    text = b"Harbour bridge reopens\n\nThe harbour bridge reopened on Monday after months of repairs.\n"
    offsets = write_warc(
        tmp_path / "CC-MAIN-1.warc.wet.gz",
        [
            record(
                "conversion", "http://example.com/a", text, "text/plain", "2024-05-06T07:08:09.5Z"
            )
        ],
    )
    documents, rejects, summary = process_files(find_input_files([tmp_path]), SeenIndex())
    assert rejects == []
    (document,) = documents
    assert document.source == f"CC-MAIN-1.warc.wet.gz#{offsets[0]}"
    assert document.url == "http://example.com/a"
    assert document.fetched_at == datetime(2024, 5, 6, 7, 8, 9, 500000, tzinfo=UTC)
    assert document.body.startswith("The harbour bridge")
    assert summary.to_dict()["skipped_records_by_reason"] == {"warc_warcinfo": 1}


def test_a_file_that_is_not_warc_is_one_bad_warc_reject_with_its_bytes(tmp_path) -> None:
    data = b"this is not a WARC file\n" * 100
    (tmp_path / "notes.warc").write_bytes(data)
    (reject,) = read_items(tmp_path)
    assert (reject.source, reject.reason, reject.raw) == ("notes.warc#0", "bad_warc", data)
    assert reject.doc_id == make_doc_id(data) and "\n" not in reject.detail


def test_garbage_after_good_records_keeps_them(tmp_path) -> None:
    data, _ = warc_bytes([response("http://example.com/a", PAGE)], gzip=False)
    (tmp_path / "crawl.warc").write_bytes(data + b"garbage that is no record\r\n" * 3)
    _, page, broken = read_items(tmp_path)
    assert page.raw == PAGE
    assert (broken.reason, broken.source) == ("bad_warc", f"crawl.warc#{len(data)}")
    assert broken.raw == b"garbage that is no record\r\n" * 3


def test_a_record_over_the_size_limit_is_too_large_and_the_file_is_not(tmp_path) -> None:
    big = PAGE + b"<p>" + b"word " * 5000 + b"</p>"
    offsets = write_warc(
        tmp_path / "crawl.warc.gz",
        [response("http://example.com/big", big), response("http://example.com/a", PAGE)],
    )
    limit = len(big) - 10
    assert (tmp_path / "crawl.warc.gz").stat().st_size < limit  # only the record is too large
    _, reject, raw = read_items(tmp_path, max_bytes=limit)
    assert (reject.source, reject.reason, reject.url) == (
        f"crawl.warc.gz#{offsets[0]}",
        "too_large",
        "http://example.com/big",
    )
    assert reject.raw == big and reject.doc_id == make_doc_id(big)
    assert raw.raw == PAGE
    small_limit = PipelineConfig(max_input_bytes=len(PAGE))  # the whole file is larger: still read
    assert (tmp_path / "crawl.warc.gz").stat().st_size > small_limit.max_input_bytes
    _, rejects, _ = process_files(find_input_files([tmp_path]), SeenIndex(), small_limit)
    assert [r.reason for r in rejects] == ["too_large"]


def test_a_too_large_record_keeps_a_bounded_prefix(tmp_path) -> None:
    big = b"<p>" + os.urandom(RAW_PREFIX_BYTES).hex().encode() + b"</p>"
    write_warc(tmp_path / "crawl.warc.gz", [response("http://example.com/big", big)])
    _, reject = read_items(tmp_path, max_bytes=RAW_PREFIX_BYTES)
    assert reject.raw == big[:RAW_PREFIX_BYTES] and reject.doc_id == make_doc_id(big)
    assert "the whole record's SHA-256" in reject.detail


def test_the_same_page_twice_is_a_duplicate_with_its_own_url(tmp_path) -> None:
    write_warc(
        tmp_path / "crawl.warc.gz",
        [response("http://example.com/a", PAGE), response("http://example.com/b", PAGE)],
    )
    documents, rejects, _ = process_files(find_input_files([tmp_path]), SeenIndex())
    (reject,) = rejects
    assert (reject.reason, reject.duplicate_of, reject.url) == (
        "duplicate",
        documents[0].doc_id,
        "http://example.com/b",
    )


def test_a_non_utf8_file_name_is_escaped_in_the_source(tmp_path) -> None:
    name = os.fsdecode(b"caf\xe9.warc.gz")
    write_warc(tmp_path / name, [response("http://example.com/a", PAGE)])
    _, raw = read_items(tmp_path)
    assert raw.source.startswith("caf\\xe9.warc.gz#")


def test_the_dedupe_step_finds_warc_records_again(tmp_path) -> None:
    offsets = write_warc(
        tmp_path / "crawl.warc.gz",
        [response("http://example.com/a", PAGE), response("http://example.com/b", PAGE + b"\n")],
    )
    files = find_input_files([tmp_path])
    wanted = f"crawl.warc.gz#{offsets[1]}"
    (found,) = read_raw_inputs(files, {wanted}, 10**6)
    assert (found.source, found.url, found.raw) == (wanted, "http://example.com/b", PAGE + b"\n")


def test_every_warc_reason_is_documented() -> None:
    for reason in (
        "non_html_response",
        "unsuccessful_status",
        "truncated_payload",
        "truncated_record",
        "bad_warc",
    ):
        assert reason in REASONS


def test_reading_a_large_warc_holds_one_record_at_a_time(tmp_path) -> None:
    """24 MB of pages (14 MB gzipped), read and dropped one by one: allocations stay under 3 MB."""
    pages = [
        response(f"http://example.com/{n}", PAGE + os.urandom(20_000).hex().encode())
        for n in range(600)
    ]
    write_warc(tmp_path / "big.warc.gz", pages)
    assert (tmp_path / "big.warc.gz").stat().st_size > 12_000_000
    (file,) = find_input_files([tmp_path])
    tracemalloc.start()
    try:
        count = sum(1 for item in read_input_file(file, 10**6) if isinstance(item, RawInput))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 600
    assert peak < 3_000_000, peak


def test_a_reject_names_the_record_date_even_when_unreadable(tmp_path) -> None:
    write_warc(
        tmp_path / "crawl.warc.gz", [response("http://example.com/a", PAGE, date="last Tuesday")]
    )
    _, raw = read_items(tmp_path)
    assert (raw.url, raw.fetched_at) == ("http://example.com/a", None)


def test_records_keep_the_default_date_format() -> None:
    assert DATE.endswith("Z")
    assert isinstance(Reject.of(RawInput("a", b"x", url="u"), "bad_warc", "d").url, str)


def test_a_corrupt_gzip_member_in_the_middle_keeps_everything_from_it_in_one_reject(
    tmp_path,
) -> None:
    pages = [
        response(f"http://example.com/{n}", PAGE.replace(b"Monday", f"day {n}".encode()))
        for n in range(3)
    ]
    data, offsets = warc_bytes(pages)
    broken = bytearray(data)
    for at in range(offsets[1] + 40, offsets[1] + 50):
        broken[at] ^= 0xFF
    (tmp_path / "crawl.warc.gz").write_bytes(bytes(broken))
    _, first, reject = read_items(tmp_path)
    assert first.source == f"crawl.warc.gz#{offsets[0]}"
    assert (reject.source, reject.reason) == (f"crawl.warc.gz#{offsets[1]}", "bad_warc")
    assert reject.raw == bytes(broken[offsets[1] :])  # the rest of the file: nothing is lost


def test_a_read_error_midway_keeps_the_records_read_and_names_the_file(
    tmp_path, monkeypatch
) -> None:
    import errno

    import ingest.read.files

    def fails_after_one(path, source, max_bytes):
        yield RawInput(f"{source}#0", PAGE, "html")
        raise OSError(errno.EIO, "Input/output error")

    write_warc(tmp_path / "crawl.warc.gz", [response("http://example.com/a", PAGE)])
    monkeypatch.setattr(ingest.read.files, "read_warc_file", fails_after_one)
    page, reject = read_items(tmp_path)
    assert page.source == "crawl.warc.gz#0"
    assert (reject.source, reject.reason, reject.doc_id) == (
        "crawl.warc.gz",
        "unreadable_input",
        None,
    )
    assert "Input/output error" in reject.detail
