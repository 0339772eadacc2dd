"""Prove the repair fast path changes no byte: compare it with ftfy on every line, on real pages.

For every file under the given folders, the decoded text and a mojibake copy of it (its UTF-8
bytes read as cp1252, as a misconfigured scraper saves them) are repaired two ways with each
profile: ftfy exactly as shipped on every line (the slow path), and the default fast path, which
skips the lines no ftfy fixer can change and answers ftfy's mojibake test with
``ingest.repair.badness.is_bad``. Any difference in text or fixes is printed and makes the exit status 1.
Timings of each path are printed too.

    .venv/bin/python scripts/check_fast_path.py ../shared/eval-dev/inputs/region ../shared/eval-dev/inputs/page
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ingest.errors import RejectInput
from ingest.read.decode import decode_and_explain
from ingest.repair.fixes import REPAIR_PROFILES, SENSITIVE_CHARS, repair_with_profile


def load_texts(folders: list[Path]) -> list[tuple[str, str]]:
    """(name, text) for each decodable file, and for its mojibake copy."""
    texts = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            try:
                text = decode_and_explain(path.read_bytes()).text
            except RejectInput:
                continue
            texts.append((str(path), text))
            garbled = text.encode("utf-8").decode("cp1252", errors="replace")
            texts.append((f"{path} (mojibake)", garbled))
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path, help="folders of pages")
    args = parser.parse_args(argv)
    texts = load_texts(args.folders)
    megabytes = sum(len(text.encode("utf-8")) for _, text in texts) / 1e6
    print(f"{len(texts)} texts, {megabytes:.1f} MB (each page as it is and as mojibake)")
    differences = 0
    for name, profile in sorted(REPAIR_PROFILES.items()):
        paths = {
            "slow (ftfy on every line)": None,
            "fast (inert, clean lines skipped)": SENSITIVE_CHARS[name],
        }
        results: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for label, sensitive in paths.items():
            started = time.perf_counter()
            results[label] = [repair_with_profile(text, profile, sensitive) for _, text in texts]
            seconds = time.perf_counter() - started
            print(f"  {name:<8} {label:<32} {seconds:6.1f} s  {megabytes / seconds:5.1f} MB/s")
        slow = results["slow (ftfy on every line)"]
        for label, result in results.items():
            for (text_name, _), got, expected in zip(texts, result, slow, strict=True):
                if got != expected:
                    differences += 1
                    print(f"DIFFERENT: {name} {label}: {text_name}", file=sys.stderr)
    print(f"{differences} differences in {len(texts) * len(REPAIR_PROFILES)} texts per path")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
