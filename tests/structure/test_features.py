"""Paragraph features for the content model, on small synthetic texts."""

from __future__ import annotations

import numpy as np

from ingest.structure.debris import find_zones
from ingest.structure.features import BASE_NAMES, FEATURE_NAMES, paragraph_features, shape_features

PROSE = ("The council met on Tuesday and voted on the budget for the coming year. " * 3).strip()
TEXT = [
    "Menu",
    "Storm hits the coast",
    PROSE,
    PROSE.upper(),
    "Advertisement",
    PROSE,
    "Share | Tweet",
]


def features_of(
    paragraphs: list[str], kept: list[bool] | None = None, removed: dict[int, str] | None = None
) -> dict[str, np.ndarray]:
    kept = kept or [True] * len(paragraphs)
    rows = list(range(len(paragraphs)))
    zones = find_zones(paragraphs)
    matrix = paragraph_features(paragraphs, kept, removed or {}, rows, zones, frozenset({"the"}))
    assert matrix.shape == (len(paragraphs), len(FEATURE_NAMES))
    return dict(zip(FEATURE_NAMES, matrix.T, strict=True))


def test_feature_names_are_unique_and_name_every_column() -> None:
    assert len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert shape_features(["A line"], [True], frozenset()).shape == (1, len(BASE_NAMES))


def test_shape_features_tell_prose_from_a_link_row() -> None:
    f = features_of(TEXT)
    assert f["prose"].tolist() == [0, 0, 1, 1, 0, 1, 0]
    assert f["terminal_punct"][2] == 1 and f["terminal_punct"][6] == 0
    assert f["separators"][6] > 0 and f["separators"][2] == 0
    assert f["link_like"][6] == 1 and f["link_like"][2] == 0
    assert f["upper_share"][3] == 1 and f["upper_share"][2] < 0.1


def test_stopword_share_counts_the_language_list() -> None:
    f = features_of(TEXT)
    assert 0 < f["stopword_share"][2] < 1
    assert f["stopword_share"][0] == 0


def test_position_and_zones() -> None:
    f = features_of(TEXT)
    assert f["position"][0] == 0 and f["position"][-1] == 1
    assert f["in_head"].tolist() == [1, 1, 0, 0, 0, 0, 0]
    assert f["in_tail"].tolist() == [0, 0, 0, 0, 0, 0, 1]
    assert f["run_distance"][0] > f["run_distance"][1] > 0 == f["run_distance"][4]


def test_neighbours_and_missing_neighbours() -> None:
    f = features_of(TEXT)
    assert f["-1:exists"][0] == 0 and f["-2:exists"][1] == 0 and f["+1:exists"][-1] == 0
    assert f["-1:prose"][3] == 1 and f["+1:prose"][3] == 0
    assert f["-1:log_chars"][0] == 0


def test_kept_flags_of_neighbours() -> None:
    kept = [False, True, True, True, False, True, True]
    f = features_of(TEXT, kept)
    assert f["+1:kept"][3] == 0 and f["-1:kept"][5] == 0 and f["-1:kept"][1] == 0
    assert f["kept_window"][0] < 1


def test_the_rules_verdicts_on_neighbours_are_features() -> None:
    kept = [True, True, True, True, False, True, False]
    removed = {4: "advertisement_label", 6: "share_row"}
    f = features_of(TEXT, kept, removed)
    assert f["+1:rule:labels"].tolist() == [0, 0, 0, 1, 0, 0, 0]
    assert f["-1:rule:labels"].tolist() == [0, 0, 0, 0, 0, 1, 0]
    assert f["+1:rule:sharing"][5] == 1 and f["+2:rule:sharing"][4] == 1
    assert f["-2:rule:labels"][0] == 0


def test_character_counts_are_read_from_the_text() -> None:
    f = features_of(["ÄBC déf 12", "a, b. c; d!", "x " * 5])
    assert f["upper_share"][0] == 0.5 and f["capitalised_words"][0] == 1 / 3
    assert f["digit_share"][0] == 0.2
    assert f["punct_per_word"][1] == 1.0
    assert f["capitalised_words"][2] == 0 and f["upper_share"][2] == 0


def test_repetition_elsewhere_in_the_text() -> None:
    f = features_of(TEXT)
    assert f["repeats"][2] > 0 and f["repeats"][5] > 0 and f["repeats"][3] == 0


def test_rows_select_paragraphs() -> None:
    zones = find_zones(TEXT)
    kept = [True] * len(TEXT)
    everything = paragraph_features(TEXT, kept, {}, range(len(TEXT)), zones, frozenset())
    some = paragraph_features(TEXT, kept, {}, [4, 1], zones, frozenset())
    assert np.array_equal(some, everything[[4, 1]])


def test_each_neighbour_column_is_that_neighbours_own_value() -> None:
    kept = [True, False, True, True, True, False, True]
    removed = {1: "head_label", 5: "share_row"}
    f = features_of(TEXT, kept, removed)
    for offset in (-2, -1, 1, 2):
        for row in range(len(TEXT)):
            at = row + offset
            inside = 0 <= at < len(TEXT)
            assert f[f"{offset:+d}:exists"][row] == float(inside)
            for name in ("log_chars", "terminal_punct", "link_like", "stopword_share", "kept"):
                assert f[f"{offset:+d}:{name}"][row] == (f[name][at] if inside else 0.0)
            assert f[f"{offset:+d}:rule:labels"][row] == float(removed.get(at) == "head_label")
