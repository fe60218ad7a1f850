#!/usr/bin/env bash
# Reproduces the built-in demo model, gamma-core/src/main/resources/org/gammaiqa/demo/gamma-demo.safetensors.
# Data: synthetic distortions of procedural references, photo-like scenes and classic dead leaves. Stage 1 trains
# the released set (MoAE experts, routers, scales, adapter, levels) on a random, frozen backbone on the scenes
# (demo/train-demo.yml); stage 2 trains the same set one epoch more, from the stage-1 model exported to float16, on
# scenes and dead leaves together (demo/train-demo-stage2.yml); stage 3 trains the whole vision tower on both
# (demo/train-demo-stage3.yml); then the mean of its weights at the end of epochs 3–8, exported as float16. Each
# run is deterministic (one libtorch thread).
# Usage: demo/train-demo.sh [WORK_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$here/demo/work}"
"$here/gamma" synth --style scenes --out "$work/scenes" --count 300 --seed 1 --threads 2
"$here/gamma" synth --style leaves --out "$work/leaves" --count 200 --seed 1 --threads 2
"$here/gamma" train --config "$here/demo/train-demo.yml" --base-dir "$work" --out "$work/run" --threads 1 --eval-crops 2
"$here/gamma" export --model "$work/run/latest.pth" --half --out "$work/stage1.safetensors"
"$here/gamma" train --config "$here/demo/train-demo-stage2.yml" --base-dir "$work" --out "$work/run2" --threads 1 --eval-crops 2
"$here/gamma" export --model "$work/run2/latest.pth" --half --out "$work/stage2.safetensors"
"$here/gamma" train --config "$here/demo/train-demo-stage3.yml" --base-dir "$work" --out "$work/run3" --threads 1 --eval-crops 2
"$here/gamma" export --model "$work"/run3/epoch-{3..8}.safetensors --half \
    --out "$here/gamma-core/src/main/resources/org/gammaiqa/demo/gamma-demo.safetensors"
