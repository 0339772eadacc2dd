"""The doctests of every module of the installed ``ingest`` package.

Run from here (not with --doctest-modules over src/) so they test the package as installed,
the same code the rest of the suite imports. A module without a doctest fails, unless it is in
``WITHOUT_DOCTESTS`` with the reason it has no small pure function worth one.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ingest

MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(ingest.__path__, prefix="ingest.")
    if not info.name.endswith("__main__")
)

PACKAGE_DOCSTRING_ONLY = "a package's __init__: its docstring, no code"
WITHOUT_DOCTESTS = {
    "ingest.output": PACKAGE_DOCSTRING_ONLY,
    "ingest.read": PACKAGE_DOCSTRING_ONLY,
    "ingest.repair": PACKAGE_DOCSTRING_ONLY,
    "ingest.run": PACKAGE_DOCSTRING_ONLY,
    "ingest.integrations": PACKAGE_DOCSTRING_ONLY,
    "ingest.records": "frozen dataclasses only, no behaviour to show",
    "ingest.reasons": "a table of reason codes, no function",
    "ingest.output.manifest": "reads and writes Parquet under OUT; tested in tests/output",
}


def test_modules_were_found() -> None:
    assert {"ingest.pipeline", "ingest.repair.fixes", "ingest.structure.extract"} <= set(MODULES)


def test_allow_list_names_only_modules_that_exist() -> None:
    assert set(WITHOUT_DOCTESTS) <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctests failed in {name}"
    if name not in WITHOUT_DOCTESTS:
        assert result.attempted > 0, f"{name} has no doctest (or add it to WITHOUT_DOCTESTS)"
