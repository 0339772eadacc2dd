"""The README's claims hold: its load lines run on a real output, its commands are the ones CI runs."""

from __future__ import annotations

import re

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
# A fenced code block and its language tag.
FENCE_RE = re.compile(r"```(?P<lang>\w*)\n(?P<code>.*?)```", re.DOTALL)


def fenced_blocks(lang: str = "", section: str | None = None) -> list[str]:
    """The README's fenced blocks in ``lang``, only those under ``## section`` when given."""
    text = README if section is None else README.split(f"## {section}\n", 1)[1].split("\n## ")[0]
    return [m["code"] for m in FENCE_RE.finditer(text) if m["lang"] == lang]


def test_first_two_commands_set_up_run_and_test() -> None:
    first, second = fenced_blocks()[:2]
    assert "pip install ." in first and "ingest run seeds/ --output out/" in first
    assert "pytest" in second
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert second.strip() in ci


def test_load_lines_read_a_real_output(tmp_path, monkeypatch) -> None:
    from ingest.output.dataset import SeenIndex
    from ingest.output.layout import open_output
    from ingest.output.parquet import RunInfo
    from ingest.read.files import find_input_files
    from ingest.run.batches import process_files, write_batch_files

    out = tmp_path / "out"
    documents, rejects, _ = process_files(find_input_files([REPO / "seeds"]), SeenIndex())
    write_batch_files([*documents, *rejects], open_output(out), RunInfo.start(), 0)
    monkeypatch.chdir(tmp_path)
    (code,) = fenced_blocks("python", section="Load the output")
    namespace: dict[str, object] = {}
    exec(code, namespace)
    assert namespace["table"].num_rows == 1
    assert len(namespace["df"]) == 1  # polars, the last of the two `df` lines
    assert namespace["rel"].fetchall()[0][0].startswith("Disaffection grows")


def test_reference_tables_match_the_code() -> None:
    from ingest.reference import BEGIN, END, render_reference

    start, end = README.index(BEGIN), README.index(END) + len(END)
    assert README[start:end] == render_reference(), (
        "README's reference tables are stale: regenerate them (see ingest/reference.py)"
    )
