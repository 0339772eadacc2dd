"""An output on object storage behaves like a local folder: tested against a real S3 server.

The server is moto's, started on 127.0.0.1 by the ``s3_server`` fixture; the AWS variables point
every S3 client (pyarrow's in the library, boto3 here) at it and nowhere else.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pytest
from conftest import SEED, write_parquet

from ingest.output.compaction import compact_output, recover_compactions
from ingest.output.dataset import load_seen_index
from ingest.output.layout import DOCUMENTS, JOURNAL, open_output
from ingest.output.lock import OutputLockedError, output_lock
from ingest.output.manifest import drop_known_files
from ingest.output.parquet import RunInfo, documents_table
from ingest.output.settle import drop_superseded, reject_run_duplicates
from ingest.output.store import StorageError, UnknownSchemeError, open_store
from ingest.read.files import find_input_files
from ingest.run.batches import process_files, write_batch_files

INGEST = [sys.executable, "-m", "ingest"]
STAMP_COLUMNS = {"run_id", "processed_at"}
ARTICLE = "A headline about {topic}\n\n" + "\n\n".join(
    f"Paragraph {i} about {{topic}}: long enough to be a real paragraph of prose, with a few "
    "clauses, a number or two and a full stop at the end."
    for i in range(4)
)


def make_corpus(folder):
    """Eight articles, one repeated byte for byte in another file, an empty file, the seed."""
    folder.mkdir(parents=True)
    for i in range(8):
        (folder / f"a{i}.txt").write_text(ARTICLE.format(topic=f"topic {i}"), encoding="utf-8")
    (folder / "a9-copy.txt").write_bytes((folder / "a3.txt").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    return folder


def s3_keys(bucket, prefix):
    """Every object key under ``prefix`` (directory markers included), and open uploads."""
    import boto3

    client = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
    listing = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    uploads = client.list_multipart_uploads(Bucket=bucket, Prefix=prefix)
    return [o["Key"] for o in listing.get("Contents", [])], uploads.get("Uploads", [])


def rows(location, table):
    """A table's rows (without the run stamp), read with pyarrow.dataset, sorted."""
    filesystem, path = None, f"{location}/{table}"
    if str(location).startswith("s3://"):  # pyarrow's own S3 client, not ingest's store
        filesystem, path = pafs.FileSystem.from_uri(path)
    elif "://" in str(location):
        store = open_store(location)
        filesystem, path = store.filesystem, store.path(table)
    data = ds.dataset(path, format="parquet", filesystem=filesystem).to_table()
    keep = [c for c in data.column_names if c not in STAMP_COLUMNS]
    return sorted(data.select(keep).to_pylist(), key=lambda r: (r["doc_id"] or "", r["source"]))


def write_run(inputs, location, batch_size=2):
    """One run the way the flow does it, batch by batch, without Prefect."""
    out = open_output(location)
    run = RunInfo.start()
    files, known = drop_known_files(find_input_files([inputs]), out)
    for index in range(0, len(files), batch_size):
        batch = files[index : index + batch_size]
        documents, rejects, _ = process_files(
            batch, load_seen_index(out, exclude_runs=[run.run_id])
        )
        write_batch_files([*documents, *rejects], out, run, index, files=batch)
    reject_run_duplicates(out, run, [run.run_id], files, max_bytes=10_000_000)
    return run, files, known


def test_library_round_trip_matches_a_local_output(tmp_path, s3_bucket) -> None:
    inputs = make_corpus(tmp_path / "in")
    local, remote = tmp_path / "out", f"s3://{s3_bucket}/articles"
    write_run(inputs, local)
    _, files, known = write_run(inputs, remote)
    assert (len(files), known) == (11, 0)
    for table in ("documents", "rejects"):
        assert rows(remote, table) == rows(local, table)
    # Re-running finds every input in the remote manifest, and every doc_id in its index.
    _, files, known = write_run(inputs, remote)
    assert (len(files), known) == (0, 11)
    index = load_seen_index(open_output(remote))
    assert len(index.known_ids) == len(rows(local, "documents")) + len(rows(local, "rejects"))


def test_force_replaces_old_records_on_s3(tmp_path, s3_bucket) -> None:
    inputs = make_corpus(tmp_path / "in")
    out = f"s3://{s3_bucket}/forced"
    write_run(inputs, out)
    before = {t: rows(out, t) for t in ("documents", "rejects")}
    assert (len(before["documents"]), len(before["rejects"])) == (9, 2)  # the copy, empty.txt
    run = RunInfo.start()
    files = find_input_files([inputs])
    output = open_output(out)
    documents, rejects, _ = process_files(files, load_seen_index(output), skip_known=False)
    write_batch_files([*documents, *rejects], output, run, 0, files=files)
    assert drop_superseded(output, [run.run_id], force=True) == 11
    assert {t: rows(out, t) for t in before} == before
    run_ids = ds.dataset(f"{s3_bucket}/forced/documents", filesystem=open_store(out).filesystem)
    assert set(run_ids.to_table(columns=["run_id"]).column("run_id").to_pylist()) == {run.run_id}


def test_compaction_and_its_recovery_on_s3(tmp_path, s3_bucket) -> None:
    inputs = make_corpus(tmp_path / "in")
    out = f"s3://{s3_bucket}/compacted"
    write_run(inputs, out, batch_size=1)
    before = {t: rows(out, t) for t in ("documents", "rejects")}
    results = compact_output(open_output(out), target_bytes=10**9)
    assert {r.folder: r.files_after for r in results} == {
        "documents": 1,
        "rejects": 1,
        "_manifest": 1,
    }
    assert {t: rows(out, t) for t in before} == before
    keys, uploads = s3_keys(s3_bucket, "compacted/")
    assert uploads == []
    assert not [k for k in keys if k.rsplit("/", 1)[-1].startswith(".")]
    assert not [k for k in keys if k.startswith(f"compacted/{JOURNAL}/") and k[-1] != "/"]

    # A compaction killed after its new file was uploaded is finished by recovery.
    output = open_output(out)
    (old,) = output.files(DOCUMENTS)
    table = output.store.read_table(old)
    write_parquet(table, f"{out}/documents", "part-compacted-new.parquet")
    entry = {"id": "k", "folder": "documents", "new": "part-compacted-new.parquet"}
    entry["old"] = [old.rsplit("/", 1)[-1]]
    output.store.write_bytes(output.journal_file("k"), json.dumps(entry).encode())
    assert recover_compactions(output) == 1
    assert rows(out, "documents") == before["documents"]


def test_a_failed_write_leaves_no_object(s3_bucket) -> None:
    store = open_store(f"s3://{s3_bucket}/partial")
    table = documents_table([], RunInfo.start())
    with pytest.raises(RuntimeError), store.parquet_writer(store.path("p.parquet"), table.schema):
        raise RuntimeError("killed mid-write")
    assert s3_keys(s3_bucket, "partial/") == ([], [])


def test_lock_keeps_a_second_writer_on_this_machine_off_the_prefix(s3_bucket) -> None:
    out = f"s3://{s3_bucket}/locked"
    with output_lock(open_output(out)), pytest.raises(OutputLockedError, match="being written"):
        with output_lock(open_output(out + "/")):
            pass
    with output_lock(open_output(out)):  # released: free again
        pass


def test_location_errors_are_one_clean_line(s3_env) -> None:
    with pytest.raises(UnknownSchemeError, match="unknown output scheme nope://"):
        open_store("nope://bucket/x")
    with pytest.raises(StorageError, match=r"^bucket not found: s3://no-such-bucket "):
        open_store("s3://no-such-bucket/x").check_usable()


def test_fsspec_filesystems_work_too(tmp_path) -> None:
    pytest.importorskip("fsspec")
    inputs = make_corpus(tmp_path / "in")
    out = "memory://ingest-test/out"
    write_run(inputs, out)
    _, files, known = write_run(inputs, out)
    assert (len(files), known) == (0, 11)
    before = rows(out, "documents")
    assert compact_output(open_output(out), target_bytes=10**9)[0].files_after == 1
    assert rows(out, "documents") == before


# The command line, end to end: Prefect and its worker processes write to the S3 server too.


def run_ingest(*args, env, timeout=300):
    return subprocess.run(
        [*INGEST, *args], capture_output=True, text=True, env=env, timeout=timeout, check=False
    )


@pytest.mark.prefect
@pytest.mark.slow
def test_cli_run_rerun_force_and_compact_on_s3(cli_env, s3_bucket, tmp_path) -> None:
    env = {**cli_env, **{k: v for k, v in os.environ.items() if k.startswith("AWS_")}}
    inputs = make_corpus(tmp_path / "in")
    local, remote = tmp_path / "out", f"s3://{s3_bucket}/cli"
    options = ["--batch-files", "3", "--json"]

    done = run_ingest("run", str(inputs), "--output", str(local), *options, env=env)
    assert done.returncode == 0, done.stderr
    first = run_ingest("run", str(inputs), "--output", remote, *options, env=env)
    assert first.returncode == 0, first.stderr
    assert "ingest: warning: s3://" in first.stderr and "one writer per prefix" in first.stderr
    summary = json.loads(first.stdout)
    assert summary["files_written"] and all(
        f.startswith(f"{remote}/") for f in summary["files_written"]
    )
    for table in ("documents", "rejects"):
        assert rows(remote, table) == rows(local, table)

    again = run_ingest("run", str(inputs), "--output", remote, *options, env=env)
    assert again.returncode == 0, again.stderr
    assert (json.loads(again.stdout)["known_files"], json.loads(again.stdout)["documents"]) == (
        11,
        0,
    )
    before = {t: rows(remote, t) for t in ("documents", "rejects")}

    forced = run_ingest("run", str(inputs), "-o", remote, "--force", *options, env=env)
    assert forced.returncode == 0, forced.stderr
    assert {t: rows(remote, t) for t in before} == before

    compacted = run_ingest("compact", remote, "--json", env=env)
    assert compacted.returncode == 0, compacted.stderr
    assert {r["folder"]: r["files_after"] for r in json.loads(compacted.stdout)} == {
        "documents": 1,
        "rejects": 1,
        "_manifest": 1,
    }
    assert {t: rows(remote, t) for t in before} == before
    keys, uploads = s3_keys(s3_bucket, "cli/")
    assert uploads == []
    assert not [k for k in keys if k.rsplit("/", 1)[-1].startswith(".")]
    assert not [k for k in keys if "/_compaction/" in k and not k.endswith("/")]


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (
            ["run", str(SEED), "--output", "s3://no-such-bucket/p"],
            1,
            "ingest: error: bucket not found: s3://no-such-bucket (create it first)",
        ),
        (
            ["compact", "s3://no-such-bucket/p"],
            1,
            "ingest: error: bucket not found: s3://no-such-bucket (create it first)",
        ),
        (
            ["run", str(SEED), "--output", "nope://bucket/p"],
            2,
            "ingest: error: unknown output scheme nope://",
        ),
    ],
)
def test_cli_location_errors(s3_env, argv, code, message) -> None:
    result = run_ingest(*argv, env=dict(os.environ), timeout=60)
    assert (result.returncode, result.stderr) == (code, message + "\n")
    assert result.stdout == ""


def test_cli_refused_credentials_are_one_line(s3_env, s3_bucket) -> None:
    import urllib.request

    def require_auth(count: str) -> None:
        url = f"{s3_env['AWS_ENDPOINT_URL']}/moto-api/reset-auth"
        headers = {"Content-Type": "text/plain"}  # a form body would reach moto empty
        request = urllib.request.Request(url, data=count.encode(), headers=headers)
        urllib.request.urlopen(request, timeout=10).close()

    require_auth("0")  # from now on the server checks credentials (ours are not its users')
    try:
        result = run_ingest(
            "run", str(SEED), "--output", f"s3://{s3_bucket}/p", env=dict(os.environ)
        )
    finally:
        require_auth("inf")
    assert result.returncode == 1, result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"ingest: error: cannot reach s3://{s3_bucket}/p: ")
    assert "AWS Error ACCESS_DENIED" in line
    assert "Traceback" not in result.stderr


def test_file_urls_are_local_folders(tmp_path) -> None:
    from ingest.cli import check_output_location

    output, store = check_output_location(f"file://{tmp_path}/out/")
    assert (output, store.local) == (str(tmp_path / "out"), True)
    assert check_output_location("out/")[0] == "out"  # as before: the path, normalised
