"""The output dataset: where it lives (local or object storage), the Parquet schema and
writing, the manifest of files read, the lock, duplicate handling and compaction.

Owns every byte under OUT. May import the shared vocabulary (``ingest.records``, ``ingest.ids``)
and ``ingest.read`` (to re-read an input's bytes); never ``structure``, ``repair`` or ``run``.
"""
