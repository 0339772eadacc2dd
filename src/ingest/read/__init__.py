"""Reading inputs: finding files, gzip, JSON Lines, WARC and WET records, decoding bytes to text,
HTML to text.

Owns everything between a path on disk and a ``str`` the repair stage can work on. May import
the shared vocabulary (``ingest.records``, ``ingest.errors``, ``ingest.ids``, ``ingest.config``)
and nothing else of ingest.
"""
