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
for track in region page html; do
  if [ -d "../shared/eval-dev/inputs/$track" ]; then
    "$ingest" run "../shared/eval-dev/inputs/$track" --output "$dest/$track" --json > "$dest/$track.json"
  fi
done
echo "snapshot in $dest"
