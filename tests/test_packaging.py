"""The installed package carries the flow and the schemas, and they are the repository's."""

from __future__ import annotations

import filecmp
from pathlib import Path

from conftest import REPO


def test_installed_flow_is_current() -> None:
    import ingest_flows

    installed = Path(ingest_flows.__file__).parent
    for source in (REPO / "flows").glob("*.py"):
        assert filecmp.cmp(source, installed / source.name, shallow=False), (
            f"the installed copy of flows/{source.name} is stale: re-run pip install"
        )


def test_installed_schemas_are_current() -> None:
    from ingest.schema import find_schema_dir

    folder = find_schema_dir()
    for source in (REPO / "schemas").glob("*.json"):
        assert filecmp.cmp(source, folder / source.name, shallow=False), source.name
