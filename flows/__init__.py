"""Prefect flows for ingest (shipped in the wheel as the package ``ingest_flows``)."""
