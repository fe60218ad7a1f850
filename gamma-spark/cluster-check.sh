#!/usr/bin/env bash
# Cluster check: a Spark standalone Master and Worker on 127.0.0.1 run ScoreJob on two one-core executors, with
# the job jar, libtorch's native jar (--jars) and the model (--files), against `gamma score` on the same images.
# Build first: ./mvnw -B package -DskipTests -pl gamma-spark -am.  Usage: gamma-spark/cluster-check.sh [--refs N]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/gamma-spark/target"
model="$root/fixtures/micro-fp16/gamma.pth"
vocab="$root/../shared/clip/bpe_simple_vocab_16e6.txt.gz"
read -r -a gamma <<< "${GAMMA:-$root/gamma}"   # the gamma command line; the IT passes a plain java command
refs=3                                          # procedural references; gamma synth adds 4 distorted images each
tolerance=1e-5
executors=2
partitions=6                                    # more partitions than executors: each executor runs several tasks
step_timeout=600                                # seconds any one step may take

if [ "${1:-}" = "--refs" ] && [ -n "${2:-}" ]; then
  refs="$2"
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--refs N]   (N procedural references, 5 images each; default 3)" >&2
  exit 2
fi

fail() { echo "cluster-check: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

job_jar="$(ls "$target"/gamma-spark-*-job.jar 2>/dev/null | head -n 1)"
native_jar="$(ls "$target"/spark-jars/pytorch-native-cpu-*.jar 2>/dev/null | head -n 1)"
for f in "$job_jar" "$native_jar" "$target/spark-classpath.txt"; do
  [ -f "$f" ] || fail "missing ${f:-the job jar or the native jar} under $target; build first: ./mvnw -B package -DskipTests -pl gamma-spark -am"
done
for f in "$model" "$vocab"; do
  [ -f "$f" ] || fail "missing $f (the micro fixture and the CLIP vocabulary in ../shared/clip)"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/gamma-cluster-check.XXXXXX")"
pids=()
stop() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  done
  rm -rf "$work/djl" "$work/local" "$work/spark"
  if [ "$status" -eq 0 ]; then
    rm -rf "$work"
  else
    echo "cluster-check: logs kept in $work (master.log, worker.log, worker/app-*/*/stderr, driver*.log)" >&2
  fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A SPARK_HOME as a Spark 4.0 distribution lays it out: jars/ (Maven's copies) and RELEASE, which tells the
# Worker's launcher to build executor class paths from jars/.
export SPARK_HOME="$work/spark" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_DIRS="$work/local"
mkdir -p "$SPARK_HOME/jars" "$work/driver" "$work/images"
IFS=: read -r -a spark_jars < "$target/spark-classpath.txt" || true   # one line, no newline at its end
ln -s "${spark_jars[@]}" "$SPARK_HOME/jars/"
echo "Spark (from Maven's copies) for gamma-spark's cluster check" > "$SPARK_HOME/RELEASE"
spark_java=(timeout "$step_timeout" java -cp "$SPARK_HOME/jars/*")

# images: gamma synth's references and distortions, and one truncated PNG
"${gamma[@]}" synth --count "$refs" --levels 2 --types gaussian_blur,jpeg --size 224 --out "$work/synth" > /dev/null
cp "$work"/synth/ref/*.png "$work"/synth/dist/*.png "$work/images/"
head -c 3000 "$(ls "$work"/images/*.png | head -n 1)" > "$work/images/truncated.png"
count="$(ls "$work/images" | wc -l)"

# wait_for LOG PATTERN PID: until the log has the line, while the process lives
wait_for() {
  for _ in $(seq $((step_timeout * 5))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || fail "$(basename "$1" .log) exited; see $1"
    sleep 0.2
  done
  fail "no '$2' in $1 after ${step_timeout} s"
}

t0="$(now)"
"${spark_java[@]}" -Xmx256m org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0 \
  > "$work/master.log" 2>&1 &
pids+=($!)
wait_for "$work/master.log" "Starting Spark master at spark://" "${pids[0]}"
master="$(grep -o 'spark://127\.0\.0\.1:[0-9]*' "$work/master.log" | head -n 1)"
"${spark_java[@]}" -Xmx256m org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \
  --cores "$executors" --memory 4g --work-dir "$work/worker" "$master" > "$work/worker.log" 2>&1 &
pids+=($!)
wait_for "$work/worker.log" "Successfully registered with master" "${pids[1]}"
t_cluster="$(seconds "$t0" "$(now)")"
echo "cluster-check: master $master and a worker (pids ${pids[*]}) up in $t_cluster s; $count images"

sha="$(sha256sum "$model" | cut -c1-64)"
# submit LOG SHA256 ARGS...: ScoreJob on the cluster, the driver in its own folder, so that the model names below
# are read only as the --files copies on the executors. A fresh DJL cache and offline mode on the executors: their
# libtorch can only come from the --jars native jar.
submit() {
  local log="$1" checksum="$2"
  shift 2
  (cd "$work/driver" && "${spark_java[@]}" -Xmx1g org.apache.spark.deploy.SparkSubmit \
    --master "$master" --deploy-mode client --class org.gammaiqa.spark.ScoreJob \
    --jars "$native_jar" --files "$model,$vocab" \
    --total-executor-cores "$executors" --executor-cores 1 --executor-memory 1g \
    --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.enabled=false \
    --conf spark.scheduler.minRegisteredResourcesRatio=1.0 --conf spark.locality.wait=0s \
    --conf spark.executorEnv.DJL_CACHE_DIR="$work/djl" --conf spark.executor.extraJavaOptions=-Dai.djl.offline=true \
    --conf spark.executorEnv.MALLOC_MMAP_THRESHOLD_=268435456 --conf spark.executorEnv.MALLOC_TRIM_THRESHOLD_=1073741824 \
    --conf spark.executorEnv.MALLOC_TOP_PAD_=67108864 --conf spark.executorEnv.MALLOC_ARENA_MAX=2 \
    "$job_jar" --model gamma.pth --model-sha256 "$checksum" --vocab "$(basename "$vocab")" \
    --input "$work/images" --partitions "$partitions" --format csv "$@") > "$log" 2>&1
}

t0="$(now)"
submit "$work/driver.log" "$sha" --output "$work/spark.csv" || fail "the job failed; see $work/driver.log"
t_job="$(seconds "$t0" "$(now)")"
summary="$(grep '^gamma-spark-score: ' "$work/driver.log")" || fail "no summary line in $work/driver.log"
echo "cluster-check: $summary (submission ${t_job} s)"
[[ "$summary" == *"$count images, 1 failed"* ]] || fail "expected $count images, 1 failed"

# one model load per executor JVM, not one per task
loads=0
for log in "$work"/worker/app-*/*/stderr; do
  n="$(grep -c 'Gamma model loaded on executor' "$log" || true)"
  tasks="$(grep -c 'Running task' "$log" || true)"
  echo "cluster-check: executor $(basename "$(dirname "$log")"): $n model load(s), $tasks tasks in all;" \
    "$(grep -o 'Gamma model loaded on executor .*' "$log" | grep -o 'in [0-9]* ms' || true)"
  [ "$n" -eq 1 ] || fail "executor log $log has $n model loads, expected 1"
  loads=$((loads + n))
done
[ "$loads" -eq "$executors" ] || fail "$loads executors loaded the model, expected $executors"

t0="$(now)"
cli_status=0
timeout "$step_timeout" "${gamma[@]}" score --model "$model" --vocab "$vocab" --format csv --out "$work/cli.csv" "$work/images" \
  2> "$work/cli.log" || cli_status=$?
t_cli="$(seconds "$t0" "$(now)")"
[ "$cli_status" -eq 1 ] || fail "gamma score exited $cli_status, expected 1 (one failed image); see $work/cli.log"

# Same outcome per image: both scored within the tolerance (score and the five levels), or an error on both
# sides, the Spark one naming the file. gamma score's CSV: path,score,scene,p_bad..p_perfect,…,error;
# ScoreJob's: path,score,p_bad..p_perfect,error (paths without commas here).
awk -F, -v tol="$tolerance" '
  function name(p) { sub(/.*\//, "", p); return p }
  FNR == 1 { next }
  NR == FNR { cli[name($1)] = $2 == "" ? "error" : $2 " " $4 " " $5 " " $6 " " $7 " " $8; next }
  {
    n++; f = name($1); seen[f] = 1
    if (!(f in cli)) { print "only in the Spark output: " f; bad = 1; next }
    if (cli[f] == "error") {
      errors++
      if ($2 != "" || index($0, "cannot decode") == 0 || index($8, f) == 0) { print f ": an error in gamma score, in Spark: " $0; bad = 1 }
      next
    }
    if ($2 == "" || $8 != "") { print f ": scored by gamma score, in Spark: " $0; bad = 1; next }
    split(cli[f], want, " ")
    for (i = 1; i <= 6; i++) { d = $(i == 1 ? 2 : i + 1) - want[i]; if (d < 0) d = -d; if (d > worst) worst = d }
  }
  END {
    for (f in cli) if (!(f in seen)) { print "missing from the Spark output: " f; bad = 1 }
    printf "cluster-check: %d images, %d with an error on both sides; largest score/level difference to gamma score %.3g (allowed %g)\n", n, errors, worst, tol
    exit bad || errors != 1 || worst > tol
  }' "$work/cli.csv" "$work"/spark.csv/part-*.csv || fail "the cluster's scores differ from gamma score's"

# a checkpoint whose SHA-256 is not the expected one: refused on the executors, the job fails with the message
wrong="$(printf '0%.0s' $(seq 64))"
refused=0
submit "$work/driver-wrong-sha.log" "$wrong" --output "$work/never.csv" || refused=$?
[ "$refused" -eq 1 ] || fail "the submission with a wrong --model-sha256 exited $refused, expected 1; see $work/driver-wrong-sha.log"
expected="on this executor has SHA-256 $sha but the job expects $wrong; every executor must read the same file: ship it with --files or put it on shared storage"
grep "^gamma-spark-score: checkpoint " "$work/driver-wrong-sha.log" | grep -qF "$expected" \
  || fail "no '$expected' in $work/driver-wrong-sha.log"
echo "cluster-check: a wrong --model-sha256 is refused: exit 1, '…$expected'"

job_seconds="$(grep -o 'in [0-9.]* s$' <<< "$summary" | grep -o '[0-9.]*')"
awk -v n="$count" -v start="$t_cluster" -v job="$t_job" -v scoring="$job_seconds" -v cli="$t_cli" 'BEGIN {
  printf "cluster-check: throughput on %d images: cluster %.2f images/s in the job (%.1f s), %.2f images/s per submission (%.1f s, plus %.1f s to start the cluster); gamma score %.2f images/s (%.1f s, JVM start included)\n", n, n / scoring, scoring, n / job, job, start, n / cli, cli
}'
echo "cluster-check: passed"
