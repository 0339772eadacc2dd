"""Running batches: sharding files into batches, processing and writing one batch, the run's
summary and progress display.

Owns what a flow task calls. May import every stage below it (``read``, ``output``,
``ingest.pipeline``) but never Prefect or ``flows/``.
"""
