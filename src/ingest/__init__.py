"""ingest: scraped article text in, clean structured records out.

The Python face, for one document at a time (the same records ``ingest run`` writes)::

    import ingest
    doc = ingest.process_text(text, source="x.txt")      # -> ingest.Document | ingest.Reject
    doc = ingest.process_bytes(raw, source="x.txt")       # bytes in any encoding; format="html"...
    doc = ingest.process_html(page, source="page.html")
    for record in ingest.process_warc("crawl.warc.gz"):  # a record per page of a WARC or WET
        ...

``import ingest`` loads only the record types: the pipeline (ftfy, the language model) is
imported on the first call of a ``process_*`` function, and Prefect never.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ingest.config import PipelineConfig
from ingest.records import Caption, Document, RawInput, Reject, Removal

if TYPE_CHECKING:
    from ingest.api import process_bytes, process_html, process_text, process_warc

__all__ = [
    "Caption",
    "Document",
    "PipelineConfig",
    "RawInput",
    "Reject",
    "Removal",
    "__version__",
    "process_bytes",
    "process_html",
    "process_text",
    "process_warc",
]

_API = frozenset({"process_bytes", "process_html", "process_text", "process_warc"})


def __getattr__(name: str) -> Any:  # noqa: ANN401 - one of the functions above, or the version
    """Import the pipeline only when a ``process_*`` function is first used, and the package
    metadata (``importlib.metadata``: about half the cost of ``import ingest``) only when
    ``__version__`` is first asked for."""
    if name in _API:
        from ingest import api

        return getattr(api, name)
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("ingest")
        except PackageNotFoundError:  # running from a source tree that is not installed
            found = "0.0.0+source"
        globals()["__version__"] = found
        return found
    msg = f"module 'ingest' has no attribute {name!r}"
    raise AttributeError(msg)
