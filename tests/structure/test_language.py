import numpy as np
import py3langid
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.structure import langid_model
from ingest.structure.language import detect_language
from ingest.structure.rules.labels import split_language_row


def test_label_wins():
    assert (
        detect_language("Der Hund läuft über die Straße und bellt dabei sehr laut.", ["en"]) == "en"
    )


def test_body_identification_gives_bcp47():
    text = (
        "El consejo municipal aprobó el presupuesto después de un largo debate sobre bibliotecas."
    )
    assert detect_language(text) == "es"


def test_too_short_is_none():
    assert detect_language("Ok") is None
    assert detect_language("") is None


def test_language_rows():
    assert split_language_row("English | Español") == ["en", "es"]
    assert split_language_row("English Breakfast") is None
    assert split_language_row("EN | DE") is None


# --- the NumPy walk of py3langid's automaton (ingest.structure.langid_model) is py3langid itself ---------

# Letters of several scripts, combining marks, punctuation, digits, emoji and a lone surrogate:
# multi-byte UTF-8 sequences and NFC changes are where a byte-level walk could go wrong.
LANGUAGE_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ äöüßéèçñ .,;:!?-'\"\n0123456789")
    + list("日本語中文Русскийالعربيةעבריתहिन्दीΕλληνικά한국어ไทย")
    + ["\u0301", "\u0308", "😀", "\ud800", "\u00a0", "ﬁ", "Å"]
)
WORDS = st.sampled_from(
    "the and of der die und le la et el los que il di och van het на и в з że jest".split()
)
LANGUAGE_TEXT = st.one_of(
    st.text(LANGUAGE_ALPHABET, max_size=300),
    st.lists(WORDS, max_size=200).map(" ".join),
    st.text(max_size=200),
)


def test_the_bundled_model_is_the_verified_one():
    """Otherwise classification silently falls back to py3langid's slow walk."""
    assert langid_model.load_model() is not None


@settings(max_examples=400, deadline=None)
@given(LANGUAGE_TEXT, st.booleans())
def test_numpy_walk_classifies_as_py3langid(text, upper):
    text = text.upper() if upper else text
    assert langid_model.classify(text) == py3langid.classify(text)[0]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_numpy_walk_counts_features_as_py3langid(data):
    identifier = py3langid.langid._get_identifier()
    expected = py3langid.langid.visit_counts(
        identifier.tk_nextmove, identifier._rowbase, identifier.tk_output, data
    )
    found = langid_model.count_features(langid_model.load_model(), data)
    if expected is None:
        assert found is None
    else:
        features, counts = found
        assert list(expected) == features.tolist()  # same features, in first-seen order
        assert list(expected.values()) == counts.tolist()


def test_widening_the_feature_table_is_exact():
    """widen_half is exact for every entry of the model's table (so for every row it gathers)."""
    model = langid_model.load_model()
    assert model.ptc_is_normal
    widened = langid_model.widen_half(model.ptc).view(np.uint32)
    assert np.array_equal(widened, model.ptc.astype(np.float32).view(np.uint32))


@settings(max_examples=300, deadline=None)
@given(LANGUAGE_TEXT)
def test_numpy_scores_are_py3langids_bit_for_bit(text):
    identifier = py3langid.langid._get_identifier()
    expected = identifier._decide(text)
    found = langid_model.score(langid_model.load_model(), langid_model.encode(text))
    assert np.array_equal(found.view(np.uint32), expected.view(np.uint32))
