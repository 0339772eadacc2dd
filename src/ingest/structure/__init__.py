"""Finding structure in repaired text: paragraphs, zones, debris rules, title, language,
bylines and captions; ``extract.extract_structure`` composes them.

Owns every decision about what is body, what is title, caption or byline, and what is removed
(with the name of the rule that removed it). Pure functions over ``str``: may import the shared
vocabulary (``ingest.records``) and nothing from ``read``, ``repair``, ``output`` or ``run``.

Every paragraph ends up in exactly one place, and each removal names the rule that removed it:

>>> from ingest.structure.extract import extract_structure
>>> page = "Share | Tweet\\n\\nBridge reopens after repairs\\n\\n" + "The bridge reopened. " * 12
>>> structure = extract_structure(page)
>>> structure.title, [(removal.text, removal.rule) for removal in structure.removed]
('Bridge reopens after repairs', [('Share | Tweet', 'share_row')])
"""
