"""Written Parquet is read back the same by pyarrow.dataset, pandas, polars and DuckDB."""

from __future__ import annotations

import hashlib

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
from conftest import write_parquet

from ingest.output.dataset import load_seen_index
from ingest.output.layout import open_output
from ingest.output.parquet import RunInfo, documents_table, rejects_table
from ingest.records import Caption, Document, Reject, Removal

DOCS = [
    Document(
        doc_id=f"{i:032x}",
        source=f"s{i}.txt",
        title=None if i % 2 else f"Title {i}",
        language="en",
        body=f"Paragraph one of {i}.\n\nParagraph two “quoted” — ok.",
        captions=(Caption(text=f"Photo {i}", credit=None if i % 2 else "AP Photo/X", position=1),)
        if i % 3 == 0
        else (),
        removed=(Removal(text="Loading", rule="trailing_widget_word"),),
        encoding="utf-8",
        fixes=("ftfy:encode:sloppy-windows-1252",) if i == 1 else (),
        content_sha256=hashlib.sha256(str(i).encode()).hexdigest(),
        input_bytes=100 + i,
        paragraph_count=2,
    )
    for i in range(7)
]


def write_output(tmp_path):
    run = RunInfo.start()
    write_parquet(documents_table(DOCS[:4], run), tmp_path / "documents", "part-a.parquet")
    write_parquet(documents_table(DOCS[4:], run), tmp_path / "documents", "part-b.parquet")
    rejects = [
        Reject("bad.bin", "binary_content", "Not text.", b"\x89PNG\r\n\x00", doc_id="f" * 32)
    ]
    write_parquet(rejects_table(rejects, run), tmp_path / "rejects", "part-a.parquet")
    return tmp_path


def normalise(rows):
    def plain(value):
        if hasattr(value, "tolist"):
            value = value.tolist()
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, float) and value != value:  # pandas shows a missing string as NaN
            return None
        return value

    keep = ("doc_id", "title", "body", "captions", "removed", "fixes", "input_bytes")
    return sorted(({k: plain(r[k]) for k in keep} for r in rows), key=lambda r: r["doc_id"])


def test_all_readers_agree(tmp_path) -> None:
    out = write_output(tmp_path)
    expected = normalise(ds.dataset(out / "documents", format="parquet").to_table().to_pylist())
    assert len(expected) == len(DOCS)
    assert expected[1]["fixes"] == ["ftfy:encode:sloppy-windows-1252"]
    assert expected[0]["captions"] == [{"text": "Photo 0", "credit": "AP Photo/X", "position": 1}]

    from_pandas = pd.read_parquet(out / "documents").to_dict("records")
    from_polars = pl.read_parquet(str(out / "documents" / "**" / "*.parquet")).to_dicts()
    relation = duckdb.sql(f"select * from read_parquet('{out}/documents/**/*.parquet')")
    from_duckdb = [dict(zip(relation.columns, row, strict=True)) for row in relation.fetchall()]
    for rows in (from_pandas, from_polars, from_duckdb):
        assert normalise(rows) == expected


def test_rejects_keep_bytes_exactly(tmp_path) -> None:
    out = write_output(tmp_path)
    (row,) = pq.read_table(out / "rejects").to_pylist()
    assert row["raw"] == b"\x89PNG\r\n\x00"
    assert (row["reason"], row["input_bytes"]) == ("binary_content", 7)
    assert row["processed_at"] is not None


def test_seen_index_reads_ids_of_documents_and_rejects(tmp_path) -> None:
    index = load_seen_index(open_output(write_output(tmp_path)))
    for doc in DOCS:
        assert index.is_known(doc.doc_id)
        assert index.kept_for(doc.content_sha256) == doc.doc_id
    assert index.is_known("f" * 32)  # a reject's id
    assert not index.is_known("e" * 32)
    assert index.kept_for("e" * 64) is None


def test_seen_index_keeps_the_first_copy_and_adds_new_ones() -> None:
    from ingest.output.dataset import SeenIndex

    index = SeenIndex()
    index.add("a" * 32, "c" * 64)
    index.add("b" * 32, "c" * 64)
    assert index.kept_for("c" * 64) == "a" * 32
    assert index.doc_ids == {"a" * 32, "b" * 32}


def test_atomic_write_leaves_no_temporary_file(tmp_path) -> None:
    out = write_output(tmp_path)
    leftovers = [p.name for p in (out / "documents").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_all_null_titles_keep_the_string_type(tmp_path) -> None:
    docs = [d for d in DOCS if d.title is None]
    path = write_parquet(documents_table(docs, RunInfo.start()), tmp_path, "p.parquet")
    assert str(pq.read_schema(path).field("title").type) == "string"


def test_a_batch_view_shares_what_was_loaded_but_not_what_others_added(tmp_path) -> None:
    index = load_seen_index(open_output(write_output(tmp_path)))
    first = index.for_batch()
    first.add("a" * 32, "c" * 64)
    second = index.for_batch()
    assert first.doc_ids == {"a" * 32} and second.doc_ids == set()
    assert second.is_known(DOCS[0].doc_id)


def test_a_table_without_records_is_an_empty_dataset_every_reader_opens(tmp_path) -> None:
    from ingest.output.layout import EMPTY_FILE_NAME
    from ingest.output.parquet import write_missing_datasets
    from ingest.output.schema import load_schema

    out = tmp_path / "out"
    run = RunInfo.start()
    write_parquet(documents_table(DOCS[:2], run), out / "documents", "part-a.parquet")
    written = write_missing_datasets(open_output(out))
    assert written == [str(out / "rejects" / EMPTY_FILE_NAME)]
    assert write_missing_datasets(open_output(out)) == []  # a re-run writes no second one
    assert sorted(p.name for p in (out / "documents").iterdir()) == ["part-a.parquet"]

    columns = load_schema("rejects").names
    table = ds.dataset(out / "rejects", format="parquet").to_table()
    assert (table.num_rows, table.schema.names) == (0, columns)
    frame = pd.read_parquet(out / "rejects")
    assert (len(frame), list(frame.columns)) == (0, columns)
    frame = pl.read_parquet(str(out / "rejects" / "**" / "*.parquet"))
    assert (frame.height, frame.columns) == (0, columns)
    relation = duckdb.sql(f"select * from read_parquet('{out}/rejects/**/*.parquet')")
    assert (relation.fetchall(), relation.columns) == ([], columns)
    assert load_seen_index(open_output(out)).is_known(DOCS[0].doc_id)
