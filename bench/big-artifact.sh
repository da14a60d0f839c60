#!/usr/bin/env bash
# 1 GiB round trip through TurboCache with a 256 MiB heap: PUT a random file with curl, GET it
# back, compare SHA-256, and report the transfer times and the peak heap seen while the bytes
# moved (from /metrics, sampled every 100 ms, and from the GC log). Exits non-zero on a mismatch.
#
# Settings (environment):
#   BIG_SIZE_MIB   artifact size in MiB (default 1024)
#   BIG_XMX        heap limit (default 256m)
#   BENCH_REBUILD  1 = rebuild the jar first
#   BENCH_KEEP     1 = keep the temp directory
#   JAVA_HOME      default /usr/lib/jvm/temurin-25-jdk-amd64
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
SIZE_MIB="${BIG_SIZE_MIB:-1024}"
XMX="${BIG_XMX:-256m}"
HASH="b16a000000000001"

source "$BENCH_DIR/lib/common.sh"
AUTH="Authorization: Bearer $TOKEN"
bench_workdir turbocache-big

ensure_jar

PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$WORK/data"
cat >"$WORK/tokens.yaml" <<EOF
tokens: [{name: bench, token: "$TOKEN", teams: ["*"], access: admin}]
EOF
cat >"$WORK/config.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $PORT
  dataDir: $WORK/data
  maxArtifactSize: 2Gi
auth:
  tokensFile: $WORK/tokens.yaml
logging:
  level: warn
EOF

log "generating ${SIZE_MIB} MiB of random bytes"
head -c "$((SIZE_MIB * 1024 * 1024))" /dev/urandom >"$WORK/in.bin"
WANT="$(sha256sum "$WORK/in.bin" | cut -d' ' -f1)"

log "starting TurboCache with -Xmx$XMX"
"$JAVA" "-Xmx$XMX" "-Xlog:gc:file=$WORK/gc.log" -jar "$JAR" serve --config "$WORK/config.yaml" >"$WORK/server.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 600); do
  curl -s -o /dev/null -m 1 "$BASE/metrics" && break
  kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done

# Heap sampler: sum of jvm_memory_used_bytes{area="heap"} and the process RSS, every 100 ms.
(
  while :; do
    heap="$(curl -s -m 1 "$BASE/metrics" | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s += $NF} END {printf "%.0f", s}')"
    rss="$(awk '/^VmRSS/ {print $2 * 1024}' "/proc/$SERVER/status" 2>/dev/null || echo 0)"
    echo "$(date +%s.%N) ${heap:-0} ${rss:-0}"
    sleep 0.1
  done
) >"$WORK/samples.txt" 2>/dev/null &
PIDS+=($!)
sleep 1

log "PUT ${SIZE_MIB} MiB"
# No "Expect: 100-continue" (curl -T adds it): the transfer time then has no extra round trip in it.
PUT_OUT="$(curl -s -o "$WORK/put.body" -w '%{http_code} %{time_total}' -T "$WORK/in.bin" -X PUT -H 'Expect:' \
  -H "$AUTH" -H 'Content-Type: application/octet-stream' -H 'x-artifact-duration: 1234' \
  "$BASE/v8/artifacts/$HASH?slug=bench")"
read -r PUT_CODE PUT_TIME <<<"$PUT_OUT"
[[ "$PUT_CODE" == 2* ]] || { echo "PUT failed: HTTP $PUT_CODE $(cat "$WORK/put.body")" >&2; exit 1; }

log "GET ${SIZE_MIB} MiB (to a file, then to /dev/null)"
GET_OUT="$(curl -s -o "$WORK/out.bin" -w '%{http_code} %{time_total}' -H "$AUTH" "$BASE/v8/artifacts/$HASH?slug=bench")"
read -r GET_CODE GET_TIME <<<"$GET_OUT"
[[ "$GET_CODE" == 200 ]] || { echo "GET failed: HTTP $GET_CODE" >&2; exit 1; }
# A second GET to /dev/null: the server's send rate without the client's file writes.
NULL_OUT="$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "$AUTH" "$BASE/v8/artifacts/$HASH?slug=bench")"
read -r NULL_CODE NULL_TIME <<<"$NULL_OUT"
sleep 0.5
GOT="$(sha256sum "$WORK/out.bin" | cut -d' ' -f1)"

PEAK_HEAP="$(awk '{if ($2 > m) m = $2} END {printf "%.1f", m / 1048576}' "$WORK/samples.txt")"
PEAK_RSS="$(awk '{if ($3 > m) m = $3} END {printf "%.0f", m / 1048576}' "$WORK/samples.txt")"
NSAMPLES="$(wc -l <"$WORK/samples.txt")"
# G1 log lines: "... Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms"
GC_PEAK="$(grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$WORK/gc.log" | awk -F'[M>(-]' '{if ($1 > m) m = $1} END {print m + 0}')"
GC_COUNT="$(grep -c 'Pause' "$WORK/gc.log" || true)"
MIBS() { python3 -c "print(f'{$SIZE_MIB / $1:.0f}')"; }
RESULT="identical"
[[ "$GOT" == "$WANT" ]] || RESULT="MISMATCH"

mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/big-$(date +%Y%m%d-%H%M%S).md"
{
  echo "## ${SIZE_MIB} MiB round trip, -Xmx$XMX ($(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$ROOT" rev-parse --short HEAD))"
  echo
  echo "| Step | Result | Time | Throughput |"
  echo "|---|---|--:|--:|"
  echo "| PUT (curl -T, Content-Length) | HTTP $PUT_CODE | ${PUT_TIME} s | $(MIBS "$PUT_TIME") MiB/s |"
  echo "| GET to file | HTTP $GET_CODE | ${GET_TIME} s | $(MIBS "$GET_TIME") MiB/s |"
  echo "| GET again to /dev/null | HTTP $NULL_CODE | ${NULL_TIME} s | $(MIBS "$NULL_TIME") MiB/s |"
  echo "| SHA-256 in vs out | $RESULT (${WANT:0:16}…) | | |"
  echo
  echo "- Peak heap used during the transfers (sum of jvm_memory_used_bytes{area=\"heap\"}, $NSAMPLES samples at ~100 ms): **${PEAK_HEAP} MiB** of $XMX"
  echo "- Peak heap before a GC in the GC log: ${GC_PEAK} MiB ($GC_COUNT GC pauses); peak RSS of the JVM: ${PEAK_RSS} MiB"
} | tee "$OUT"
log "written to $OUT"
[[ "$RESULT" == identical ]]
