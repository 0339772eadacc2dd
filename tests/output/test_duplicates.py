"""The duplicate policy: what repeats what, which record is kept, and the reject of the rest."""

from __future__ import annotations

from ingest.output.dataset import SeenIndex, hex_keys, record_keys
from ingest.output.duplicates import duplicate_reject, keep_or_reject, same_bytes_again
from ingest.pipeline import process_document
from ingest.records import Document, RawInput, Reject

ARTICLE = (
    b"A headline for the test\n\n"
    b"A paragraph of an article that is long enough to be a real paragraph of prose, with a "
    b"few clauses, a number or two and a full stop at the end.\n\n"
    b"Another paragraph of the same article, which is also long enough to count as prose."
)


def kept_document(raw: RawInput) -> Document:
    result = process_document(raw)
    assert isinstance(result, Document)
    return result


def test_a_duplicate_reject_keeps_the_inputs_bytes_and_id_and_names_the_kept_one() -> None:
    raw = RawInput("b.txt", ARTICLE)
    reject = duplicate_reject(raw, "k" * 32)
    assert reject == Reject(
        source="b.txt",
        reason="duplicate",
        detail=f"the same body was already kept as document {'k' * 32}",
        raw=ARTICLE,
        doc_id=raw.doc_id,
        duplicate_of="k" * 32,
    )


def test_the_same_bytes_again_in_a_batch_repeat_the_first() -> None:
    seen = SeenIndex()
    first = RawInput("a.txt", ARTICLE)
    assert same_bytes_again(first, seen) is None
    seen.add(first.doc_id, kept_document(first).content_sha256)
    again = same_bytes_again(RawInput("copy.txt", ARTICLE), seen)
    assert again is not None
    assert (again.source, again.duplicate_of) == ("copy.txt", first.doc_id)


def test_a_reject_of_the_same_bytes_again_is_a_duplicate_too() -> None:
    seen = SeenIndex()
    first = RawInput("a.txt", ARTICLE)
    seen.add(first.doc_id, kept_document(first).content_sha256)
    earlier = Reject.of(RawInput("big.txt", ARTICLE), "too_large", "Too large.")
    again = same_bytes_again(earlier, seen)
    assert again is not None and again.reason == "duplicate" and again.raw == ARTICLE


def test_an_input_none_of_whose_bytes_were_read_repeats_nothing() -> None:
    seen = SeenIndex()
    seen.add("0" * 32)
    assert same_bytes_again(Reject.unread("gone.txt", "unreadable_input", "Gone."), seen) is None


def test_the_first_body_is_kept_and_a_later_one_rejected() -> None:
    seen = SeenIndex()
    first = RawInput("a.txt", ARTICLE)
    document = kept_document(first)
    assert keep_or_reject(document, first, seen) is document
    seen.add(first.doc_id, document.content_sha256)
    later = RawInput("b.txt", ARTICLE + b"\n")  # other bytes, the same clean body
    result = keep_or_reject(kept_document(later), later, seen)
    assert isinstance(result, Reject)
    assert (result.doc_id, result.duplicate_of, result.raw) == (
        later.doc_id,
        first.doc_id,
        later.raw,
    )


def test_a_body_already_in_the_output_is_rejected_and_the_output_copy_kept() -> None:
    first = RawInput("a.txt", ARTICLE)
    document = kept_document(first)
    seen = SeenIndex(known_digests=hex_keys([document.content_sha256]))
    seen.known_kept = hex_keys([first.doc_id])
    later = RawInput("b.txt", ARTICLE + b"\n")
    result = keep_or_reject(kept_document(later), later, seen)
    assert isinstance(result, Reject) and result.duplicate_of == first.doc_id


def test_a_reject_is_never_a_duplicate() -> None:
    raw = RawInput("e.txt", b"")
    result = process_document(raw)
    assert isinstance(result, Reject)
    assert keep_or_reject(result, raw, SeenIndex()) is result


def test_the_same_bytes_as_a_reject_are_rejected_for_their_own_reason() -> None:
    """Two identical empty files: each an ``empty_input``, not a duplicate of a non-document."""
    seen = SeenIndex()
    first = RawInput("e1.txt", b"")
    seen.add(first.doc_id)  # rejected: no body kept
    assert same_bytes_again(RawInput("e2.txt", b""), seen) is None


def test_a_copy_of_a_document_in_the_output_under_another_name_is_a_duplicate() -> None:
    first = RawInput("a.txt", ARTICLE)
    document = kept_document(first)
    seen = SeenIndex(
        known_digests=hex_keys([document.content_sha256]),
        known_kept=hex_keys([first.doc_id]),
        known_documents=record_keys(["a.txt"], [first.doc_id]),
    )
    copy = RawInput("copy.txt", ARTICLE)  # the same bytes, so the same doc_id
    result = keep_or_reject(kept_document(copy), copy, seen)
    assert isinstance(result, Reject)
    assert (result.source, result.reason, result.duplicate_of) == (
        "copy.txt",
        "duplicate",
        first.doc_id,
    )
    # The recorded input itself, read again (--force), stays a document.
    assert keep_or_reject(document, first, seen) is document
