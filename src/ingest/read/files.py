"""Find input files and read them into raw inputs: plain text, HTML, JSON Lines, each maybe gzipped.

Reading is the only I/O before writing. Anything that goes wrong with one input becomes a
``Reject`` carrying whatever bytes could be read, never an exception that stops a batch.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.ids import make_doc_id
from ingest.records import RawInput, Reject

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
GZIP_SUFFIX = ".gz"


@dataclass(frozen=True, slots=True)
class InputFile:
    """A file found by discovery: where it is, how it is named in the output, its size and mtime."""

    path: str
    source: str
    size: int
    mtime_ns: int


class InputPathError(ValueError):
    """An INPUT argument that cannot be used at all (the run cannot start)."""


def find_input_files(
    inputs: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()
) -> list[InputFile]:
    """Every input file under the given files and folders, in a stable order.

    Folders are read recursively. Hidden files and folders (names starting with ``.``) are
    skipped, symlinked folders are not entered, and a symlinked file counts only when its target
    lies inside the folder given. Folders in ``exclude`` (the output) are never entered.
    """
    excluded = {Path(p).resolve() for p in exclude}
    found: list[InputFile] = []
    for given in inputs:
        root = Path(given)
        if not root.exists():
            msg = f"input not found: {given}"
            raise InputPathError(msg)
        if root.is_file():
            found.append(_describe(root, root.name))
            continue
        if not root.is_dir():
            msg = f"input is neither a file nor a folder: {given}"
            raise InputPathError(msg)
        found.extend(sorted(_walk_folder(root, excluded), key=lambda f: f.source))
    return drop_repeated_paths(found)


def drop_repeated_paths(files: Iterable[InputFile]) -> list[InputFile]:
    """The files without repeats of one path (given twice, or as a file and inside its folder).

    A symlink to another file of the folder stays: it is an input of its own (a duplicate).
    """
    kept: list[InputFile] = []
    seen: set[str] = set()
    for file in files:
        real = os.path.abspath(file.path)  # noqa: PTH100 - resolve() would follow symlinks
        if real not in seen:
            seen.add(real)
            kept.append(file)
    return kept


def _walk_folder(root: Path, excluded: set[Path]) -> Iterator[InputFile]:
    real_root = root.resolve()
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".") and (Path(folder) / d).resolve() not in excluded
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            # is_file() first: it is False for a symlink loop, on which resolve() raises.
            if not path.is_file():  # sockets, fifos, broken links, symlink loops
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                continue
            yield _describe(path, path.relative_to(root).as_posix())


def _describe(path: Path, source: str) -> InputFile:
    stat = path.stat()
    return InputFile(path=str(path), source=source, size=stat.st_size, mtime_ns=stat.st_mtime_ns)


def detect_format(name: str) -> str:
    """The format a file name implies, after any ``.gz``: ``html``, ``jsonl`` or ``text``.

    >>> detect_format("a/page.HTML.gz"), detect_format("x.jsonl"), detect_format("notes")
    ('html', 'jsonl', 'text')
    """
    lower = name.lower()
    if lower.endswith(GZIP_SUFFIX):
        lower = lower[: -len(GZIP_SUFFIX)]
    suffix = Path(lower).suffix
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def read_input_file(file: InputFile, max_bytes: int) -> Iterator[RawInput | Reject]:
    """The raw inputs in one file: one for text and HTML, one per non-blank line for JSON Lines."""
    try:
        data = Path(file.path).read_bytes()
    except OSError as error:
        yield Reject(
            source=file.source,
            reason="unreadable_input",
            detail=f"could not read the file: {error.strerror or error}",
            raw=b"",
        )
        return
    if file.path.lower().endswith(GZIP_SUFFIX):
        try:
            data = decompress_gzip(data, max_bytes)
        except (OSError, EOFError, zlib.error) as error:
            yield _reject(file.source, "bad_gzip", f"not readable as gzip: {error}", data)
            return
        except OverflowError:
            detail = f"decompresses to more than the {max_bytes}-byte limit"
            yield _reject(file.source, "too_large", detail, data)
            return
    if len(data) > max_bytes:
        detail = f"{len(data)} bytes is more than the {max_bytes}-byte limit"
        yield _reject(file.source, "too_large", detail, data)
        return
    file_format = detect_format(file.path)
    if file_format == "jsonl":
        yield from split_jsonl(file.source, data)
    else:
        yield RawInput(source=file.source, raw=data, format=file_format)


def decompress_gzip(data: bytes, max_bytes: int) -> bytes:
    """Decompress gzip data (all members), refusing output larger than ``max_bytes``.

    Raises ``OverflowError`` past the limit, and gzip's own errors for data that is not gzip or
    is truncated.
    """
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    chunks: list[bytes] = []
    total = 0
    remaining = data
    while remaining:
        chunk = decompressor.decompress(remaining, max_bytes + 1 - total)
        total += len(chunk)
        chunks.append(chunk)
        if total > max_bytes:
            raise OverflowError
        if decompressor.unconsumed_tail:
            remaining = decompressor.unconsumed_tail
            continue
        if not decompressor.eof:
            msg = "truncated gzip data"
            raise EOFError(msg)
        remaining = decompressor.unused_data.lstrip(b"\x00")
        if remaining:  # another gzip member follows
            decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    if not data:
        msg = "empty gzip file"
        raise gzip.BadGzipFile(msg)
    return b"".join(chunks)


def split_jsonl(source: str, data: bytes) -> Iterator[RawInput]:
    """One raw input per non-blank line, named ``source#N`` with N counted from 1."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.strip():
            yield RawInput(source=f"{source}#{number}", raw=line.rstrip(b"\r"), format="jsonl")


def _reject(source: str, reason: str, detail: str, raw: bytes) -> Reject:
    return Reject(source=source, reason=reason, detail=detail, raw=raw, doc_id=make_doc_id(raw))
