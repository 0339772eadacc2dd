"""Fast paths of the structure stage give what the plain code gives, on generated text.

Each quick test that guards a pattern must be implied by the pattern: when the pattern matches,
the quick test passes, so skipping the pattern when it fails changes nothing.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import captions

# Tokens near the credit patterns' edges: their labels in several cases, the characters that
# IGNORECASE folds specially (ſ, İ, ı, K), brackets, separators and trailing newlines.
CREDIT_TOKENS = st.sampled_from(
    [
        *"Photo photo PHOTO Credit Image Foto Bild Quelle Crédito picture By by BY bY".split(),
        *"von VON Von AP AFP Getty Images Reuters dpa picture alliance Jane Doe Submitted".split(),
        *"File a the".split(),
        *":/|[]()., -–—\n\t",
        *"ſİıKÅé",
        "photo\n",
        "]\n",
        ")\n",
        " Submitted photo",
        " File photo\n",
        "(AP)",
        "[Reuters]\n",
    ]
)
CREDIT_TEXT = st.one_of(
    st.lists(CREDIT_TOKENS, max_size=30).map("".join),
    st.lists(CREDIT_TOKENS, max_size=20).map(" ".join),
    st.text(max_size=80),
)


@settings(max_examples=1500, deadline=None)
@given(CREDIT_TEXT)
def test_quick_credit_tests_never_skip_a_match(text):
    if captions.END_BRACKET_RE.search(text):
        assert text.endswith(captions.BRACKET_ENDINGS)
    if captions.CREDIT_LABEL_RE.search(text):
        assert captions.may_have_credit_label(text)
    if captions.TRAILING_AGENCY_RE.search(text):
        assert captions.may_have_trailing_agency(text)
    if captions.GLUED_CREDIT_RE.search(text):
        assert captions.may_have_glued_credit(text)
