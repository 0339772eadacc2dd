"""A datatrove pipeline step that runs ingest's repair and structure on each document.

For datatrove users who want ingest's mojibake repair, debris removal, captions, title and
language inside their own pipelines (``pip install 'ingest[datatrove]'``)::

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from ingest.integrations.datatrove import IngestStep

    LocalPipelineExecutor(
        pipeline=[JsonlReader("in/"), IngestStep(), JsonlWriter("out/")], tasks=1
    ).run()

Each document's text goes through ``ingest.process_text`` (or ``process_html`` with
``html=True``), the same pipeline as ``ingest run``. A document comes out with the clean body
as its text and ingest's fields in its metadata (``ingest_metadata``); an input ingest rejects
is dropped and counted as ``dropped_<reason>``, datatrove's filter convention, and goes to the
``exclusion_writer`` if one is given, with the reason in its metadata. Every removal is counted
as ``removed_<rule>``.
"""

from __future__ import annotations

import contextlib
from typing import Any

from datatrove.data import Document as DatatroveDocument
from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.writers.disk_base import DiskWriter
from datatrove.utils.typeshelper import StatHints

from ingest.config import DEFAULT_CONFIG, PipelineConfig
from ingest.records import Document, Reject


def ingest_metadata(doc: Document) -> dict[str, Any]:
    """The fields of an ingest ``Document`` that a datatrove document keeps in its metadata.

    The body becomes the document's text; the rest keeps the column names of ``OUT/documents``,
    under an ``ingest_`` prefix where datatrove or another step may use the plain name.

    >>> from ingest.records import Caption, Removal
    >>> doc = Document("ab" * 16, "x", "A title", "en", "Body.", (Caption("A view.", "AP", 0),),
    ...                (Removal("English", "language_switcher_label"),), "utf-8", (), "00")
    >>> meta = ingest_metadata(doc)
    >>> meta["title"], meta["language"], meta["removed"][0]["rule"]
    ('A title', 'en', 'language_switcher_label')
    >>> meta["captions"]
    [{'text': 'A view.', 'credit': 'AP', 'position': 0}]
    """
    return {
        "ingest_doc_id": doc.doc_id,
        "title": doc.title,
        "language": doc.language,
        "author": doc.author,
        "published": doc.published,
        "captions": [
            {"text": c.text, "credit": c.credit, "position": c.position} for c in doc.captions
        ],
        "removed": [{"text": r.text, "rule": r.rule} for r in doc.removed],
        "encoding": doc.encoding,
        "fixes": list(doc.fixes),
        "content_sha256": doc.content_sha256,
    }


class IngestStep(PipelineStep):
    """Repair and structure each document with ingest; drop (and count) what ingest rejects.

    ``html``: the texts are HTML pages (read with ingest's HTML reader). ``config``: ingest's
    settings (``PipelineConfig(repair_profile="minimal")``...). ``exclusion_writer``: where the
    dropped documents go, as they came, with ``ingest_reject_reason`` and
    ``ingest_reject_detail`` in their metadata.
    """

    name = "ingest: repair and structure"
    type = "✂️ - FORMAT"

    def __init__(
        self,
        *,
        html: bool = False,
        config: PipelineConfig = DEFAULT_CONFIG,
        exclusion_writer: DiskWriter | None = None,
    ) -> None:
        super().__init__()
        self.html = html
        self.config = config
        self.exclusion_writer = exclusion_writer

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        """Yield the documents ingest keeps, their text replaced by the clean body."""
        from ingest.api import process_html, process_text

        process = process_html if self.html else process_text
        writer = self.exclusion_writer or contextlib.nullcontext()
        with writer as excluded:
            for doc in data or ():
                self.stat_update(StatHints.total)
                with self.track_time():
                    result = process(doc.text, doc.id, config=self.config)
                if isinstance(result, Reject):
                    self.stat_update(StatHints.dropped, f"dropped_{result.reason}")
                    if excluded is not None:
                        doc.metadata["ingest_reject_reason"] = result.reason
                        doc.metadata["ingest_reject_detail"] = result.detail
                        excluded.write(doc, rank)
                    continue
                yield self.keep(doc, result)

    def keep(self, doc: DatatroveDocument, result: Document) -> DatatroveDocument:
        """``doc`` with ingest's body as its text and ingest's fields in its metadata."""
        doc.text = result.body
        doc.metadata.update(ingest_metadata(result))
        for removal in result.removed:
            self.stat_update(f"removed_{removal.rule}")
        self.stat_update(StatHints.forwarded)
        self.update_doc_stats(doc)
        return doc
