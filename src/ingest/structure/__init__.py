"""Finding structure in repaired text: paragraphs, zones, debris rules, title, language,
bylines and captions; ``extract.extract_structure`` composes them.

Owns every decision about what is body, what is title, caption or byline, and what is removed
(with the name of the rule that removed it). Pure functions over ``str``: may import the shared
vocabulary (``ingest.records``) and nothing from ``read``, ``repair``, ``output`` or ``run``.
"""
