#!/usr/bin/env bash
# Reproduces the built-in demo model, gamma-core/src/main/resources/org/gammaiqa/demo/gamma-demo.safetensors:
# a synthetic-distortion dataset from procedural (dead-leaves) references, training from random weights with
# demo/train-demo.yml, and a float16 export. About 20 minutes on two CPU cores. Usage: demo/train-demo.sh [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$here/demo/work}"
"$here/gamma" synth --out "$work/synth" --count 200 --seed 1 --threads 2
"$here/gamma" train --config "$here/demo/train-demo.yml" --base-dir "$work" --out "$work/run" --threads 1 --eval-crops 2
"$here/gamma" export --model "$work/run/latest.pth" --half \
    --out "$here/gamma-core/src/main/resources/org/gammaiqa/demo/gamma-demo.safetensors"
