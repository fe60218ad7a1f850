#!/usr/bin/env bash
# The container image end to end, with Debian's podman and no registry: builds the distribution, makes a Java 17
# base image from Debian packages (debootstrap of bookworm + openjdk-17-jre-headless, podman import), builds the
# Containerfile on it, then runs the image with a read-only root file system and a tmpfs /tmp and checks
# /readyz, /healthz through the image's HEALTHCHECK, POST /v1/score against `gamma score` run in the same image,
# and a clean stop on SIGTERM. docs/DEPLOY.md ("The container check") says what it needs.
# Needs root (debootstrap, podman's storage), network to Debian's mirror on the first run (DEBIAN_MIRROR), and
#   apt-get install podman runc debootstrap curl jq
# The base image is kept (localhost/gamma-base:bookworm-jre17) and reused by later runs; REBUILD_BASE=1 remakes it.
set -euo pipefail
cd "$(dirname "$0")/.."
checkout="$PWD"
work="$checkout/gamma-dist/target/container"
base=localhost/gamma-base:bookworm-jre17
image=localhost/gamma:check
name=gamma-container-check
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

say() { echo "container-check: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }
for tool in podman runc debootstrap curl jq; do
  command -v "$tool" > /dev/null || fail "$tool is missing: apt-get install podman runc debootstrap curl jq"
done
[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and podman's image storage)"

mkdir -p "$work"
# Measured on these machines: crun fails on their hybrid cgroups (runc works), and podman's default ulimits
# are refused by setrlimit; this file applies to this script's podman calls only (CONTAINERS_CONF).
cat > "$work/containers.conf" <<'CONF'
[containers]
default_ulimits = []
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$work/containers.conf"

say "building the distribution"
./mvnw -B -q -DskipTests package -pl gamma-dist -am
dist=$(ls gamma-dist/target/gamma-*.tar.gz)
version=$(basename "$dist" .tar.gz)

if [ -n "${REBUILD_BASE:-}" ] || ! podman image exists "$base"; then
  say "making $base from Debian bookworm packages ($mirror)"
  rm -rf "$work/rootfs"
  debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap (log: $work/debootstrap.log)"; }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' --quiet - "$base" > /dev/null
  rm -rf "$work/rootfs"
fi

say "building $image from $version on $base"
rm -rf "$work/context"
mkdir -p "$work/context"
tar -C "$work/context" -xzf "$dist"
previous=$(podman image inspect -f '{{.Id}}' "$image" 2> /dev/null || true)
podman build --runtime runc --network host --pull=never --format docker --build-arg BASE_IMAGE="$base" \
  -t "$image" "$work/context/$version" > "$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; fail "podman build (log: $work/build.log)"; }

# the previous run's image, when this build left it without a name, is removed (such images would pile up)
if [ -n "$previous" ] && [ "$(podman image inspect -f '{{len .RepoTags}}' "$previous" 2> /dev/null)" = 0 ]; then
  podman rmi "$previous" > /dev/null 2>&1 || true
fi

run=(podman run --rm --runtime runc --network host --read-only --tmpfs /tmp)
say "gamma score in the image (read-only root, tmpfs /tmp)"
"${run[@]}" "$image" gamma score --format jsonl examples > "$work/cli.jsonl" 2> "$work/cli.err" \
  || { cat "$work/cli.err" >&2; fail "gamma score in the container"; }
[ "$(wc -l < "$work/cli.jsonl")" = 4 ] || fail "gamma score gave $(wc -l < "$work/cli.jsonl") lines, not 4"

say "a model from mounted volumes (the micro fixture, the CLIP vocabulary), against the checkout's ./gamma score"
vocab="$checkout/../shared/clip/bpe_simple_vocab_16e6.txt.gz"
[ -f "$vocab" ] || fail "$vocab is missing (../shared/clip beside the checkout)"
"${run[@]}" -v "$checkout/fixtures/micro-fp16:/models:ro" -v "$(dirname "$vocab"):/vocab:ro" -v "$checkout/fixtures/images:/images:ro" \
  "$image" gamma score --model /models/gamma.pth --vocab /vocab/bpe_simple_vocab_16e6.txt.gz --format jsonl /images \
  > "$work/mounted.jsonl" 2> "$work/mounted.err" || { cat "$work/mounted.err" >&2; fail "gamma score with a mounted model"; }
./gamma score --model fixtures/micro-fp16/gamma.pth --vocab "$vocab" --format jsonl fixtures/images > "$work/checkout.jsonl" 2> /dev/null
mounted=$(jq -c '[.score] + .levels' "$work/mounted.jsonl")
[ -n "$mounted" ] && [ "$mounted" = "$(jq -c '[.score] + .levels' "$work/checkout.jsonl")" ] \
  || fail "scores with the mounted model differ from ./gamma score's: $work/mounted.jsonl, $work/checkout.jsonl"
say "mounted model: $(wc -l < "$work/mounted.jsonl") images, scores equal to ./gamma score's ($(jq -c .score "$work/mounted.jsonl" | paste -sd ' '))"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "gamma serve, the image's default command, on port $port"
podman rm -f "$name" > /dev/null 2>&1 || true
# no systemd here to time the HEALTHCHECK: it runs below on demand (podman healthcheck run)
podman run -d --name "$name" --runtime runc --network host --read-only --tmpfs /tmp -e PORT="$port" --health-interval disable \
  "$image" > /dev/null 2> "$work/run.err" || { cat "$work/run.err" >&2; fail "podman run"; }
trap 'podman rm -f "$name" > /dev/null 2>&1 || true' EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz" || true)" = 200 ] && break
  [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || { podman logs "$name" >&2; fail "the container stopped"; }
  sleep 1
done
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/readyz")" = 200 ] || { podman logs "$name" >&2; fail "/readyz never answered 200"; }
say "/readyz: $(curl -s "$url/readyz")"
podman healthcheck run "$name" || fail "the image's HEALTHCHECK (GET /healthz) failed"
say "HEALTHCHECK: healthy"

worst=0
for image_file in $(jq -r .path "$work/cli.jsonl"); do
  answer=$(curl -s -f -H 'Content-Type: image/png' --data-binary @"$work/context/$version/$image_file" "$url/v1/score") \
    || fail "POST /v1/score $image_file"
  service=$(jq -c '.results[0] | [.score] + .levels' <<< "$answer")
  cli=$(jq -c --arg p "$image_file" 'select(.path == $p) | [.score] + .levels' "$work/cli.jsonl")
  diff=$(jq -n --argjson a "$service" --argjson b "$cli" '[range(0; $a | length) | ($a[.] - $b[.]) | fabs] | max')
  say "$image_file: service score $(jq '.[0]' <<< "$service"), gamma score $(jq '.[0]' <<< "$cli"), largest difference $diff"
  worst=$(jq -n --argjson a "$worst" --argjson b "$diff" '[$a, $b] | max')
done
jq -e -n --argjson w "$worst" '$w == 0' > /dev/null || fail "the service's scores differ from gamma score's by up to $worst"

say "SIGTERM"
podman kill --signal TERM "$name" > /dev/null
status=$(podman wait "$name")
podman logs "$name" > "$work/serve.log" 2>&1
grep -q 'stopped; every accepted request was answered' "$work/serve.log" || { cat "$work/serve.log" >&2; fail "no clean stop after SIGTERM"; }
# the JVM exits 143 (128 + SIGTERM) after its shutdown hooks; a kill after a timeout would be 137
[ "$status" = 143 ] || { cat "$work/serve.log" >&2; fail "exit status $status after SIGTERM"; }
say "stopped cleanly (exit status $status): $(grep 'stopped;' "$work/serve.log")"
say "PASSED"
