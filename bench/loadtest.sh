#!/usr/bin/env bash
# Load test of `gamma serve` on this machine (loopback only):
#   1. start the service on a checkpoint, 2. score the same images with `gamma score`,
#   3. 64 concurrent clients send a few hundred requests mixing valid images, truncated JPEGs, empty
#      bodies, malformed multipart forms, 100000x100000 PNG headers and wrong content types, while 300 slow
#      clients trickle headers or bodies; the report must say "lost answers 0", /healthz must answer
#      throughout, the service must close every slow client, and its scores must equal gamma score's (--expect),
#   4. a second burst, with SIGTERM sent to the service in the middle of it: no accepted request is lost.
# Usage: bench/loadtest.sh [MODEL] [IMAGES_DIR]   (defaults: the micro fixture and fixtures/images)
# Environment: PORT (18080), CLIENTS (64), REQUESTS (300), SLOW (300), VOCAB (../shared/clip/bpe_simple_vocab_16e6.txt.gz)
set -euo pipefail
cd "$(dirname "$0")/.."
model="${1:-fixtures/micro-fp16/gamma.pth}"
images="${2:-fixtures/images}"
vocab="${VOCAB:-../shared/clip/bpe_simple_vocab_16e6.txt.gz}"
port="${PORT:-18080}"
url="http://127.0.0.1:$port"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

start_server() {
  ./gamma serve --model "$model" --vocab "$vocab" --host 127.0.0.1 --port "$port" 2>"$work/serve.err" &
  server=$!
  for _ in $(seq 1 120); do
    grep -q "ready at" "$work/serve.err" 2>/dev/null && return 0
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.err" >&2; exit 2; }
    sleep 0.5
  done
  echo "gamma serve did not become ready in 60 s" >&2; exit 2
}

echo "== gamma score (the reference scores)"
./gamma score --model "$model" --vocab "$vocab" --format jsonl --out "$work/cli.jsonl" "$images"
start_server
echo "== load test: ${CLIENTS:-64} clients, ${REQUESTS:-300} requests, ${SLOW:-300} slow clients"
./gamma loadtest --url "$url" --clients "${CLIENTS:-64}" --requests "${REQUESTS:-300}" --slow-clients "${SLOW:-300}" \
  --expect "$work/cli.jsonl" "$images"

echo "== SIGTERM in the middle of a burst"
./gamma loadtest --url "$url" --clients "${CLIENTS:-64}" --requests "${REQUESTS:-300}" --sequential 0 --timeout-s 30 "$images" \
  >"$work/kill.out" 2>&1 &
client=$!
# SIGTERM once the burst is under way: a few more /v1/score answers than before it (30 s at most)
scored() { curl -s "$url/metrics" | awk '/^gamma_http_requests_total\{route="\/v1\/score"/ {n += $2} END {print n + 0}'; }
before=$(scored)
for _ in $(seq 1 150); do
  [ "$(scored)" -ge $((before + 5)) ] && break
  sleep 0.2
done
kill -TERM "$server"
wait "$server" || true
wait "$client" || true
sed -n 1,2p "$work/kill.out"
cat "$work/serve.err"
grep -q "lost answers 0" "$work/kill.out" && grep -q "every accepted request was answered" "$work/serve.err" \
  && echo "PASSED: no accepted request lost on SIGTERM" || { echo "FAILED"; exit 1; }
