"""The installed package carries the flow and the schemas, and they are the repository's."""

from __future__ import annotations

import filecmp
from pathlib import Path

from conftest import REPO


def test_installed_flow_is_current() -> None:
    import ingest_flows

    installed = Path(ingest_flows.__file__).parent
    for source in [*(REPO / "flows").glob("*.py"), *(REPO / "flows").glob("*.yml")]:
        assert filecmp.cmp(source, installed / source.name, shallow=False), (
            f"the installed copy of flows/{source.name} is stale: re-run pip install"
        )


def test_installed_schemas_are_current() -> None:
    from ingest.output.schema import find_schema_dir

    folder = find_schema_dir()
    for source in (REPO / "schemas").glob("*.json"):
        assert filecmp.cmp(source, folder / source.name, shallow=False), source.name


def test_wheel_ships_flow_schemas_and_entry_point(tmp_path) -> None:
    """A wheel install (what users get) carries the flow and the schemas, not just src/."""
    import subprocess
    import sys
    import zipfile

    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = tmp_path.glob("ingest-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "ingest_flows/ingest_flow.py" in names
    assert "ingest_flows/runtime.py" in names
    assert "ingest_flows/launch.py" in names
    assert "ingest_flows/logging.yml" in names
    for schema in ("documents", "rejects", "manifest"):
        assert f"ingest/schemas/{schema}.v1.json" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    declared = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "ingest = ingest.cli:main" in declared
    # How the CLI finds the flow without importing it (ingest.run.runner.RUNNER_GROUP).
    assert "[ingest.runners]\nprefect = ingest_flows.launch:PrefectRunner" in declared
