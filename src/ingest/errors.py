"""Errors that turn an input into a reject record (never a crash)."""

from __future__ import annotations


class RejectInput(Exception):  # noqa: N818 - it is a signal, not a failure of the program
    """Raised by a pure step when its input cannot become a document.

    ``reason`` is a stable code from ``ingest.reasons.REASONS``; ``detail`` is one human sentence.

    >>> rejected = RejectInput("too_large", "300 bytes is more than the 200-byte limit")
    >>> rejected.reason, str(rejected)
    ('too_large', 'too_large: 300 bytes is more than the 200-byte limit')
    """

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail
