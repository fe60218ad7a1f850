#!/usr/bin/env bash
# Fuzzes one parser of untrusted bytes with Jazzer for MINUTES minutes (default 10):
#   fuzz/fuzz.sh unpickler|zip|safetensors|image|multipart [MINUTES]
# The fuzz tests are ordinary JUnit tests: `./mvnw -B verify` replays their committed seeds; this script runs one
# in fuzzing mode. New inputs that raise coverage go to MODULE/.cifuzz-corpus/ (not committed); a finding is
# written beside the seeds (src/test/resources/.../*FuzzTestInputs/METHOD/) and fails the run, so that, once fixed,
# the build replays it. docs/SECURITY.md lists the targets and what fuzzing found.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?"usage: fuzz/fuzz.sh unpickler|zip|safetensors|image|multipart [MINUTES]"}
minutes=${2:-10}
case "$target" in
  unpickler)   module=gamma-core;   test='PickleFuzzTest#unpickle' ;;
  zip)         module=gamma-core;   test='CheckpointFuzzTest#zip' ;;
  safetensors) module=gamma-core;   test='CheckpointFuzzTest#safetensors' ;;
  image)       module=gamma-core;   test='ImageHeaderFuzzTest#headerChecks' ;;
  multipart)   module=gamma-server; test='MultipartFuzzTest#parse' ;;
  *) echo "fuzz/fuzz.sh: unknown target '$target'; one of unpickler, zip, safetensors, image, multipart" >&2; exit 2 ;;
esac
JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${minutes}m" ./mvnw -B -q -pl "$module" -am test \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false
