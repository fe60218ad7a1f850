#!/usr/bin/env bash
# Side-by-side speed of `gamma bench` and the PyTorch reference on the same machine, checkpoint,
# images and threads; prints the per-image time ratio and the fraction of the matmul peak.
#   bench/compare.sh [CHECKPOINT]        (environment: THREADS, CROPS, PRECISION=fp32|bf16 for the java side)
# Without a checkpoint, a random full-size one (ViT-B/16 with experts, 1.1 GB) is written once with
# ../shared/reference/make_fixture.py into ${GAMMA_BENCH_DIR:-/tmp/gamma-bench}. Needs Debian's
# python3-torch, python3-regex, python3-pil, python3-numpy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
shared=${GAMMA_SHARED:-$here/../../shared}
vocab=$shared/clip/bpe_simple_vocab_16e6.txt.gz
work=${GAMMA_BENCH_DIR:-/tmp/gamma-bench}
threads=${THREADS:-$(nproc)}
crops=${CROPS:-10}
precision=${PRECISION:-fp32}
mkdir -p "$work/images"
/usr/bin/python3 "$here/../fixtures/make_images.py" "$work/images" 4 512 384
checkpoint=${1:-$work/base/gamma.pth}
if [ ! -f "$checkpoint" ]; then
  echo "writing a random ViT-B/16 Gamma checkpoint to $work/base (once)..." >&2
  /usr/bin/python3 "$shared/reference/make_fixture.py" base 1 "$work/base" "$work"/images/scene0.png >/dev/null
fi
cat "$checkpoint" > /dev/null  # both runs start with the file in the page cache
echo "reference (PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), $threads threads, $crops crops/image)..." >&2
ref=$(/usr/bin/python3 "$here/reference_bench.py" "$checkpoint" "$vocab" "$threads" "$crops" "$work"/images/*.png | tail -1)
echo "java (gamma bench, $threads threads, $precision)..." >&2
java=$("$here/../gamma" bench --model "$checkpoint" --vocab "$vocab" --images "$work/images" --crops "$crops" \
  --threads "$threads" --rounds 1 --precision "$precision" | tee /dev/stderr | tail -1)
/usr/bin/python3 - "$ref" "$java" <<'PY'
import json, sys
ref, java = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"reference: {ref['seconds_per_image']:.2f} s/image (load {ref['load_s']:.2f} s), BLAS: {ref['blas']}")
print(f"java:      {java['seconds_per_image']:.2f} s/image ({java['precision']}) (load {java['load_s']:.2f} s), "
      f"{100 * java['fraction_of_peak']:.0f} % of the {java['matmul_peak_gflops']:.0f} GFLOP/s matmul peak, "
      f"peak RSS {java['peak_rss_mb']:.0f} MB")
print(f"ratio java/reference per image: {java['seconds_per_image'] / ref['seconds_per_image']:.2f}")
PY
