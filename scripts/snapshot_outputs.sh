#!/usr/bin/env bash
# Run `ingest run` on seeds/ and on every eval-dev track (when ../shared is beside the checkout),
# each into DEST/<name>/, for scripts/compare_runs.py to compare against another snapshot.
# Usage: scripts/snapshot_outputs.sh DEST [INGEST]   (INGEST defaults to .venv/bin/ingest)
set -euo pipefail
cd "$(dirname "$0")/.."
dest=${1:?usage: scripts/snapshot_outputs.sh DEST [INGEST]}
ingest=${2:-.venv/bin/ingest}
mkdir -p "$dest"
"$ingest" run seeds/ --output "$dest/seed" --json > "$dest/seed.json"
# Odd inputs made here (nothing shipped): empty, binary, bad JSON Lines, gzip, a byte-identical
# copy and a same-body copy, so that rejects and duplicates are compared too.
odd=$(mktemp -d)
seed=seeds/000_980a3f42cf23cc1f.txt
: > "$odd/empty.txt"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' > "$odd/image.txt"
cp "$seed" "$odd/copy.txt"
cp "$seed" "$odd/again.txt"
{ cat "$seed"; printf '\n\n'; } > "$odd/same-body.txt"
gzip -c "$seed" > "$odd/zipped.txt.gz"
printf 'not gzip' > "$odd/broken.txt.gz"
printf '{"text": "Short line one.\\n\\nA paragraph of text that is long enough to stay as the body of a document here."}\nnot json\n{"html": "<p>Hello <b>world</b>, a paragraph long enough to be a body in the output.</p>"}\n[1, 2]\n' > "$odd/lines.jsonl"
printf '<html><head><title>T</title></head><body><nav>Home</nav><p>An HTML page with one paragraph that is long enough.</p></body></html>' > "$odd/page.html"
"$ingest" run "$odd" --output "$dest/odd" --json > "$dest/odd.json"
rm -rf "$odd"
for track in region page html; do
  if [ -d "../shared/eval-dev/inputs/$track" ]; then
    "$ingest" run "../shared/eval-dev/inputs/$track" --output "$dest/$track" --json > "$dest/$track.json"
  fi
done
echo "snapshot in $dest"
