"""Find input files and read them into raw inputs: plain text, HTML, JSON Lines (each maybe
gzipped), and the page records of WARC and WET files (``ingest.read.warc``).

Reading is the only I/O before writing. Anything that goes wrong with one input becomes a
``Reject`` carrying whatever bytes could be read, never an exception that stops a batch.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import os
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.read.limits import bounded_reject, oversize_reject
from ingest.read.names import source_name
from ingest.read.warc import SkippedRecord, is_warc_name, read_warc_file
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
    root: str | None = None  # the INPUT it was found under, absolute, as a source name


class InputPathError(ValueError):
    """An INPUT argument that cannot be used at all (the run cannot start)."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry discovery could not or would not read: its path (as a source name) and why."""

    path: str
    why: str


@dataclass(frozen=True, slots=True)
class Discovery:
    """What discovery found: the input files, and the entries it passed over, sorted by path.

    ``unreadable_folders`` could not be listed (``why`` is the error); ``not_regular`` are
    entries that are not regular files inside INPUT (``why`` names the kind: ``fifo``,
    ``device``, ``socket``, ``symlink loop``, ``broken link``, ``link out of INPUT``, ...).
    """

    files: list[InputFile]
    unreadable_folders: list[Skipped]
    not_regular: list[Skipped]


def find_input_files(
    inputs: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()
) -> list[InputFile]:
    """Every input file under the given files and folders (``discover_inputs``' files)."""
    return discover_inputs(inputs, exclude).files


def discover_inputs(
    inputs: Iterable[str | os.PathLike[str]], exclude: Iterable[str | os.PathLike[str]] = ()
) -> Discovery:
    """Every input file under the given files and folders, in a stable order, and what was not.

    Folders are read recursively. Hidden files and folders (names starting with ``.``) are
    skipped, symlinked folders are not entered, and a symlinked file counts only when its target
    lies inside the folder given. Folders in ``exclude`` (the output) are never entered. Folders
    that cannot be listed and entries that are not regular files are reported, not read.
    """
    excluded = {Path(p).resolve() for p in exclude}
    found: list[InputFile] = []
    unreadable: list[Skipped] = []
    not_regular: list[Skipped] = []
    for given in inputs:
        root = Path(given)
        if not root.exists():
            msg = f"input not found: {given}"
            raise InputPathError(msg)
        if root.is_file():
            found.append(_describe(root, source_name(root.name), input_root(root)))
            continue
        if not root.is_dir():
            msg = f"input is neither a file nor a folder: {given}"
            raise InputPathError(msg)
        walked = _walk_folder(root, excluded, unreadable, not_regular)
        found.extend(sorted(walked, key=lambda f: f.source))
    return Discovery(
        files=drop_repeated_paths(found),
        unreadable_folders=sorted(unreadable, key=lambda s: s.path),
        not_regular=sorted(not_regular, key=lambda s: s.path),
    )


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


def _walk_folder(
    root: Path, excluded: set[Path], unreadable: list[Skipped], not_regular: list[Skipped]
) -> Iterator[InputFile]:
    real_root = root.resolve()
    named_root = input_root(root)

    def note_unreadable(error: OSError) -> None:
        path = source_name(os.fsdecode(error.filename or root))
        unreadable.append(Skipped(path, error.strerror or str(error)))

    for folder, dirnames, filenames in os.walk(root, onerror=note_unreadable, followlinks=False):
        entered = []
        for d in sorted(dirnames):
            path = Path(folder) / d
            if d.startswith(".") or path.resolve() in excluded:
                continue
            if path.is_symlink():  # os.walk lists it but does not enter it
                not_regular.append(Skipped(source_name(str(path)), "link to a folder"))
                continue
            entered.append(d)
        dirnames[:] = entered
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            # is_file() first: it is False for a symlink loop, on which resolve() raises.
            if not path.is_file():
                not_regular.append(Skipped(source_name(str(path)), _kind_of(path)))
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                not_regular.append(Skipped(source_name(str(path)), "link out of INPUT"))
                continue
            yield _describe(path, source_name(path.relative_to(root).as_posix()), named_root)


def _kind_of(path: Path) -> str:
    """What a non-regular entry is: ``fifo``, ``device``, ``symlink loop``, ``broken link``..."""
    try:
        mode = path.lstat().st_mode
        if not stat.S_ISLNK(mode):
            return _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "broken link"
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symlink loop"
        return f"unreadable link ({error.strerror})"
    return f"link to a {_FILE_KINDS.get(stat.S_IFMT(mode), 'special file')}"


_FILE_KINDS = {
    stat.S_IFIFO: "fifo",
    stat.S_IFCHR: "device",
    stat.S_IFBLK: "device",
    stat.S_IFSOCK: "socket",
    stat.S_IFDIR: "folder",
}


def input_root(given: Path) -> str:
    """An INPUT as records name it: its absolute path (symlinks kept), as a source name.

    >>> input_root(Path("/data/in/"))
    '/data/in'
    """
    return source_name(os.path.abspath(given))  # noqa: PTH100 - resolve() would follow symlinks


def _describe(path: Path, source: str, root: str) -> InputFile:
    info = path.stat()
    return InputFile(
        path=str(path), source=source, size=info.st_size, mtime_ns=info.st_mtime_ns, root=root
    )


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


def read_input_file(file: InputFile, max_bytes: int) -> Iterator[RawInput | Reject | SkippedRecord]:
    """The raw inputs in one file: one for text and HTML, one per non-blank line for JSON Lines,
    one per page record for WARC and WET (``ingest.read.warc``, which also yields the records
    it skips).

    A file larger than ``max_bytes`` (compressed or not) is never read whole: it becomes a
    ``too_large`` reject holding a bounded prefix (see ``oversize_reject``). A WARC file is
    streamed, so only each record's payload is held to that limit.
    """
    if is_warc_name(file.path):
        yield from read_warc_records(file, max_bytes)
        return
    try:
        with Path(file.path).open("rb") as handle:
            if os.fstat(handle.fileno()).st_size > max_bytes:
                yield oversize_reject(file.source, handle, b"", max_bytes)
                return
            data = handle.read()
            if len(data) > max_bytes:  # it grew since
                yield oversize_reject(file.source, handle, data, max_bytes)
                return
    except OSError as error:
        detail = f"could not read the file: {error.strerror or error}"
        yield Reject.unread(file.source, "unreadable_input", detail)
        return
    if file.path.lower().endswith(GZIP_SUFFIX):
        try:
            data = decompress_gzip(data, max_bytes)
        except (OSError, EOFError, zlib.error) as error:
            detail = f"not readable as gzip: {error}"
            yield Reject.of(RawInput(file.source, data), "bad_gzip", detail)
            return
        except OverflowError:
            detail = f"decompresses to more than the {max_bytes}-byte limit"
            read = (data, len(data), hashlib.sha256(data).hexdigest())
            yield bounded_reject(file.source, "too_large", detail, read)
            return
    file_format = detect_format(file.path)
    if file_format == "jsonl":
        yield from split_jsonl(file.source, data)
    else:
        yield RawInput(source=file.source, raw=data, format=file_format)


def read_warc_records(
    file: InputFile, max_bytes: int
) -> Iterator[RawInput | Reject | SkippedRecord]:
    """The records of a WARC or WET file; an ``unreadable_input`` reject if reading it fails.

    The records read before a failure are kept; the reject names the file, so the file stays
    out of the manifest and the next run reads it again (skipping the records it holds).
    """
    try:
        yield from read_warc_file(file.path, file.source, max_bytes)
    except OSError as error:
        detail = f"could not read the file: {error.strerror or error}"
        yield Reject.unread(file.source, "unreadable_input", detail)


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
