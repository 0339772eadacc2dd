"""py3langid's classifier, with its byte automaton walked in NumPy instead of a Python loop.

py3langid scores a text by walking a DFA over its UTF-8 bytes, one Python step per byte
(``visit_counts``), and counting the feature each state outputs. That DFA is the Aho-Corasick
automaton of a trie at most :data:`WINDOW` bytes deep: the state after a byte is the trie node
with the longest key that is a suffix of the bytes read so far.
So the state after byte ``i`` is also the state reached by walking from the root over bytes
``i - WINDOW + 1 .. i`` alone, and :data:`WINDOW` vectorised steps give the states of every
position at once. This was checked on all 26,773,248 transitions of the model whose SHA-256 is
:data:`VERIFIED_MODEL_SHA256`; any other model file falls back to ``py3langid.classify``.

Everything after the walk repeats py3langid 0.4.0's arithmetic exactly (the same feature order,
dtypes and operations), so :func:`classify` returns what ``py3langid.classify(text)[0]`` returns;
``tests/structure/test_language.py`` pins that, and the scores bit for bit, on generated text.
One step is done differently with the same result: the float16 rows of the feature table are
widened to float32 by bit arithmetic (:func:`widen_half`, exact for every entry of the model,
which holds only normal numbers), because NumPy's float16 cast was the largest cost of scoring.

Memory: only the arrays the walk and the scores need are kept (the transition table, the feature
table in float16, one output per state), without py3langid's copies as Python lists and ``array``
objects.
"""

from __future__ import annotations

import hashlib
import lzma
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import py3langid
from py3langid import langid

# The trie under py3langid's automaton is this many bytes deep (its longest feature).
WINDOW = 6
# The model file the automaton was checked against (py3langid 0.4.0's data/model.npz.xz).
VERIFIED_MODEL_SHA256 = "f4f4a2c3465ca1f081541037f9cac23021d68151c2f709c55ae5eedfca522963"
# py3langid's score for a class that cannot win (an alias column, a featureless text).
RAW_FLOOR = np.float32(np.finfo(np.float32).min)
# float16 -> float32 by bit arithmetic, exact for normal numbers: the 5-bit exponent (bias 15)
# and 10-bit mantissa move up 13 bits, and the bias difference (127 - 15 = 112) is added to the
# exponent. NumPy's own cast of the feature table was the largest cost of scoring.
HALF_EXPONENT_MASK = 0x7C00
HALF_MAGNITUDE_MASK = 0x7FFF
HALF_SIGN_MASK = 0x8000
HALF_TO_SINGLE_BIAS = 112 << 23
# Entries of the feature table checked at a time when it is loaded (a few MB of temporaries).
CHECK_BLOCK = 1 << 20


@dataclass(frozen=True, slots=True)
class Model:
    """The parts of py3langid's model that classification reads."""

    nextmove: np.ndarray  # uint32, 256 entries per distinct row: the next state per byte
    state_row: np.ndarray  # uint16: each state's row in ``nextmove``
    output: np.ndarray  # int32: each state's feature, or -1
    ptc: np.ndarray  # float16 (features, classes): log P(feature | class)
    pc: np.ndarray  # float32 (classes,): log P(class)
    classes: tuple[str, ...]
    # (first, duplicate) columns of labels that appear twice (srl -> sr).
    alias_pairs: tuple[tuple[int, int], ...]
    # Whether every entry of ``ptc`` is a normal float16 (no zero, subnormal, inf or NaN), so
    # that widen_half converts it exactly.
    ptc_is_normal: bool


def model_path() -> Path:
    """py3langid's bundled model file."""
    return Path(langid.MODEL_DIR) / langid.MODEL_FILE


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, in hex."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def find_alias_pairs(classes: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """(first, duplicate) column pairs for labels that appear more than once (as py3langid).

    >>> find_alias_pairs(("en", "sr", "de", "sr"))
    ((1, 3),)
    """
    first: dict[str, int] = {}
    pairs = []
    for index, label in enumerate(classes):
        if label in first:
            pairs.append((first[label], index))
        else:
            first[label] = index
    return tuple(pairs)


def read_model(path: Path) -> Model:
    """Read a py3langid model file (an LZMA-compressed npz) into the arrays classification uses."""
    # Decompress to a temporary file, as py3langid does, so the npz is never resident twice.
    with tempfile.TemporaryFile(suffix=".npz") as tmp:
        with lzma.open(path) as source:
            shutil.copyfileobj(source, tmp, length=1 << 20)
        tmp.seek(0)
        with np.load(tmp, allow_pickle=False) as data:
            classes = tuple(str(label) for label in data["classes"].tolist())
            ptc = data["ptc"]
            return Model(
                nextmove=data["nextmove"],
                state_row=data["nextmove_row"],
                output=data["out_feat"],
                ptc=ptc,
                pc=data["pc"],
                classes=classes,
                alias_pairs=find_alias_pairs(classes),
                ptc_is_normal=is_all_normal_half(ptc),
            )


def is_all_normal_half(table: np.ndarray) -> bool:
    """Whether every entry of a float16 array is a normal number (exponent neither 0 nor 31).

    >>> is_all_normal_half(np.array([1.0, -2.5], np.float16))
    True
    >>> is_all_normal_half(np.zeros(1, np.float16))
    False
    """
    bits = table.view(np.uint16).reshape(-1)
    # In blocks, so that the check's temporary arrays stay small next to the table.
    for start in range(0, len(bits), CHECK_BLOCK):
        exponent = bits[start : start + CHECK_BLOCK] & HALF_EXPONENT_MASK
        if ((exponent == 0) | (exponent == HALF_EXPONENT_MASK)).any():
            return False
    return True


def widen_half(table: np.ndarray) -> np.ndarray:
    """A float16 array of normal numbers as float32, exactly as ``table.astype(np.float32)``.

    >>> widen_half(np.array([1.0, -2.5, 65504.0], np.float16)).tolist()
    [1.0, -2.5, 65504.0]
    """
    bits = table.view(np.uint16).astype(np.int32)
    single = (bits & HALF_MAGNITUDE_MASK) << 13
    single += HALF_TO_SINGLE_BIAS
    single |= (bits & HALF_SIGN_MASK) << 16  # bit 31: wraps to the sign of the int32
    return single.view(np.float32)


@cache
def load_model() -> Model | None:
    """The bundled model, read once per process; None when it is not the verified file."""
    path = model_path()
    if file_sha256(path) != VERIFIED_MODEL_SHA256:
        return None
    return read_model(path)


def encode(text: str) -> bytes:
    """The bytes py3langid classifies for a text: lower-cased if all upper case, NFC, UTF-8."""
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


def walk_states(model: Model, data: bytes) -> np.ndarray:
    """The automaton's state after each byte of ``data`` (see the module docstring).

    Step ``k`` feeds position ``i`` its byte ``i - (WINDOW - 1 - k)``; positions whose window
    starts later stay at the root (state 0) until their first byte.
    """
    symbols = np.frombuffer(data, dtype=np.uint8).astype(np.intp)
    size = len(symbols)
    states = np.zeros(size, dtype=np.intp)
    for lag in range(WINDOW - 1, -1, -1):
        if lag >= size:
            continue
        rows = model.state_row[states[lag:]].astype(np.intp)
        states[lag:] = model.nextmove[rows * 256 + symbols[: size - lag]]
    return states


def count_features(model: Model, data: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """The features seen in ``data`` in order of first occurrence, and their counts, or None.

    The order and the counts are those of py3langid's ``Counter`` over the walk.
    """
    features = model.output[walk_states(model, data)]
    features = features[features >= 0]
    if not len(features):
        return None
    unique, first, counts = np.unique(features, return_index=True, return_counts=True)
    order = np.argsort(first)
    return unique[order].astype(np.intp), counts[order].astype(np.float32)


def score(model: Model, data: bytes) -> np.ndarray:
    """py3langid's raw score per class (``_raw_score`` and the alias folding of ``_decide``)."""
    visits = count_features(model, data)
    if visits is None:
        scores = np.full(len(model.classes), RAW_FLOOR, dtype=np.float32)
    else:
        features, counts = visits
        rows = model.ptc[features]
        # py3langid multiplies by the float16 rows, which NumPy first casts to float32.
        table = widen_half(rows) if model.ptc_is_normal else rows.astype(np.float32)
        scores = np.log1p(counts) @ table + model.pc
    for first, duplicate in model.alias_pairs:
        scores[first] = max(scores[first], scores[duplicate])
        scores[duplicate] = RAW_FLOOR
    return scores


def classify(text: str) -> str:
    """The language code py3langid gives ``text`` (``py3langid.classify(text)[0]``).

    >>> classify("Der Hund läuft schnell über die Straße und bellt, weil er Hunger hat.")
    'de'
    """
    model = load_model()
    if model is None:
        return py3langid.classify(text)[0]
    return model.classes[int(score(model, encode(text)).argmax())]
