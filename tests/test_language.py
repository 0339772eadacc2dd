from ingest.language import detect_language
from ingest.rules import split_language_row


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
