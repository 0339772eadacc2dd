"""The doctests of every module of the installed ``ingest`` package.

Run from here (not with --doctest-modules over src/) so they test the package as installed,
the same code the rest of the suite imports.
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


def test_modules_were_found() -> None:
    assert {"ingest.pipeline", "ingest.repair.fixes", "ingest.structure.extract"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_module_doctests(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctests failed in {name}"
