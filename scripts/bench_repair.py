"""Benchmark decode_and_explain and repair_text against plain ftfy.fix_text on ~10 KB documents.

Examples:
    python scripts/bench_repair.py                 # built-in corpus, 50 docs per kind
    python scripts/bench_repair.py --docs 200      # more docs per kind
    python scripts/bench_repair.py some/folder     # every file under a folder, as one kind
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from pathlib import Path

import ftfy

from ingest.errors import RejectInput
from ingest.read.decode import decode_and_explain
from ingest.repair.fixes import repair_text

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_980a3f42cf23cc1f.txt"
DOC_CHARS = 10_000

RUSSIAN = [
    "Президент России заявил, что переговоры продолжатся на следующей неделе.",
    "Москва и Санкт-Петербург готовятся к зиме, а экономика, по словам министра, растёт.",
    "Солдаты и их семьи всё чаще звонят на горячую линию.",
    "В интервью телеканалу эксперт объяснил, почему цены на жильё снова выросли.",
]
ENGLISH_ASCII_WORDS = "the of and to in a is that for it as was with be by on not he".split()


def make_doc(paragraphs: list[str], rng: random.Random) -> str:
    """Numbered paragraphs picked at random until ~10 KB; the numbers keep every line distinct."""
    parts: list[str] = []
    size = 0
    while size < DOC_CHARS:
        part = f"{len(parts) + 1}. {rng.choice(paragraphs)}"
        parts.append(part)
        size += len(part) + 2
    return "\n\n".join(parts)


def to_mojibake(text: str) -> str:
    """UTF-8 read as cp1252, as a misconfigured scraper would save it."""
    return text.encode("utf-8").decode("sloppy-windows-1252")


def mix_lines(text: str) -> str:
    """Mojibake on every third line (paragraph), correct text elsewhere."""
    lines = text.split("\n")
    return "\n".join(to_mojibake(line) if i % 3 == 0 else line for i, line in enumerate(lines))


def build_corpus(docs: int) -> dict[str, list[str]]:
    """Documents of several kinds, ``docs`` of each, built from the seed and fixed text."""
    rng = random.Random(0)
    seed = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if len(p) > 100]
    plain = [" ".join(rng.choice(ENGLISH_ASCII_WORDS) for _ in range(60)) + "." for _ in range(50)]
    curly = [make_doc(seed, rng) for _ in range(docs)]
    return {
        "clean ASCII": [make_doc(plain, rng) for _ in range(docs)],
        "curly English": curly,
        "mojibake": [to_mojibake(doc) for doc in curly],
        "mixed": [mix_lines(doc) for doc in curly],
        "Cyrillic": [make_doc(RUSSIAN, rng) for _ in range(docs)],
    }


def read_folder(folder: Path) -> dict[str, list[str]]:
    """Every decodable file under ``folder``, as one kind."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            try:
                texts.append(decode_and_explain(path.read_bytes()).text)
            except RejectInput:
                continue
    return {folder.name: texts}


def time_per_doc(function: Callable[[object], object], items: list) -> float:
    """Seconds for one call of ``function`` over all ``items`` (best of three rounds)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for item in items:
            function(item)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        epilog=__doc__.split("\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("folder", nargs="?", type=Path, help="benchmark the files under FOLDER")
    parser.add_argument("--docs", type=int, default=50, help="documents per kind (default 50)")
    args = parser.parse_args()
    corpus = read_folder(args.folder) if args.folder else build_corpus(args.docs)

    header = (
        f"{'kind':14} {'docs':>5} {'KB/doc':>7} | {'decode MB/s':>11} {'ms/doc':>7} | "
        f"{'repair MB/s':>11} {'ms/doc':>7} | {'fix_text MB/s':>13} {'ms/doc':>7} | "
        f"{'fix_text/repair':>15}"
    )
    print(header)
    print("-" * len(header))
    for kind, texts in corpus.items():
        raws = [text.encode("utf-8") for text in texts]
        megabytes = sum(map(len, raws)) / 1e6
        decode_s = time_per_doc(decode_and_explain, raws)
        repair_s = time_per_doc(repair_text, texts)
        ftfy_s = time_per_doc(lambda text: ftfy.fix_text(text, uncurl_quotes=False), texts)
        n = len(texts)
        print(
            f"{kind:14} {n:5d} {1000 * megabytes / n:7.1f} | "
            f"{megabytes / decode_s:11.1f} {1000 * decode_s / n:7.3f} | "
            f"{megabytes / repair_s:11.2f} {1000 * repair_s / n:7.2f} | "
            f"{megabytes / ftfy_s:13.2f} {1000 * ftfy_s / n:7.2f} | "
            f"{ftfy_s / repair_s:14.2f}x"
        )


if __name__ == "__main__":
    main()
