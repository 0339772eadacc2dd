"""Output locations: what each form names, and the ones refused in one line before any work."""

from __future__ import annotations

import pytest

from ingest.output.layout import open_output
from ingest.output.lock import OutputLockedError, output_lock
from ingest.output.store import UnknownSchemeError, open_store


@pytest.mark.parametrize(
    ("location", "root"),
    [
        ("out", "out"),
        ("file:///tmp/out", "/tmp/out"),
        ("file://localhost/tmp/out", "/tmp/out"),
        ("FILE:///tmp/a%20b", "/tmp/a b"),
    ],
)
def test_local_forms_name_the_folder(location, root) -> None:
    store = open_store(location)
    assert store.local
    assert store.root == root


@pytest.mark.parametrize(
    "location",
    [
        "file:///tmp/a#b",  # a fragment would be dropped: the output would land in /tmp/a
        "file://otherhost/tmp/out",
        "file://out",
        "file:///tmp/out?x=1",
        "s3://bucket/a#b",
    ],
)
def test_locations_that_would_go_elsewhere_are_refused(location) -> None:
    with pytest.raises(UnknownSchemeError):
        open_store(location)


def test_an_s3_location_without_a_bucket_is_refused(s3_env) -> None:
    with pytest.raises(UnknownSchemeError, match="no bucket"):
        open_store("s3://")


def test_a_link_planted_at_the_lock_name_is_refused_not_followed(tmp_path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (out / ".ingest.lock").symlink_to(victim)
    with (
        pytest.raises(OutputLockedError, match="cannot use the lock file"),
        output_lock(open_output(out)),
    ):
        pass
    assert victim.read_text() == "precious"
