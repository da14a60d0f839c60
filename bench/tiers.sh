#!/usr/bin/env bash
# GET-hit benchmark of TurboCache's remote tiers: Redis (tiers redis,s3) and S3 (tiers s3), with a
# local redis-server and S3Proxy (filesystem blob store) as the backends. All traffic goes to
# 127.0.0.1; every process started here is stopped by the EXIT trap. See docs/benchmarks.md.
#
# Settings (environment):
#   BENCH_DURATION   seconds per measured cell (default 8)
#   BENCH_REPEAT     repetitions of every cell (default 2)
#   BENCH_WARMUP     seconds of unmeasured load per config/size before its cells (default 3)
#   BENCH_CONNS      connection counts (default "1 16")
#   BENCH_SIZES      subset of "64k 1m"
#   BENCH_CONFIGS    subset of "redis s3"  (redis = tiers [redis, s3]; s3 = tiers [s3])
#   BENCH_KEYS       pre-uploaded artifacts per size (default 64)
#   BENCH_REBUILD    1 = always rebuild the jar (default: build only when sources are newer)
#   BENCH_JAVA_OPTS  extra JVM options for TurboCache
#   S3PROXY_VERSION  S3Proxy release from Maven Central (default 4.1.0), cached in ~/.cache/turbocache-bench
#   BENCH_KEEP       1 = keep the temp directory (logs, data) after the run
#   JAVA_HOME        JDK used to build and run (default /usr/lib/jvm/temurin-25-jdk-amd64)
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
DURATION="${BENCH_DURATION:-8}"
REPEAT="${BENCH_REPEAT:-2}"
WARMUP="${BENCH_WARMUP:-3}"
CONNS="${BENCH_CONNS:-1 16}"
SIZES="${BENCH_SIZES:-64k 1m}"
CONFIGS="${BENCH_CONFIGS:-redis s3}"
KEYS="${BENCH_KEYS:-64}"
S3PROXY_VERSION="${S3PROXY_VERSION:-4.1.0}"
S3_ID="bench"
S3_SECRET="bench-secret-0123456789"
BUCKET="turbocache-bench"

for tool in wrk curl python3 sha256sum redis-server redis-cli; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

source "$BENCH_DIR/lib/common.sh"
bench_workdir turbocache-tiers

wait_until() { # name pid command...
  local name=$1 pid=$2; shift 2
  for _ in $(seq 600); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "$name exited during startup; log:" >&2; cat "$WORK/$name.log" >&2; return 1; }
    sleep 0.1
  done
  echo "$name did not start within 60 s" >&2
  return 1
}

stop_pid() { # pid: stop one process we started and drop it from PIDS
  local pid=$1 keep=()
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [[ "$p" != "$pid" ]] && keep+=("$p"); done
  PIDS=("${keep[@]}")
}

size_bytes() { case "$1" in 64k) echo $((64 * 1024)) ;; 1m) echo $((1024 * 1024)) ;; *) echo "unknown size $1" >&2; exit 1 ;; esac; }
size_code() { case "$1" in 64k) echo 01 ;; 1m) echo 02 ;; esac; }
config_code() { case "$1" in redis) echo b ;; s3) echo c ;; esac; }

# ---------------------------------------------------------------------------------------- build
ensure_jar

# The released S3Proxy jar-with-dependencies (Main-Class org.gaul.s3proxy.Main) from Maven Central.
CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/turbocache-bench"
S3PROXY_JAR="$CACHE_DIR/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
if [[ ! -s "$S3PROXY_JAR" ]]; then
  mkdir -p "$CACHE_DIR"
  log "downloading S3Proxy $S3PROXY_VERSION"
  curl -sSfL -o "$S3PROXY_JAR.part" \
    "https://repo.maven.apache.org/maven2/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar"
  mv "$S3PROXY_JAR.part" "$S3PROXY_JAR"
fi

# ------------------------------------------------------------------------------------ artifacts
mkdir -p "$WORK/artifacts"
for size in $SIZES; do
  head -c "$(size_bytes "$size")" /dev/urandom >"$WORK/artifacts/$size.bin"
done

# ------------------------------------------------------------------------------------ backends
REDIS_PORT="$(free_port)"
mkdir -p "$WORK/redis"
# No persistence: the bench measures the network/serialization path, not Redis' disk.
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$WORK/redis" \
  --maxmemory 2gb --maxmemory-policy noeviction --protected-mode yes >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
wait_until redis "$!" redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping
log "redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/') on 127.0.0.1:$REDIS_PORT"

S3_PORT="$(free_port)"
mkdir -p "$WORK/s3proxy/data/$BUCKET"     # filesystem blob store: a bucket is a directory
cat >"$WORK/s3proxy/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ID
s3proxy.credential=$S3_SECRET
jclouds.provider=filesystem-nio2
jclouds.identity=$S3_ID
jclouds.credential=$S3_SECRET
jclouds.filesystem.basedir=$WORK/s3proxy/data
EOF
"$JAVA" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -DLOG_LEVEL=warn -jar "$S3PROXY_JAR" \
  --properties "$WORK/s3proxy/s3proxy.properties" >"$WORK/s3proxy.log" 2>&1 &
PIDS+=($!)
# Unauthenticated requests get 403 once it listens.
wait_until s3proxy "$!" curl -s -o /dev/null -m 1 "http://127.0.0.1:$S3_PORT/"
log "S3Proxy $S3PROXY_VERSION (filesystem-nio2) on 127.0.0.1:$S3_PORT"

# ------------------------------------------------------------------------------------ TurboCache
TC_URL=""
TC_PID=""
start_turbocache() { # config
  local cfg=$1 port tiers; port="$(free_port)"
  case "$cfg" in redis) tiers="[redis, s3]" ;; s3) tiers="[s3]" ;; esac
  mkdir -p "$WORK/tc-$cfg/data"
  cat >"$WORK/tc-$cfg/tokens.yaml" <<EOF
tokens: [{name: bench, token: "$TOKEN", teams: ["*"], access: admin}]
EOF
  cat >"$WORK/tc-$cfg/config.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $port
  dataDir: $WORK/tc-$cfg/data
auth:
  tokensFile: $WORK/tc-$cfg/tokens.yaml
storage:
  tiers: $tiers
  redis:
    uri: redis://127.0.0.1:$REDIS_PORT/0
    keyPrefix: "tc-$cfg:"
  s3:
    bucket: $BUCKET
    region: us-east-1
    prefix: tc-$cfg/
    endpoint: http://127.0.0.1:$S3_PORT
    forcePathStyle: true
    accessKeyId: $S3_ID
    secretAccessKey: $S3_SECRET
logging:
  level: warn
EOF
  # shellcheck disable=SC2086
  "$JAVA" ${BENCH_JAVA_OPTS:-} -jar "$JAR" serve --config "$WORK/tc-$cfg/config.yaml" >"$WORK/turbocache-$cfg.log" 2>&1 &
  TC_PID=$!
  PIDS+=("$TC_PID")
  TC_URL="http://127.0.0.1:$port"
  wait_until "turbocache-$cfg" "$TC_PID" curl -sf -o /dev/null -m 1 "$TC_URL/metrics"
}

upload() { # config size
  local cfg=$1 size=$2 file="$WORK/artifacts/$2.bin" hashes="$WORK/artifacts/$1-$2.hashes" code
  : >"$hashes"
  for ((k = 0; k < KEYS; k++)); do
    printf 'a%s%s%012x\n' "$(config_code "$cfg")" "$(size_code "$size")" "$k" >>"$hashes"
  done
  while read -r hash; do
    code="$(curl -s -o /dev/null -w '%{http_code}' -T "$file" -X PUT -H 'Expect:' \
      -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/octet-stream' \
      -H 'x-artifact-duration: 1234' "$TC_URL/v8/artifacts/$hash?slug=$SLUG")"
    [[ "$code" == 2* ]] || { echo "upload failed: HTTP $code" >&2; tail -20 "$WORK/turbocache-$cfg.log" >&2; exit 1; }
  done <"$hashes"
  local want got
  want="$(sha256sum "$file" | cut -d' ' -f1)"
  hash="$(tail -n1 "$hashes")"
  got="$(curl -sf -H "Authorization: Bearer $TOKEN" "$TC_URL/v8/artifacts/$hash?slug=$SLUG" | sha256sum | cut -d' ' -f1)"
  [[ "$got" == "$want" ]] || { echo "config $cfg returned different bytes for $size" >&2; exit 1; }
}

run_wrk() { # config size conns seconds -> RESULT fields on stdout
  local cfg=$1 size=$2 c=$3 secs=$4 threads=2
  ((c < threads)) && threads=$c
  wrk -t"$threads" -c"$c" -d"${secs}s" --timeout 60s --latency -s "$BENCH_DIR/lua/get.lua" "$TC_URL" -- \
    "$WORK/artifacts/$cfg-$size.hashes" "$TOKEN" "$SLUG" >"$WORK/wrk.out" 2>&1 || { cat "$WORK/wrk.out" >&2; return 1; }
  grep '^RESULT ' "$WORK/wrk.out" | sed 's/^RESULT //' || { cat "$WORK/wrk.out" >&2; return 1; }
}

RESULTS="$WORK/results.txt"
: >"$RESULTS"
measure() { # config size conns rep
  local cfg=$1 size=$2 c=$3 rep=$4 res srv hits
  curl -s "$TC_URL/metrics" >"$WORK/m.before"
  res="$(run_wrk "$cfg" "$size" "$c" "$DURATION")"
  curl -s "$TC_URL/metrics" >"$WORK/m.after"
  srv="$(python3 "$BENCH_DIR/lib/promdelta.py" "$WORK/m.before" "$WORK/m.after" GET 200)"
  hits="$(python3 "$BENCH_DIR/lib/tierhits.py" "$WORK/m.before" "$WORK/m.after")"
  echo "config=$cfg size=$size size_bytes=$(size_bytes "$size") conns=$c rep=$rep $res $srv $hits" >>"$RESULTS"
  log "$(printf '%-5s %-3s c=%-2s rep %s: ' "$cfg" "$size" "$c" "$rep")$(sed -E \
    's/.*requests=([0-9]+).*p50_us=([0-9]+).*p99_us=([0-9]+).*err_status=([0-9]+).*/\1 req, p50 \2us, p99 \3us, status errors \4/' <<<"$res"); $(
    sed -E 's/.*srv_p99_le_us=(-?[0-9]+).*/srv p99<=\1us/' <<<"$srv"); $hits"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
STARTED="$(date +%s)"
for cfg in $CONFIGS; do
  log "starting TurboCache, config $cfg"
  start_turbocache "$cfg"
  for size in $SIZES; do
    upload "$cfg" "$size"
    log "uploaded $KEYS x $size"
  done
  for size in $SIZES; do
    ((WARMUP > 0)) && run_wrk "$cfg" "$size" 16 "$WARMUP" >/dev/null
    for c in $CONNS; do
      for ((rep = 1; rep <= REPEAT; rep++)); do measure "$cfg" "$size" "$c" "$rep"; done
    done
  done
  cp "$WORK/m.after" "$WORK/metrics-$cfg.txt"
  stop_pid "$TC_PID"
done
ELAPSED=$(($(date +%s) - STARTED))

# ---------------------------------------------------------------------------------------- report
META="$WORK/meta.txt"
{
  meta_head
  echo "java=$("$JAVA" -version 2>&1 | head -n1)$([[ -n "${BENCH_JAVA_OPTS:-}" ]] && echo ", options: $BENCH_JAVA_OPTS")"
  echo "redis=redis-server $(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/'), no persistence, loopback TCP"
  echo "s3=S3Proxy $S3PROXY_VERSION (jar-with-dependencies), filesystem-nio2 blob store in $(df -P "$WORK" | awk 'NR==2{print $1}'), aws-v2-or-v4 auth, path-style"
  echo "wrk=$(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2), threads=min(2,conns), keep-alive, bench/lua/get.lua"
  echo "machine=$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r); load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "settings=duration ${DURATION}s per cell, $REPEAT repetitions, warmup ${WARMUP}s per config/size, conns '$CONNS', $KEYS pre-uploaded artifacts per size; measuring took ${ELAPSED}s"
} >"$META"

mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/tiers-$(date +%Y%m%d-%H%M%S).md"
write_report "$OUT" "TurboCache remote-tier benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ)" "$BENCH_DIR/lib/tiers_report.py" \
  "$RESULTS" "$META"
