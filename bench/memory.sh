#!/usr/bin/env bash
# Memory under load with the JVM settings and the memory limit the operator gives the cache-server
# container (operator ApiDefaults: JAVA_TOOL_OPTIONS and SERVER_MEMORY). The jar runs inside a
# cgroup with that memory limit, so the JVM sizes its heap from it exactly as in a pod and the
# kernel kills it if it goes over; 200 wrk connections cycle GET, batch query, GET, PUT of 1 MiB
# artifacts, each wrk thread reading every pre-uploaded hash in turn (more than the 512 MiB memory
# tier holds, so the tier fills and evicts) and overwriting as many hashes of its own.
# RSS, the cgroup's usage and the heap are sampled every second. A benchmark, not a test: it
# reports what it measured (and exits non-zero only when the server died).
#
# Settings (environment):
#   BENCH_DURATION      seconds of load (default 60)
#   MEMORY_HASHES       pre-uploaded 1 MiB artifacts the GETs cycle over (default 700)
#   MEMORY_DEFAULT_JVM  1 = no cgroup and no JVM options: the JVM's own default heap, for comparison
#   BENCH_REBUILD, BENCH_KEEP, JAVA_HOME as for run.sh
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
DURATION="${BENCH_DURATION:-60}"
HASHES="${MEMORY_HASHES:-700}"
DEFAULTS="$ROOT/operator/src/main/java/dev/turbocache/operator/api/v1alpha1/ApiDefaults.java"

for tool in wrk curl numfmt; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

source "$BENCH_DIR/lib/common.sh"
bench_workdir turbocache-memory

# What the operator renders, read from its source so that this cannot drift from it.
OPTIONS="$(sed -n 's/.*String JAVA_TOOL_OPTIONS = "\(.*\)";/\1/p' "$DEFAULTS")"
LIMIT_QUANTITY="$(sed -n 's/.*String SERVER_MEMORY = "\(.*\)";/\1/p' "$DEFAULTS")"
LIMIT="$(numfmt --from=iec-i "$LIMIT_QUANTITY")"
[[ -n "$OPTIONS" && "$LIMIT" -gt 0 ]] || { echo "cannot read the operator's defaults in $DEFAULTS" >&2; exit 1; }

CGROUP=""
USAGE_FILE=""
memory_cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [[ -n "$CGROUP" ]]; then rmdir "$CGROUP" 2>/dev/null || true; fi
  (exit "$rc")
  bench_cleanup
}
trap memory_cleanup EXIT

if [[ "${MEMORY_DEFAULT_JVM:-0}" != 1 ]]; then
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then   # cgroup v2
    CGROUP="/sys/fs/cgroup/turbocache-memory-$$"
    mkdir "$CGROUP"
    echo "$LIMIT" >"$CGROUP/memory.max"
    USAGE_FILE="$CGROUP/memory.current"
  else                                                  # cgroup v1
    CGROUP="/sys/fs/cgroup/memory/turbocache-memory-$$"
    mkdir "$CGROUP"
    echo "$LIMIT" >"$CGROUP/memory.limit_in_bytes"
    USAGE_FILE="$CGROUP/memory.usage_in_bytes"
  fi
fi

ensure_jar

PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$WORK/data"
printf 'tokens: [{name: bench, token: "%s", teams: ["*"], access: admin}]\n' "$TOKEN" >"$WORK/tokens.yaml"
# The operator's rendering of a default TurboCache for these tiers: a 512Mi memory tier, a disk tier.
printf '%s\n' "server:" "  host: 127.0.0.1" "  port: $PORT" "  dataDir: $WORK/data" \
  "auth:" "  tokensFile: $WORK/tokens.yaml" \
  "storage:" "  tiers: [memory, disk]" "  memory: {maxSize: 512Mi, maxArtifactSize: 8Mi}" \
  "logging:" "  level: info" "  accessLog: false" >"$WORK/config.yaml"
if [[ -n "$CGROUP" ]]; then
  JAVA_TOOL_OPTIONS="$OPTIONS" bash -c 'echo $$ >"$1/cgroup.procs"; shift; exec "$@"' _ "$CGROUP" \
    "$JAVA" -jar "$JAR" serve --config "$WORK/config.yaml" >"$WORK/server.log" 2>&1 &
else
  "$JAVA" -jar "$JAR" serve --config "$WORK/config.yaml" >"$WORK/server.log" 2>&1 &
fi
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 600); do
  curl -s -o /dev/null -m 1 "$BASE/healthz/live" && break
  kill -0 "$SERVER" 2>/dev/null || { echo "server exited during startup:" >&2; cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done

head -c $((1024 * 1024)) /dev/urandom >"$WORK/body.bin"
: >"$WORK/hashes"
for ((k = 0; k < HASHES; k++)); do printf 'a0e0%012x\n' "$k" >>"$WORK/hashes"; done
log "uploading $HASHES artifacts of 1 MiB"
while read -r hash; do
  code="$(curl -s -o /dev/null -w '%{http_code}' -T "$WORK/body.bin" -X PUT -H 'Expect:' \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' \
    "$BASE/v8/artifacts/$hash?slug=$SLUG")"
  [[ "$code" == 202 ]] || { echo "upload failed: HTTP $code" >&2; exit 1; }
done <"$WORK/hashes"

# Every second: the process's RSS, the cgroup's usage (page cache of the data directory
# included) and the heap in use.
(
  # A scrape that times out under load is a missing heap value, not the end of the sampling.
  set +e +o pipefail
  while kill -0 "$SERVER" 2>/dev/null; do
    heap="$(curl -s -m 5 "$BASE/metrics" | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%.0f", s}')"
    rss="$(awk '/^VmRSS:/ {print $2 * 1024}' "/proc/$SERVER/status" 2>/dev/null)"
    usage=0
    if [[ -n "$USAGE_FILE" ]]; then usage="$(cat "$USAGE_FILE" 2>/dev/null)"; fi
    echo "$(date +%s) ${rss:-0} ${usage:-0} ${heap:-0}"
    sleep 1
  done
) >"$WORK/samples.txt" 2>/dev/null &
PIDS+=($!)

log "load: 200 connections, GET/query/GET/PUT of 1 MiB for ${DURATION}s"
wrk -t2 -c200 -d"${DURATION}s" --timeout 60s -s "$BENCH_DIR/lua/mixed.lua" "$BASE" -- \
  "$WORK/hashes" "$WORK/body.bin" "$TOKEN" "$SLUG" f0e0 "$HASHES" >"$WORK/wrk.txt" 2>&1 || true
sleep 2
ALIVE=yes
kill -0 "$SERVER" 2>/dev/null || ALIVE="NO, it exited: $(tail -3 "$WORK/server.log" | tr '\n' ' ')"

peak() { awk -v col="$1" '{if ($col > m) m = $col} END {printf "%.0f", m / 1048576}' "$WORK/samples.txt"; }
final() { awk -v col="$1" 'END {printf "%.0f", $col / 1048576}' "$WORK/samples.txt"; }
RESULT="$(grep '^RESULT' "$WORK/wrk.txt" || echo "wrk failed: $(tail -3 "$WORK/wrk.txt" | tr '\n' ' ')")"
HEAP_LINE="$(grep -o 'heap up to [^,]*, memory tier up to [0-9A-Za-z]*' "$WORK/server.log" | head -1 || true)"
mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/memory-$(date +%Y%m%d-%H%M%S).md"
{
  echo "# Memory under 200-client load ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD))"
  echo
  if [[ -n "$CGROUP" ]]; then
    echo "- JVM: \`JAVA_TOOL_OPTIONS=$OPTIONS\`, cgroup memory limit $LIMIT_QUANTITY (the operator's defaults)"
  else
    echo "- JVM: its own defaults (no options, no memory limit) on a machine with $(free -g | awk '/^Mem:/ {print $2}') GiB"
  fi
  echo "- server: ${HEAP_LINE:-no heap line in its log}"
  echo "- load: wrk, 2 threads, 200 connections, ${DURATION} s of GET, batch query, GET, PUT (1 MiB) over $HASHES pre-uploaded artifacts"
  echo "- wrk: $RESULT"
  echo "- server alive after the load: $ALIVE"
  echo
  echo "| | peak MiB | at the end MiB |"
  echo "|---|--:|--:|"
  echo "| process RSS | $(peak 2) | $(final 2) |"
  if [[ -n "$CGROUP" ]]; then echo "| cgroup usage (page cache included) | $(peak 3) | $(final 3) |"; fi
  echo "| heap in use | $(peak 4) | $(final 4) |"
  echo
  echo "$(wc -l <"$WORK/samples.txt") samples, one per second."
} | tee "$OUT"
[[ "$ALIVE" == yes ]]
