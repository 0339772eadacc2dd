"""ingest: scraped article text in, clean structured records out."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from ingest.records import Caption, Document, RawInput, Reject, Removal

try:
    __version__ = version("ingest")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"

__all__ = ["Caption", "Document", "RawInput", "Reject", "Removal", "__version__"]
