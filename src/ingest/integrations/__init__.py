"""Steps that put ingest inside other tools' pipelines; each needs its own optional extra.

``ingest.integrations.datatrove``: a datatrove pipeline step (``pip install 'ingest[datatrove]'``).
Nothing here is imported by ``import ingest``; a module imports its tool when it is imported.
"""
