"""The output dataset: where it lives (local or object storage) and what is where in it, the
Parquet schema and writing, the manifest of files read, the lock, the duplicate policy and
compaction.

``layout.open_output(location)`` opens an output once; every step takes the ``Output`` handle.
Owns every byte under OUT. May import the shared vocabulary (``ingest.records``, ``ingest.ids``)
and ``ingest.read`` (to re-read an input's bytes); never ``structure``, ``repair`` or ``run``.
"""
