"""Text repair: the ftfy profile applied line by line, the fast mojibake test, whitespace.

Owns turning decoded text into repaired text and naming every fix applied. May import the shared
vocabulary and ``ingest.read.decode`` (for the marker of bytes replaced while decoding); never
``structure``, ``output`` or ``run``.
"""
