"""Reading speed of WARC input: records/s and MB/s over a generated WARC, in one process.

Builds a ``.warc.gz`` of about ``--mb`` MB (gzipped record by record, as crawlers write it) from
the pages under ``--source``: for each page a request record and an HTTP response record, each
copy made unique, and every 20th response an image. Then it times, in CPU seconds of this
process:

- ``ingest``: ``ingest.read.warc.read_warc_file``, what ``ingest run`` reads the file with
  (payloads, offsets, url and date; the pages' text is not processed);
- ``warcio``: warcio's own iteration, reading each record's payload, the floor of the above;
- ``fastwarc``: FastWARC's iteration reading each payload, when ``fastwarc`` is installed
  (it is not a dependency; ``pip install fastwarc`` to compare).

Example (from the repository root):

    .venv/bin/python scripts/bench_warc.py --source ../shared/eval-dev/inputs/html --mb 50
"""

from __future__ import annotations

import argparse
import io
import json
import tempfile
import time
from pathlib import Path

from warcio.archiveiterator import WARCIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.read.warc import read_warc_file

REPO = Path(__file__).resolve().parent.parent
IMAGE = b"\x89PNG\r\n\x1a\n" + bytes(20_000)


def build_warc(source: Path, target: Path, megabytes: float) -> dict[str, int]:
    """Write a WARC of about ``megabytes`` (compressed) from the pages under ``source``."""
    pages = [p.read_bytes() for p in sorted(source.rglob("*")) if p.is_file()]
    if not pages:
        msg = f"no pages under {source}"
        raise SystemExit(msg)
    responses = payload_bytes = 0
    with target.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        while out.tell() < megabytes * 1_000_000:
            page = pages[responses % len(pages)]
            url = f"http://example.com/{responses}"
            body = IMAGE if responses % 20 == 19 else page + f"<!-- copy {responses} -->".encode()
            kind = "image/png" if body is IMAGE else "text/html; charset=utf-8"
            request = StatusAndHeaders(f"GET /{responses} HTTP/1.1", [], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(
                    url, "request", payload=io.BytesIO(b""), http_headers=request
                )
            )
            http = StatusAndHeaders("200 OK", [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http
                )
            )
            responses += 1
            payload_bytes += len(body)
    return {"responses": responses, "records": 2 * responses, "payload_bytes": payload_bytes}


def time_ingest(path: Path) -> int:
    return sum(1 for _ in read_warc_file(str(path), path.name, 256 * 1024 * 1024))


def time_warcio(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        for record in WARCIterator(handle):
            record.content_stream().read()
            count += 1
    return count


def time_fastwarc(path: Path) -> int:
    from fastwarc.warc import ArchiveIterator

    count = 0
    with path.open("rb") as handle:  # gzip detected; chunked and Content-Encoding undone
        for record in ArchiveIterator(handle, parse_http=True, auto_decode="all"):
            record.reader.read()
            count += 1
    return count


def measure(name: str, run, path: Path, info: dict[str, int]) -> dict[str, object]:
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        count = run(path)
        best = min(best, time.process_time() - started)
    size = path.stat().st_size
    return {
        "reader": name,
        "records": count,
        "cpu_seconds": round(best, 3),
        "records_per_s": round(info["records"] / best),
        "file_mb_per_s": round(size / 1e6 / best, 1),
        "payload_mb_per_s": round(info["payload_bytes"] / 1e6 / best, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=REPO / "seeds", help="a folder of pages")
    parser.add_argument("--mb", type=float, default=50.0, help="size of the WARC to build")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.warc.gz"
        info = build_warc(args.source, path, args.mb)
        print(
            f"{path.stat().st_size / 1e6:.1f} MB gzipped, {info['records']} records "
            f"({info['responses']} responses), {info['payload_bytes'] / 1e6:.1f} MB of payload"
        )
        readers = [("ingest", time_ingest), ("warcio", time_warcio)]
        try:
            import fastwarc  # noqa: F401
        except ImportError:
            print("fastwarc: not installed, not measured")
        else:
            readers.append(("fastwarc", time_fastwarc))
        results = [measure(name, run, path, info) for name, run in readers]
    for row in results:
        print(
            f"{row['reader']:>8}: {row['cpu_seconds']:.2f} CPU s, {row['records_per_s']} records/s, "
            f"{row['file_mb_per_s']} MB/s of file, {row['payload_mb_per_s']} MB/s of payload"
        )
    if args.json:
        args.json.write_text(json.dumps({"warc": info, "readers": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
