"""Where an output lives: a local folder, or a prefix on an object store (S3, GCS, fsspec).

Every listing, read, write, rename and delete under OUT goes through a ``Store`` (which file
goes where is ``ingest.output.layout``'s business, not the store's). A local folder
keeps the behaviour it always had (pathlib, a temporary name, fsync, rename into place). Any other
location is a ``pyarrow.fs`` filesystem: ``FileSystem.from_uri`` knows ``s3://``, ``gs://``,
``hdfs://`` and ``file://``; other schemes go through fsspec when it is installed.

Object stores have no rename: an object appears whole when its upload completes, and not at all
before. So a file for an object store is built completely on this side first and then uploaded
in one ``open_output_stream`` call; a failure while building it uploads nothing.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

# A location with a scheme (``s3://bucket/prefix``); anything else is a local path.
SCHEME_RE = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")
# pyarrow.dataset, DuckDB's globs and polars all skip files whose names start with ".".
TEMP_PREFIX = "."
TEMP_SUFFIX = ".tmp"
# Schemes whose first path part is a bucket, which ingest never creates.
BUCKET_SCHEMES = frozenset({"s3", "gs", "gcs"})


class StorageError(RuntimeError):
    """An output location that cannot be used: unreachable, missing bucket, refused credentials."""


class UnknownSchemeError(StorageError):
    """A location whose scheme neither pyarrow nor fsspec knows (a usage error)."""


@dataclass(frozen=True, slots=True)
class Store:
    """An output root on some filesystem; paths are strings inside that filesystem.

    ``uri`` is the location as the user gave it (used in messages), ``root`` the output's path in
    ``filesystem``: the folder itself when local, ``bucket/prefix`` on S3.
    """

    filesystem: pafs.FileSystem
    root: str
    uri: str
    scheme: str = ""

    @property
    def local(self) -> bool:
        """Whether the output is a local folder (pathlib, fsync, rename)."""
        return not self.scheme

    def path(self, *parts: str) -> str:
        """The path of ``parts`` under the root.

        >>> EXAMPLE.path("documents", "p.parquet")
        'bucket/prefix/documents/p.parquet'
        """
        if self.local:
            return str(Path(self.root, *parts))
        return "/".join([self.root.rstrip("/"), *parts])

    def display(self, path: str) -> str:
        """``path`` as the user would write it (``s3://bucket/key`` for object stores).

        >>> EXAMPLE.display("bucket/prefix/documents")
        's3://bucket/prefix/documents'
        """
        return path if self.local else f"{self.scheme}://{path}"

    def list_files(self, folder: str, suffix: str = "") -> list[tuple[str, int]]:
        """(path, size) of finished files under ``folder`` ending in ``suffix``, sorted by path.

        Temporary files of unfinished writes and anything under a ``.`` or ``_`` folder (the
        manifest and journal inside a table folder, were there any) are left out.
        """
        if self.local:
            root = Path(folder)
            if not root.is_dir():
                return []
            return sorted(
                (str(path), path.stat().st_size)
                for path in root.rglob(f"*{suffix}")
                if not any(
                    part.startswith((TEMP_PREFIX, "_")) for part in path.relative_to(root).parts
                )
            )
        selector = pafs.FileSelector(folder, recursive=True, allow_not_found=True)
        base = folder.rstrip("/") + "/"
        return sorted(
            (info.path, info.size or 0)
            for info in self.filesystem.get_file_info(selector)
            if info.type == pafs.FileType.File
            and info.path.endswith(suffix)
            and not any(
                part.startswith((TEMP_PREFIX, "_"))
                for part in info.path.removeprefix(base).split("/")
            )
        )

    def temp_files(self) -> list[str]:
        """Temporary files of writes that never finished, anywhere under the root."""
        if self.local:
            root = Path(self.root)
            if not root.is_dir():
                return []
            pattern = f"{TEMP_PREFIX}*{TEMP_SUFFIX}"
            return [str(p) for p in root.rglob(pattern) if p.is_file()]
        selector = pafs.FileSelector(self.root, recursive=True, allow_not_found=True)
        return [
            info.path
            for info in self.filesystem.get_file_info(selector)
            if info.type == pafs.FileType.File
            and info.base_name.startswith(TEMP_PREFIX)
            and info.base_name.endswith(TEMP_SUFFIX)
        ]

    def exists(self, path: str) -> bool:
        """Whether a file or folder (on object stores: any key under the prefix) is at ``path``."""
        if self.local:
            return Path(path).exists()
        return self.filesystem.get_file_info(path).type != pafs.FileType.NotFound

    def is_dir(self, path: str) -> bool:
        """Whether ``path`` is a folder (on object stores: a prefix that holds objects)."""
        if self.local:
            return Path(path).is_dir()
        return self.filesystem.get_file_info(path).type == pafs.FileType.Directory

    def read_table(self, path: str, columns: list[str] | None = None) -> pa.Table:
        """The Parquet file at ``path`` (only ``columns``, when given)."""
        filesystem = None if self.local else self.filesystem
        return pq.read_table(path, columns=columns, filesystem=filesystem)

    @contextmanager
    def parquet_file(self, path: str) -> Iterator[pq.ParquetFile]:
        """The Parquet file at ``path`` opened for reading row group by row group."""
        if self.local:
            with pq.ParquetFile(path) as parquet:
                yield parquet
            return
        with self.filesystem.open_input_file(path) as handle, pq.ParquetFile(handle) as parquet:
            yield parquet

    def read_bytes(self, path: str) -> bytes:
        """The whole file at ``path``."""
        if self.local:
            return Path(path).read_bytes()
        with self.filesystem.open_input_stream(path) as handle:
            return bytes(handle.read())

    def delete(self, path: str) -> None:
        """Delete the file at ``path``; a file already gone is fine."""
        if self.local:
            Path(path).unlink(missing_ok=True)
            return
        try:
            self.filesystem.delete_file(path)
        except FileNotFoundError:
            pass

    def sync_folder(self, folder: str) -> None:
        """Make renames and deletes in ``folder`` durable (object stores: already are)."""
        if self.local:
            fsync_folder(Path(folder))

    def write_bytes(self, path: str, data: bytes) -> None:
        """Write ``data`` to ``path`` so that no reader ever sees part of it."""
        if self.local:
            target = Path(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f"{TEMP_PREFIX}{target.name}{TEMP_SUFFIX}")
            temp.write_bytes(data)
            with temp.open("rb+") as handle:
                os.fsync(handle.fileno())
            temp.replace(target)
            fsync_folder(target.parent)
            return
        upload(self.filesystem, path, data)

    @contextmanager
    def parquet_writer(
        self, path: str, schema: pa.Schema, **options: object
    ) -> Iterator[pq.ParquetWriter]:
        """A Parquet writer whose file appears at ``path`` only once it is complete.

        ``options`` go to ``pyarrow.parquet.ParquetWriter`` (the writers in
        ``ingest.output.parquet`` choose compression and statistics; the store only places
        the file).

        Locally it writes under a hidden temporary name; on leaving the block the file is
        flushed to disk and renamed into place (the rename made durable too). On an error the
        temporary file is removed and ``path`` is left as it was.

        On an object store the file is built in memory and uploaded in one call on leaving the
        block: an error inside the block uploads nothing. Memory use is the file's size: a
        batch file is a few MB (a batch reads about 4 MB of input), a compacted one at most
        ``--target-mb`` plus one input file.
        """
        if not self.local:
            sink = pa.BufferOutputStream()
            with pq.ParquetWriter(sink, schema, **options) as writer:
                yield writer
            upload(self.filesystem, path, sink.getvalue())
            return
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f"{TEMP_PREFIX}{target.name}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
        try:
            with pq.ParquetWriter(temp, schema, **options) as writer:
                yield writer
            with temp.open("rb+") as handle:
                os.fsync(handle.fileno())
            temp.replace(target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        fsync_folder(target.parent)

    def check_usable(self) -> None:
        """Raise ``StorageError`` in one line if the output cannot be reached or written.

        Local folders are checked by the command line; for an object store this catches a
        missing bucket and refused credentials before any work starts.
        """
        if self.local:
            return
        bucket = self.root.split("/", 1)[0]
        try:
            found = self.filesystem.get_file_info(bucket).type != pafs.FileType.NotFound
            if self.scheme in BUCKET_SCHEMES and not found:
                msg = f"bucket not found: {self.scheme}://{bucket} (create it first)"
                raise StorageError(msg)
            info = self.filesystem.get_file_info(self.root)
        except OSError as error:
            msg = f"cannot reach {self.uri}: {first_line(error)}"
            raise StorageError(msg) from None
        if info.type == pafs.FileType.File:
            msg = f"output is an object, not a prefix: {self.uri}"
            raise StorageError(msg)


# A remote store for doctests (made without a connection: ``from_uri`` would look up the region).
EXAMPLE = Store(pafs.LocalFileSystem(), "bucket/prefix", "s3://bucket/prefix", "s3")


def base_name(path: str) -> str:
    """The last part of a store path.

    >>> base_name("bucket/prefix/documents/part-1.parquet")
    'part-1.parquet'
    """
    return path.rsplit("/", 1)[-1]


def upload(filesystem: pafs.FileSystem, path: str, data: pa.Buffer | bytes) -> None:
    """Put ``data`` at ``path`` in one stream: the object appears only when the upload completes.

    ``data`` is the whole file, built before this call, so a failure while building it uploads
    nothing. What makes the object appear whole is the store (S3 shows an object only once its
    upload completes; a failed part fails the completion), not how the stream is closed: a
    pyarrow S3 stream that is dropped unclosed completes its upload too. An upload killed
    mid-way leaves an incomplete multipart upload, invisible to readers (see the README).
    """
    stream = filesystem.open_output_stream(path)
    stream.write(data)
    stream.close()


def first_line(error: BaseException) -> str:
    """The first line of an error's message, without the request id AWS errors carry.

    Plain string search, not a regular expression: it stays linear on any message.

    >>> first_line(OSError("AWS Error ACCESS_DENIED (Request ID: 12) during X\\nmore"))
    'AWS Error ACCESS_DENIED during X'
    """
    line = (str(error).strip().splitlines() or [type(error).__name__])[0]
    head, found, tail = line.partition(" (Request ID: ")
    if found:
        line = head + tail.partition(")")[2]
    return line.strip()


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def open_store(location: str | os.PathLike[str]) -> Store:
    """The ``Store`` for an output location: a local path, ``file://``, ``s3://``, ``gs://``...

    Remote filesystems are created once per process and location. S3 credentials and endpoint
    come from the usual AWS variables (``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
    ``AWS_DEFAULT_REGION``, ``AWS_ENDPOINT_URL``) or ``~/.aws``, as pyarrow reads them.

    >>> open_store("out").local, open_store("file:///tmp/out").root
    (True, '/tmp/out')
    """
    text = os.fspath(location)
    match = SCHEME_RE.match(text)
    if match is None:
        return Store(pafs.LocalFileSystem(), text, text)
    if "#" in text:  # a URL fragment would be dropped silently: the output would go elsewhere
        msg = f"'#' is not allowed in an output location with a scheme: {text}"
        raise UnknownSchemeError(msg)
    if match["scheme"].lower() == "file":
        return Store(pafs.LocalFileSystem(), file_url_path(text), text)
    return _remote_store(text)


def file_url_path(url: str) -> str:
    """The local path of a ``file://`` URL; ``UnknownSchemeError`` for one that names none.

    >>> file_url_path("file:///tmp/out"), file_url_path("FILE://localhost/tmp/a%20b")
    ('/tmp/out', '/tmp/a b')
    """
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost") or parts.query or not parts.path.startswith("/"):
        msg = f"not a local file URL (use file:///absolute/path): {url}"
        raise UnknownSchemeError(msg)
    return unquote(parts.path)


@lru_cache(maxsize=32)
def _remote_store(uri: str) -> Store:
    """A ``Store`` for a location with a scheme other than ``file``."""
    scheme = SCHEME_RE.match(uri)["scheme"].lower()  # type: ignore[index]
    try:
        filesystem, path = pafs.FileSystem.from_uri(uri)
    except pa.ArrowInvalid as error:
        if "Unrecognized filesystem type" not in str(error):
            msg = f"bad output location {uri}: {first_line(error)}"
            raise UnknownSchemeError(msg) from None
        filesystem, path = _fsspec_filesystem(uri, scheme)
    except (OSError, pa.ArrowException) as error:
        msg = f"cannot use {uri}: {first_line(error)}"
        raise StorageError(msg) from None
    if scheme in BUCKET_SCHEMES and not path.strip("/"):
        msg = f"no bucket in the output location {uri} (use {scheme}://bucket/prefix)"
        raise UnknownSchemeError(msg)
    return Store(filesystem, path.rstrip("/"), uri, scheme)


def clear_store_cache() -> None:
    """Forget the remote filesystems made so far (after credentials or the endpoint change)."""
    _remote_store.cache_clear()


def _fsspec_filesystem(uri: str, scheme: str) -> tuple[pafs.FileSystem, str]:
    """A filesystem pyarrow does not know natively, through fsspec (when it is installed)."""
    try:
        import fsspec
        from fsspec.core import url_to_fs
    except ImportError:
        known = "s3://, gs://, hdfs://, file:// or a local path"
        msg = f"unknown output scheme {scheme}:// (use {known})"
        raise UnknownSchemeError(msg) from None
    if scheme not in fsspec.available_protocols():
        msg = f"unknown output scheme {scheme}://"
        raise UnknownSchemeError(msg) from None
    try:
        filesystem, path = url_to_fs(uri)
    except (ImportError, ValueError, OSError) as error:
        msg = f"cannot use {uri}: {first_line(error)}"
        raise StorageError(msg) from None
    return pafs.PyFileSystem(pafs.FSSpecHandler(filesystem)), path
