#!/usr/bin/env bash
# The demo model's quality on your own photographs (the measure of docs/DEMO.md, "Quality"): every `gamma synth` distortion of each
# photograph at 5 levels, scored with `gamma score` (10 random crops), then the SRCC between score and level per
# photograph and type, averaged (demo/level_srcc.py, Python 3 standard library).
# Usage: demo/eval-photos.sh PHOTOS_DIR [WORK_DIR] [gamma score options, e.g. --model M --vocab V]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
photos="${1:?usage: demo/eval-photos.sh PHOTOS_DIR [WORK_DIR] [gamma score options]}"
work="${2:-$here/demo/work/photos}"
rm -rf "$work/synth" "$work/scores.jsonl"
"$here/gamma" synth --refs "$photos" --out "$work/synth" --seed 3
"$here/gamma" score "$work/synth" --format jsonl --out "$work/scores.jsonl" "${@:3}"
python3 "$here/demo/level_srcc.py" "$work/synth/meta_info.csv" "$work/scores.jsonl"
