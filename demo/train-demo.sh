#!/usr/bin/env bash
# Reproduces the built-in demo model, gamma-core/src/main/resources/org/gammaiqa/demo/gamma-demo.safetensors.
# Data: synthetic distortions of procedural references, photo-like scenes and classic dead leaves. One epoch trains
# the vision tower of a random, patch-16 Gamma model on both (demo/train-demo.yml); the result is exported as
# float16. Deterministic (one libtorch thread); about 25 minutes on one core.
# Usage: demo/train-demo.sh [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$here/demo/work}"
"$here/gamma" synth --style scenes --out "$work/scenes" --count 300 --seed 1 --threads 2
"$here/gamma" synth --style leaves --out "$work/leaves" --count 200 --seed 1 --threads 2
"$here/gamma" train --config "$here/demo/train-demo.yml" --base-dir "$work" --out "$work/run" --threads 1 --eval-crops 2
"$here/gamma" export --model "$work/run/latest.pth" --half \
    --out "$here/gamma-core/src/main/resources/org/gammaiqa/demo/gamma-demo.safetensors"
