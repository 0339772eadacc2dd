"""The language of a text: from a language-switcher label when there is one, else from the body."""

from __future__ import annotations

import langcodes

from ingest.structure import langid_model

# Identification on less text than this is a guess; None is more honest.
MIN_DETECT_CHARS = 40
# py3langid's cost grows with the text; the first few kilobytes decide the language.
DETECT_SAMPLE_CHARS = 1200


def has_letters(text: str, count: int) -> bool:
    """Whether text holds at least ``count`` letters (stops reading once it has seen them).

    >>> has_letters("ab 12 cd", 4), has_letters("ab 12", 4)
    (True, False)
    """
    seen = 0
    for ch in text:
        if ch.isalpha():
            seen += 1
            if seen >= count:
                return True
    return count <= 0


def detect_language(body: str, label_tags: list[str] | None = None) -> str | None:
    """A BCP 47 tag for the text, or None when there is too little text to tell.

    A language-switcher label (already a tag) wins over identification.

    >>> detect_language("", ["en"])
    'en'
    >>> detect_language("Der Hund läuft schnell über die Straße und bellt, weil er Hunger hat.")
    'de'
    >>> detect_language("Hi") is None
    True
    """
    if label_tags:
        return langcodes.standardize_tag(label_tags[0])
    sample = body[:DETECT_SAMPLE_CHARS]
    if not has_letters(sample, MIN_DETECT_CHARS):
        return None
    return langcodes.standardize_tag(langid_model.classify(sample))
