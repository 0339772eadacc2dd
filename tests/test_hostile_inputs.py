"""Hostile inputs (issue 8): whatever arrives, every input ends as exactly one document or one
reject with the right reason code and its bytes kept, and the run keeps going.

Each case builds its input in ``tmp_path`` and runs the library path the flow runs:
``find_input_files`` -> ``process_files`` (``read_input_file`` -> ``process_document``).
"""

from __future__ import annotations

import gzip
import json
import os
import pickle
import random
import resource
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from growth import GROWTH_LIMIT, SCALE, calls_made, super_linear

from ingest.config import DEFAULT_CONFIG, PipelineConfig
from ingest.output.dataset import SeenIndex
from ingest.pipeline import process_document
from ingest.read.files import InputFile, find_input_files, read_input_file
from ingest.read.html_text import html_to_text
from ingest.reasons import REASONS
from ingest.records import Document, RawInput, Reject
from ingest.run.batches import process_files

# A text that becomes a document: a headline and two paragraphs of prose.
ARTICLE = (
    "Harbour bridge reopens after repairs\n\n"
    "The harbour bridge reopened on Monday after six months of repairs to its deck and cables.\n\n"
    "Engineers said the work finished two weeks early, and traffic returned to normal by noon.\n"
)
NOBODY = 65534


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def run_folder(
    folder: Path, config: PipelineConfig = DEFAULT_CONFIG, exclude: tuple[Path, ...] = ()
) -> tuple[list[InputFile], list[Document], list[Reject]]:
    """Discover and process every input under ``folder``, as one batch of the flow does."""
    files = find_input_files([folder], exclude=exclude)
    documents, rejects, summary = process_files(files, SeenIndex(), config)
    assert summary.files == len(files)
    return files, documents, rejects


def assert_single_reject(folder: Path, name: str, reason: str, raw: bytes) -> Reject:
    """``folder/name`` is the only input, and it ends as one reject with this reason and bytes."""
    assert reason in REASONS
    files, documents, rejects = run_folder(folder)
    assert [f.source for f in files] == [name]
    assert documents == []
    assert len(rejects) == 1, rejects
    reject = rejects[0]
    assert (reject.source, reject.reason) == (name, reason), reject.detail
    assert reject.raw == raw
    assert reject.detail and "\n" not in reject.detail
    return reject


def test_the_article_used_below_is_a_document(tmp_path) -> None:
    write(tmp_path / "good.txt", ARTICLE.encode())
    _, documents, rejects = run_folder(tmp_path)
    assert rejects == []
    assert [d.source for d in documents] == ["good.txt"]


def test_empty_file(tmp_path) -> None:
    write(tmp_path / "empty.txt", b"")
    assert_single_reject(tmp_path, "empty.txt", "empty_input", b"")


def test_whitespace_only_file(tmp_path) -> None:
    data = b" \t\r\n\n   \x0b\x0c\n"
    write(tmp_path / "blank.txt", data)
    assert_single_reject(tmp_path, "blank.txt", "empty_input", data)


def test_unicode_whitespace_only_file(tmp_path) -> None:
    data = "\u3000\u00a0\u2003\n\u2028".encode()
    write(tmp_path / "blank.txt", data)
    assert_single_reject(tmp_path, "blank.txt", "empty_input", data)


def test_png_signature_and_junk(tmp_path) -> None:
    data = b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(4000)
    write(tmp_path / "picture.txt", data)  # the name says text; the bytes say PNG
    assert_single_reject(tmp_path, "picture.txt", "binary_content", data)


def test_small_real_pdf(tmp_path) -> None:
    data = (
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
        b"xref\n0 3\n0000000000 65535 f \ntrailer\n<< /Size 3 /Root 1 0 R >>\n%%EOF\n"
    )
    write(tmp_path / "report.txt", data)
    assert_single_reject(tmp_path, "report.txt", "binary_content", data)


def test_gzip_of_binary_data(tmp_path) -> None:
    binary = random.Random(2).randbytes(20_000)
    write(tmp_path / "blob.gz", gzip.compress(binary))
    # A .gz input's raw bytes are its decompressed bytes (lossless; the doc_id is theirs too).
    assert_single_reject(tmp_path, "blob.gz", "binary_content", binary)


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_random_bytes(tmp_path, seed) -> None:
    data = random.Random(seed).randbytes(8192)
    write(tmp_path / "noise.txt", data)
    assert_single_reject(tmp_path, "noise.txt", "binary_content", data)


def test_nul_bytes_inside_text(tmp_path) -> None:
    data = ARTICLE.encode().replace(b"Monday", b"Mon\x00day")
    write(tmp_path / "nul.txt", data)
    reject = assert_single_reject(tmp_path, "nul.txt", "nul_bytes", data)
    assert "offset" in reject.detail


def test_nul_bytes_inside_html_are_a_reject_too(tmp_path) -> None:
    data = f"<h1>Title</h1><p>{ARTICLE}</p>".encode().replace(b"bridge", b"bri\x00dge")
    write(tmp_path / "nul.html", data)
    assert_single_reject(tmp_path, "nul.html", "nul_bytes", data)


def test_invalid_utf8_in_the_middle_of_valid_text(tmp_path) -> None:
    text = ARTICLE.replace("repairs", "réparations café naïve à Genève, Zürich et Düsseldorf")
    data = text.encode().replace(b"Monday", b"Mon\xff\xfeday")
    write(tmp_path / "broken.txt", data)
    _, documents, rejects = run_folder(tmp_path)
    assert rejects == []
    [document] = documents
    assert document.encoding == "utf-8"
    assert "Mon\ufffd\ufffdday" in document.body
    assert "decode:replaced_invalid_utf8" in document.fixes
    assert "réparations café naïve" in document.body


def test_one_stray_byte_in_utf8_text_with_few_accents(tmp_path) -> None:
    data = ARTICLE.replace("repairs", "réparations").encode().replace(b"Monday", b"Mon\xffday")
    write(tmp_path / "broken.txt", data)
    _, documents, rejects = run_folder(tmp_path)
    assert rejects == []
    [document] = documents
    assert "réparations" in document.body
    assert document.encoding == "utf-8"


def test_utf16_without_bom(tmp_path) -> None:
    for codec in ("utf-16-le", "utf-16-be"):
        folder = tmp_path / codec
        write(folder / "wide.txt", ARTICLE.encode(codec))
        _, documents, rejects = run_folder(folder)
        assert rejects == []
        [document] = documents
        assert document.encoding == codec
        assert document.title == "Harbour bridge reopens after repairs"


def test_truncated_gzip(tmp_path) -> None:
    # Random text does not compress away, so cutting the stream in half really truncates it.
    words = [f"w{random.Random(3).randrange(10**6)}" for _ in range(5000)]
    compressed = gzip.compress(" ".join(words).encode())
    data = compressed[: len(compressed) // 2]
    write(tmp_path / "cut.txt.gz", data)
    assert_single_reject(tmp_path, "cut.txt.gz", "bad_gzip", data)


def test_gzip_missing_only_its_trailer(tmp_path) -> None:
    data = gzip.compress(ARTICLE.encode())[:-8]
    write(tmp_path / "cut.txt.gz", data)
    assert_single_reject(tmp_path, "cut.txt.gz", "bad_gzip", data)


def test_gz_name_on_plain_text(tmp_path) -> None:
    data = ARTICLE.encode()
    write(tmp_path / "not-really.txt.gz", data)
    assert_single_reject(tmp_path, "not-really.txt.gz", "bad_gzip", data)


def test_gzip_bomb_is_too_large(tmp_path) -> None:
    data = gzip.compress(b"a" * 5_000_000)
    write(tmp_path / "bomb.txt.gz", data)
    files = find_input_files([tmp_path])
    documents, rejects, _ = process_files(files, SeenIndex(), PipelineConfig(max_input_bytes=10**6))
    assert documents == []
    assert [(r.reason, r.raw) for r in rejects] == [("too_large", data)]


def test_file_over_the_size_limit_is_too_large(tmp_path) -> None:
    data = ARTICLE.encode() * 100
    write(tmp_path / "big.txt", data)
    files = find_input_files([tmp_path])
    config = PipelineConfig(max_input_bytes=len(data) - 1)
    documents, rejects, _ = process_files(files, SeenIndex(), config)
    assert documents == []
    assert [(r.source, r.reason, r.raw) for r in rejects] == [("big.txt", "too_large", data)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    """This process's resident memory now (the suite's earlier tests leave it well above zero)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def with_peak_rss(work, *args):
    """``work(*args)`` and the largest resident memory seen while it ran (MB), sampled by a
    thread every 5 ms: ``ru_maxrss`` is the process's peak over the whole suite, not this call's."""
    peak = current_rss_mb()
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(0.005):
            peak = max(peak, current_rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = work(*args)
    finally:
        done.set()
        sampler.join()
    return result, max(peak, current_rss_mb())


def call_growth(run, small: Path, large: Path) -> tuple[float, object]:
    """Function calls on ``large`` over those on ``small`` (a count of steps, the same on any
    machine), and what ``run(large)`` returned. ``small`` is run once first, uncounted, so the
    one-time loads (models, caches) count in neither."""
    run(small)
    small_calls, _ = calls_made(run, small)
    large_calls, result = calls_made(run, large)
    return large_calls / small_calls, result


@pytest.mark.slow
def test_200_mb_single_line_file(tmp_path) -> None:
    """Measured on the development machine: about 37 s and 880 MB peak RSS (4.4x the input).

    Most of the time goes to regex passes over the one long line (``sub``/``search``), not ftfy.
    """
    chunk = b"word " * 200  # 1000 bytes, no newline anywhere
    small, large = tmp_path / "small", tmp_path / "large"
    for folder, chunks in ((small, 200_000 // SCALE), (large, 200_000)):
        folder.mkdir()
        with (folder / "one-line.txt").open("wb") as out:
            for _ in range(chunks):
                out.write(chunk)
    size = (large / "one-line.txt").stat().st_size
    assert size == 200_000_000
    # The peak is the process's over the whole suite, so the bound is on what this run adds to
    # the memory the process held when it started.
    before = current_rss_mb()
    growth, (_, documents, rejects) = call_growth(run_folder, small, large)
    assert len(documents) + len(rejects) == 1
    assert rejects == []  # one line of words is a (silly) document, under the 256 MB limit
    assert documents[0].input_bytes == size
    peak = peak_rss_mb()
    del documents, rejects
    sys.stderr.write(f"200 MB one line: {growth:.2f}x the calls of 20 MB, peak {peak:.0f} MB\n")
    # Calls, 20 MB against 200 MB: linear work grows about 10x, quadratic about 100x.
    assert growth < GROWTH_LIMIT
    assert peak < before + 8 * size / 1e6


@pytest.mark.slow
def test_a_million_tiny_lines(tmp_path) -> None:
    """Measured: about 13 s, linear in the number of lines (per-line rule checks in structure)."""
    small, large = tmp_path / "small", tmp_path / "large"
    million = tmp_path / "million"
    write(million / "lines.txt", b"a\n" * 1_000_000)
    _, documents, rejects = run_folder(million)
    assert len(documents) + len(rejects) == 1
    if rejects:
        assert rejects[0].reason == "empty_after_cleaning"
        assert rejects[0].raw == b"a\n" * 1_000_000
    # Calls, 50,000 lines against 500,000 (counting every call of a million would take
    # minutes): linear ~10x, quadratic ~100x. 500,000 lines are past every bounded search.
    write(small / "lines.txt", b"a\n" * (500_000 // SCALE))
    write(large / "lines.txt", b"a\n" * 500_000)
    growth, _ = call_growth(run_folder, small, large)
    sys.stderr.write(f"500,000 tiny lines: {growth:.1f}x the calls of 50,000\n")
    assert growth < GROWTH_LIMIT


def test_jsonl_with_a_broken_line_among_good_ones(tmp_path) -> None:
    lines = [
        json.dumps({"text": ARTICLE}).encode(),
        b'{"text": "unterminated',
        b"",  # a blank line is not an input
        b'{"html": "<h1>Second story</h1><p>The second story has a paragraph of its own.</p>'
        b'<p>And a second paragraph with more words.</p>"}',
        b"[1, 2, 3]",
        b'{"title": "no text field"}',
        b"\xff\xfe not json",
    ]
    data = b"\n".join(lines) + b"\n"
    write(tmp_path / "feed.jsonl", data)
    _, documents, rejects = run_folder(tmp_path)
    assert [d.source for d in documents] == ["feed.jsonl#1", "feed.jsonl#4"]
    assert [(r.source, r.reason, r.raw) for r in rejects] == [
        ("feed.jsonl#2", "invalid_json_line", lines[1]),
        ("feed.jsonl#5", "invalid_json_line", lines[4]),
        ("feed.jsonl#6", "invalid_json_line", lines[5]),
        ("feed.jsonl#7", "invalid_json_line", lines[6]),
    ]
    non_blank_lines = sum(1 for line in lines if line.strip())
    assert len(documents) + len(rejects) == non_blank_lines


def test_jsonl_with_crlf_and_deeply_nested_json(tmp_path) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    data = b'{"text": "x"}\r\n' + deep + b"\r\n"
    write(tmp_path / "feed.jsonl", data)
    _, documents, rejects = run_folder(tmp_path)
    assert len(documents) + len(rejects) == 2
    reasons = {r.source: (r.reason, r.raw) for r in rejects}
    assert reasons["feed.jsonl#2"] == ("invalid_json_line", deep)


@pytest.mark.parametrize("tag", ["div", "b", "span", "table"])
def test_html_nested_10000_levels(tag) -> None:
    html = f"<{tag}>" * 10_000 + "<p>Deep text here.</p>" + f"</{tag}>" * 10_000
    limit = sys.getrecursionlimit()
    assert 10_000 > limit  # a recursive walk would fail here
    assert html_to_text(html).strip() == "Deep text here."


def test_html_nested_10000_levels_never_closed(tmp_path) -> None:
    """html.parser's tree builder keeps an explicit stack: it does not recurse either."""
    data = (
        "<html><body>" + "<div><span>" * 10_000 + "<h1>Deep headline</h1>"
        "<p>The first paragraph of a deeply nested page, with words.</p>"
        "<p>The second paragraph of that page, with more words.</p>"
    ).encode()
    write(tmp_path / "deep.html", data)
    _, documents, rejects = run_folder(tmp_path)
    assert rejects == []
    [document] = documents
    assert document.title == "Deep headline"


def test_file_that_vanishes_between_discovery_and_reading(tmp_path) -> None:
    path = write(tmp_path / "gone.txt", ARTICLE.encode())
    write(tmp_path / "stays.txt", ARTICLE.encode().replace(b"Monday", b"Tuesday"))
    files = find_input_files([tmp_path])
    path.unlink()
    documents, rejects, _ = process_files(files, SeenIndex())
    assert [d.source for d in documents] == ["stays.txt"]
    assert [(r.source, r.reason, r.raw) for r in rejects] == [("gone.txt", "unreadable_input", b"")]


def test_file_replaced_by_a_folder_between_discovery_and_reading(tmp_path) -> None:
    path = write(tmp_path / "turned.txt", ARTICLE.encode())
    files = find_input_files([tmp_path])
    path.unlink()
    path.mkdir()
    documents, rejects = process_files(files, SeenIndex())[:2]
    assert documents == []
    assert [(r.source, r.reason, r.raw) for r in rejects] == [
        ("turned.txt", "unreadable_input", b"")
    ]


def read_as_nobody(file: InputFile) -> list[RawInput | Reject]:
    """Run ``read_input_file`` in a child process that has dropped root to ``nobody``."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            items = list(read_input_file(file, DEFAULT_CONFIG.max_input_bytes))
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(items, out)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as received:
        payload = received.read()
    os.waitpid(pid, 0)
    assert payload, "the child process failed before reporting"
    result: list[RawInput | Reject] = pickle.loads(payload)
    return result


def test_file_that_loses_read_permission_between_discovery_and_reading() -> None:
    # Root reads a mode-000 file anyway, so as root the read runs in a child that drops to
    # nobody; the folder is made outside pytest's tmp_path (whose parents are 0700 root).
    folder = Path(tempfile.mkdtemp(prefix="ingest-perm-"))
    try:
        folder.chmod(0o755)
        path = write(folder / "locked.txt", ARTICLE.encode())
        [file] = find_input_files([folder])
        path.chmod(0o000)
        if os.geteuid() == 0:
            items = read_as_nobody(file)
        else:
            items = list(read_input_file(file, DEFAULT_CONFIG.max_input_bytes))
        assert len(items) == 1
        [reject] = items
        assert isinstance(reject, Reject)
        assert (reject.source, reject.reason, reject.raw) == ("locked.txt", "unreadable_input", b"")
        assert "ermission" in reject.detail
    finally:
        (folder / "locked.txt").unlink(missing_ok=True)
        folder.rmdir()


def test_symlink_loop_does_not_stop_discovery(tmp_path) -> None:
    """A symlink loop holds no bytes: like a broken link it is not an input (it was a crash)."""
    write(tmp_path / "good.txt", ARTICLE.encode())
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    (tmp_path / "self").symlink_to("self")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to("..")  # a folder link back up: not entered
    files, documents, rejects = run_folder(tmp_path)
    assert [f.source for f in files] == ["good.txt"]
    assert [d.source for d in documents] == ["good.txt"]
    assert rejects == []


def test_output_inside_an_input_folder_is_not_read(tmp_path) -> None:
    source = tmp_path / "in"
    write(source / "good.txt", ARTICLE.encode())
    out = source / "out"
    write(out / "documents" / "part-x-00000.parquet", b"PAR1 not really")
    write(out / "rejects" / "notes.txt", ARTICLE.encode())
    files, documents, rejects = run_folder(source, exclude=(out,))
    assert [f.source for f in files] == ["good.txt"]
    assert len(documents) == 1
    assert rejects == []


def test_output_inside_an_input_folder_given_by_another_path(tmp_path) -> None:
    source = tmp_path / "in"
    write(source / "good.txt", ARTICLE.encode())
    write(source / "out" / "documents" / "leftover.txt", ARTICLE.encode())
    (tmp_path / "link-to-in").symlink_to(source)
    files = find_input_files([source], exclude=[tmp_path / "link-to-in" / "out"])
    assert [f.source for f in files] == ["good.txt"]


def test_input_inside_the_output_is_refused_by_the_cli(tmp_path, capsys) -> None:
    from ingest.cli import main

    out = tmp_path / "out"
    write(out / "old" / "a.txt", ARTICLE.encode())
    with pytest.raises(SystemExit) as exited:
        main(["run", str(out / "old"), "--output", str(out)])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.err == (
        f"ingest: error: input {out / 'old'} lies inside the output folder {out}\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["old"]  # nothing written


def test_output_equal_to_the_input_is_refused_by_the_cli(tmp_path, capsys) -> None:
    from ingest.cli import main

    write(tmp_path / "a.txt", ARTICLE.encode())
    with pytest.raises(SystemExit) as exited:
        main(["run", str(tmp_path), "--output", str(tmp_path)])
    assert exited.value.code == 2
    assert "lies inside the output folder" in capsys.readouterr().err


def test_one_folder_of_everything_keeps_going_and_accounts_for_every_input(tmp_path) -> None:
    rng = random.Random(8)
    expected = {
        "a-good.txt": None,
        "empty.txt": "empty_input",
        "blank.txt": "empty_input",
        "png.txt": "binary_content",
        "noise.bin": "binary_content",
        "nul.txt": "nul_bytes",
        "cut.txt.gz": "bad_gzip",
        "fake.gz": "bad_gzip",
        "feed.jsonl#1": "invalid_json_line",
        "feed.jsonl#2": "invalid_json_line",
        "z-good.html": None,
    }
    write(tmp_path / "a-good.txt", ARTICLE.encode())
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.txt", b"\n \n")
    write(tmp_path / "png.txt", b"\x89PNG\r\n\x1a\n" + rng.randbytes(100))
    write(tmp_path / "noise.bin", rng.randbytes(5000))
    write(tmp_path / "nul.txt", b"text\x00text")
    write(tmp_path / "cut.txt.gz", gzip.compress(rng.randbytes(3000))[:1000])
    write(tmp_path / "fake.gz", b"hello")
    write(tmp_path / "feed.jsonl", b"{\n[\n")
    write(tmp_path / "z-good.html", f"<h1>Title</h1><p>{ARTICLE}</p><p>More.</p>".encode())
    (tmp_path / "loop").symlink_to("loop")
    _, documents, rejects = run_folder(tmp_path)
    got = {d.source: None for d in documents} | {r.source: r.reason for r in rejects}
    assert got == expected
    assert len(documents) + len(rejects) == len(expected)
    for reject in rejects:
        on_disk = (tmp_path / reject.source.split("#")[0]).read_bytes()
        if reject.source.endswith(".jsonl#1"):
            assert reject.raw == b"{"
        elif reject.source.endswith(".jsonl#2"):
            assert reject.raw == b"["
        else:
            assert reject.raw == on_disk


def test_process_document_on_every_hostile_raw_never_raises() -> None:
    rng = random.Random(9)
    raws = [b"", b"\x00", b"\xff" * 10, rng.randbytes(1000), b"<" * 10_000, b"\n" * 10_000]
    for data in raws:
        for fmt in ("text", "html", "jsonl"):
            result = process_document(RawInput("x", data, fmt))
            assert isinstance(result, Document | Reject)
            if isinstance(result, Reject):
                assert result.raw == data
                assert result.reason in REASONS
                assert result.reason != "internal_error", result.detail


# The HTML reader (ingest.read.html): deep and huge pages stay bounded, none is lost.


def html_work(html: str) -> object:
    return process_document(RawInput("page.html", html.encode(), "html"))


def nested_page(levels: int) -> str:
    return (
        "<html><body>" + "<div>" * levels + "<h1>Deep headline</h1>"
        "<p>The first paragraph of a deeply nested page, with words enough for an article.</p>"
        + "</div>" * levels
        + "<p>A paragraph after the nesting, which must not be lost.</p>"
    )


@pytest.mark.parametrize("levels", [900, 100_000])
def test_html_reader_keeps_text_of_deeply_nested_pages(levels) -> None:
    """Below the reader's depth bound the tree is read; above it the page is read as flat
    text: either way the text at the bottom and the text after it are in the document."""
    document = html_work(nested_page(levels))
    assert isinstance(document, Document)
    assert "deeply nested page" in document.body
    assert "must not be lost" in document.body


def test_html_reader_grows_linearly_with_depth_and_size() -> None:
    def page_of(paragraphs: int) -> str:
        text = "<p>The harbour wall was rebuilt in stone, and the boats came back in spring.</p>"
        return "<html><body><nav><a>Home</a></nav><article><h1>Wall</h1>" + text * paragraphs

    def unclosed(levels: int) -> str:
        return "<html><body>" + "<div><b>" * levels + "<p>Deep text of the page.</p>"

    pairs = [
        ("paragraphs", page_of(300), page_of(300 * SCALE)),
        ("nested divs", nested_page(10_000), nested_page(10_000 * SCALE)),
        ("unclosed div and b", unclosed(5_000), unclosed(5_000 * SCALE)),
    ]
    assert super_linear(html_work, pairs) == []


def test_html_that_is_not_html_is_still_a_document_or_a_reject() -> None:
    for data in (b"just words, no tags at all, in a file named .html", b"<<<>>></p></div>", b""):
        result = html_work(data.decode())
        assert isinstance(result, Document | Reject)
        if isinstance(result, Reject):
            assert result.raw == data


@pytest.mark.slow
def test_a_5_mb_html_page_stays_bounded_in_memory() -> None:
    """Above ``MAIN_CONTENT_MAX_CHARS`` trafilatura is not asked (it holds ~35x the page): the
    page is parsed and walked, its furniture removed by markup, at about 10x the page here."""
    from ingest.read.html import MAIN_CONTENT_MAX_CHARS

    html_work(nested_page(3))  # the models load once, before the measurement
    text = "<p>The harbour wall was rebuilt in stone, and the boats came back in spring {}.</p>"
    page = "<html><body><nav><a>Home</a></nav><article><h1>Wall</h1>" + "".join(
        text.format(i) for i in range(55_000)
    )
    assert len(page) > MAIN_CONTENT_MAX_CHARS
    before = current_rss_mb()
    document, peak = with_peak_rss(html_work, page)
    assert isinstance(document, Document)
    assert document.paragraph_count == 55_000
    assert [(r.text, r.rule) for r in document.removed] == [("Home", "html_navigation")]
    size_mb = len(page) / 1e6
    sys.stderr.write(f"{size_mb:.0f} MB HTML page: peak RSS {peak - before:.0f} MB over before\n")
    assert peak < before + 20 * size_mb
