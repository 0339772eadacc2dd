"""ingest as a step of a datatrove pipeline, run by datatrove's own LocalPipelineExecutor."""

from __future__ import annotations

import gzip
import json

import pytest
from conftest import SEED

pytest.importorskip("datatrove", reason="needs the datatrove extra: ingest[datatrove]")


def read_jsonl_gz(folder) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            rows += [json.loads(line) for line in lines]
    return rows


def test_a_datatrove_pipeline_repairs_structures_and_drops_what_ingest_rejects(tmp_path) -> None:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter

    import ingest
    from ingest.integrations.datatrove import IngestStep

    seed = SEED.read_text(encoding="utf-8")
    mojibake = "Trumpâ€™s speech went on. " * 12
    source = tmp_path / "in"
    source.mkdir()
    records = [{"id": "seed", "text": seed}, {"id": "moji", "text": mojibake}]
    records.append({"id": "empty", "text": "   "})
    (source / "pages.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8"
    )
    step = IngestStep(exclusion_writer=JsonlWriter(str(tmp_path / "dropped")))
    executor = LocalPipelineExecutor(
        pipeline=[JsonlReader(str(source)), step, JsonlWriter(str(tmp_path / "out"))],
        tasks=1,
        logging_dir=str(tmp_path / "logs"),
    )
    executor.run()

    kept = {row["id"]: row for row in read_jsonl_gz(tmp_path / "out")}
    assert sorted(kept) == ["moji", "seed"]
    expected = ingest.process_text(seed, source="seed")
    assert kept["seed"]["text"] == expected.body
    meta = kept["seed"]["metadata"]
    assert (
        meta["title"]
        == expected.title
        == ("Disaffection grows in US military amid ICE raids and domestic deployments")
    )
    assert meta["language"] == "en"
    assert [c["credit"] for c in meta["captions"]] == ["AP Photo/Noah Berger", None]
    assert [r["rule"] for r in meta["removed"]] == [r.rule for r in expected.removed]
    assert kept["moji"]["text"].startswith("Trump’s speech went on.")

    (dropped,) = read_jsonl_gz(tmp_path / "dropped")
    assert dropped["id"] == "empty"
    assert dropped["metadata"]["ingest_reject_reason"] == ingest.process_text("   ").reason
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text(encoding="utf-8"))
    (counts,) = [s["stats"] for s in stats if s["name"].startswith("✂️ - FORMAT: ingest")]
    assert counts["total"] == 3 and counts["forwarded"] == 2 and counts["dropped"] == 1
    assert counts[f"dropped_{dropped['metadata']['ingest_reject_reason']}"] == 1
    assert counts["removed_language_switcher_label"] == 1
