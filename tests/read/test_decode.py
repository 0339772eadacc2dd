"""decode_and_explain: encodings found, and the reject reason for everything that is not text."""

from __future__ import annotations

import codecs
import random
import zlib

import pytest
from conftest import SEED

from ingest.errors import RejectInput
from ingest.read.decode import REPLACED_INVALID_UTF8, Decoded, decode_and_explain
from ingest.reasons import REASONS
from ingest.repair.fixes import repair_text

WESTERN = (
    "“Café society” — José’s naïve résumé… Zoë met the Ärzte in Málaga; "
    "the garçon said « à bientôt » and served crème brûlée for 12 €.\n"
)
RUSSIAN = (
    "Президент России заявил, что переговоры продолжатся на следующей неделе. "
    "Москва и Санкт-Петербург готовятся к зиме, экономика растёт.\n"
)
JAPANESE = "日本語のテキストです。東京で会議が開かれました。今日はいい天気ですね。\n"
KOREAN = "한국어 텍스트입니다. 서울에서 회의가 열렸습니다. 오늘은 날씨가 좋네요.\n"
CHINESE = "这是中文文本。会议在北京举行。今天天气很好，我们去公园散步吧。\n"
GREEK = (
    "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας. Ο πρωθυπουργός δήλωσε ότι η οικονομία αναπτύσσεται.\n"
)


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        pytest.param(codecs.BOM_UTF8 + "héllo".encode(), "héllo", "utf-8", id="utf-8-bom"),
        pytest.param("héllo".encode("utf-16"), "héllo", "utf-16", id="utf-16-bom-native"),
        pytest.param(
            codecs.BOM_UTF16_BE + "héllo".encode("utf-16-be"), "héllo", "utf-16", id="utf-16-be-bom"
        ),
        pytest.param(
            codecs.BOM_UTF16_LE + "héllo".encode("utf-16-le"), "héllo", "utf-16", id="utf-16-le-bom"
        ),
        pytest.param(
            codecs.BOM_UTF32_LE + "héllo".encode("utf-32-le"), "héllo", "utf-32", id="utf-32-le-bom"
        ),
        pytest.param(
            codecs.BOM_UTF32_BE + "héllo".encode("utf-32-be"), "héllo", "utf-32", id="utf-32-be-bom"
        ),
        pytest.param(b"Plain ASCII.", "Plain ASCII.", "utf-8", id="ascii"),
        pytest.param(WESTERN.encode(), WESTERN, "utf-8", id="utf-8"),
        pytest.param(JAPANESE.encode(), JAPANESE, "utf-8", id="utf-8-cjk"),
        pytest.param(
            ("Hello, world — " * 10).encode("utf-16-le"),
            "Hello, world — " * 10,
            "utf-16-le",
            id="utf-16-le-no-bom",
        ),
        pytest.param(
            ("Hello, world — " * 10).encode("utf-16-be"),
            "Hello, world — " * 10,
            "utf-16-be",
            id="utf-16-be-no-bom",
        ),
        pytest.param(
            ("Größe über Maß. " * 5).encode("utf-32-le"),
            "Größe über Maß. " * 5,
            "utf-32-le",
            id="utf-32-le-no-bom",
        ),
        pytest.param(
            ("Größe über Maß. " * 5).encode("utf-32-be"),
            "Größe über Maß. " * 5,
            "utf-32-be",
            id="utf-32-be-no-bom",
        ),
        pytest.param(WESTERN.encode("cp1252"), WESTERN, "cp1252", id="cp1252"),
        pytest.param(
            b"He said \x93hi\x94 at the caf\xe9.",
            "He said “hi” at the café.",
            "cp1252",
            id="cp1252-q",
        ),
        pytest.param(
            "Größe über Maß, Straße und Äpfel.".encode("latin-1"),
            "Größe über Maß, Straße und Äpfel.",
            "cp1252",  # latin-1 and cp1252 agree on these bytes; cp1252 is the label we report
            id="latin-1-as-cp1252",
        ),
        pytest.param(RUSSIAN.encode("cp1251"), RUSSIAN, "cp1251", id="cp1251"),
        pytest.param(RUSSIAN.encode("koi8-r"), RUSSIAN, "koi8-r", id="koi8-r"),
        pytest.param(JAPANESE.encode("shift_jis"), JAPANESE, "shift_jis", id="shift_jis"),
        pytest.param(KOREAN.encode("euc-kr"), KOREAN, "euc-kr", id="euc-kr"),
        pytest.param(CHINESE.encode("gb18030"), CHINESE, "gb18030", id="gb18030"),
        pytest.param(GREEK.encode("cp1253"), GREEK, "cp1253", id="cp1253"),
    ],
)
def test_decodes(raw, text, encoding):
    decoded = decode_and_explain(raw)
    assert (decoded.text, decoded.encoding) == (text, encoding)


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        pytest.param("Москва - столица России.".encode("koi8-r"), "koi8-r", id="short-koi8-r"),
        pytest.param("Zażółć gęślą jaźń.".encode("iso-8859-2"), "iso8859-2", id="iso-8859-2"),
    ],
)
@pytest.mark.xfail(strict=True, reason="charset-normalizer misdetects these (short or latin-2)")
def test_known_decoding_failures(raw, encoding):
    assert decode_and_explain(raw).encoding == encoding


def test_invalid_utf8_in_long_utf8_is_replaced_not_read_as_cp1252():
    good = ("Trump’s “deployment” — naïve café. " * 40).encode()
    raw = good[:600] + b"\x92\xff" + good[600:]
    decoded = decode_and_explain(raw)
    assert decoded.encoding == "utf-8"
    assert decoded.fixes == (REPLACED_INVALID_UTF8,)
    assert decoded.text.count("\ufffd") == 2
    assert decoded.text.replace("\ufffd", "") == good.decode()


def test_utf8_truncated_mid_character_is_utf8():
    raw = ("Zoë’s ünïcödé text’" * 20).encode()[:-1]  # cut inside the last "’"
    decoded = decode_and_explain(raw)
    assert decoded.encoding == "utf-8"
    assert decoded.text.endswith("\ufffd")


def test_plain_utf8_has_no_decoding_fixes():
    assert decode_and_explain(b"ok") == Decoded("ok", "utf-8", ())


def _random_bytes(n: int, seed: int = 1234) -> bytes:
    return random.Random(seed).randbytes(n)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        pytest.param(b"", "empty_input", id="empty"),
        pytest.param(b" \t\r\n \n", "empty_input", id="whitespace"),
        pytest.param(codecs.BOM_UTF8 + b"  \n", "empty_input", id="bom-whitespace"),
        pytest.param("\u3000 \n".encode("utf-16"), "empty_input", id="utf-16-whitespace"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + _random_bytes(200), "binary_content", id="png"),
        pytest.param(
            b"\xff\xd8\xff\xe0\x00\x10JFIF" + _random_bytes(200), "binary_content", id="jpeg"
        ),
        pytest.param(b"GIF89a\x01\x00\x01\x00" + b"abc" * 20, "binary_content", id="gif"),
        pytest.param(
            b"RIFF\x24\x00\x00\x00WEBPVP8 " + _random_bytes(64), "binary_content", id="webp"
        ),
        pytest.param(
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "binary_content", id="pdf"
        ),
        pytest.param(b"%PDF-1.4\n1 0 obj << >> endobj\n", "binary_content", id="ascii-pdf"),
        pytest.param(
            b"PK\x03\x04\x14\x00\x00\x00" + _random_bytes(100), "binary_content", id="zip"
        ),
        pytest.param(
            b"\x1f\x8b\x08\x00" + zlib.compress(b"hello" * 50), "binary_content", id="gzip"
        ),
        pytest.param(b"BZh91AY&SY" + _random_bytes(50), "binary_content", id="bzip2"),
        pytest.param(_random_bytes(4096), "binary_content", id="random"),
        pytest.param(
            _random_bytes(4096, seed=7).replace(b"\x00", b""), "binary_content", id="random-no-nul"
        ),
        pytest.param(b"\x00" * 64, "binary_content", id="nul-run"),
        pytest.param(b"text" + b"\x00" * 32 + b"more text", "binary_content", id="nul-padding"),
        pytest.param(b"Hello\x00 world, this is text.\n", "nul_bytes", id="nul-in-text"),
        pytest.param(
            ("Hello world. " * 20).encode() + b"\x00" + b"end", "nul_bytes", id="nul-in-long-text"
        ),
        pytest.param(bytes(range(0x80, 0x100)) * 4, "undecodable_bytes", id="high-bytes"),
    ],
)
def test_rejects(raw, reason):
    with pytest.raises(RejectInput) as caught:
        decode_and_explain(raw)
    assert caught.value.reason == reason
    assert caught.value.reason in REASONS
    assert caught.value.detail.endswith(".")


def test_bzh_as_a_word_is_text():
    assert decode_and_explain(b"BZh is not a signature here.") == Decoded(
        "BZh is not a signature here.", "utf-8"
    )


def seed_variants() -> dict[str, bytes]:
    """The seed as the scraper might have saved it: UTF-8, with a BOM, mojibake, UTF-16."""
    raw = SEED.read_bytes()
    text = raw.decode("utf-8")
    return {
        "utf-8": raw,
        "utf-8-bom": codecs.BOM_UTF8 + raw,
        "mojibake": text.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"),
        "utf-16": text.encode("utf-16"),
        "cp1252": text.encode("cp1252"),  # every character of the seed is in cp1252 (checked)
    }


@pytest.mark.parametrize("variant", sorted(seed_variants()))
def test_seed_variants_decode_and_repair_to_the_clean_seed(variant):
    expected, _ = repair_text(decode_and_explain(SEED.read_bytes()).text)
    text = decode_and_explain(seed_variants()[variant]).text
    assert repair_text(text)[0] == expected


def test_seed_mojibake_is_reported_as_fixed():
    decoded = decode_and_explain(seed_variants()["mojibake"])
    text = decoded.text
    assert decoded.encoding == "utf-8"
    assert "â€™" in text
    _, fixes = repair_text(text)
    assert "ftfy:encode:sloppy-windows-1252" in fixes
    assert "ftfy:decode:utf-8" in fixes
