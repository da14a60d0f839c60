#!/usr/bin/env bash
# End to end with the real turbo CLI: how long a cold CI run (every task a remote miss, run, then
# uploaded) and a warm one (every task a remote hit, restored, nothing run) take with TurboCache,
# with nginx as the smallest cache turbo can use (static files, WebDAV PUT, no authentication), with
# the peer, and with turbo's own local cache as the floor ("local": no server at all). If the server
# is not what limits turbo, the remote runs take as long as the local ones. All traffic goes to
# 127.0.0.1; every process started here is stopped by the EXIT trap. See docs/benchmarks.md.
#
# Settings (environment):
#   BENCH_TASKS       packages in the generated monorepo, one build task each (default 64)
#   BENCH_OUTPUT      bytes of random output each task writes (default 32768; the artifact is about that size)
#   BENCH_REPEAT      rounds, targets interleaved; each round is one cold run per target (default 3)
#   BENCH_WARM_RUNS   warm runs per target and round, each after deleting every task's outputs (default 3)
#   BENCH_WARMUP      unmeasured turbo rounds first (default 1)
#   BENCH_SERVER_WARMUP seconds of wrk load on every server before that, uploads, hits and misses of
#                     artifacts of BENCH_OUTPUT bytes in runs of 1 s, so a JVM has compiled the paths
#                     a long-running server has (default 30; 0 = none: the servers' first requests)
#   BENCH_CONCURRENCY turbo's --concurrency (default 16)
#   BENCH_TARGETS     subset of "turbocache peer nginx local" (default all four)
#   BENCH_ACCESS_LOG  0 = TurboCache without its access log (default 1: the production default)
#   BENCH_KEEP        1 = keep the temp directory (turbo's outputs, server logs)
#   JAVA_HOME         JDK used to build and run (default /usr/lib/jvm/temurin-25-jdk-amd64)
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
TASKS="${BENCH_TASKS:-64}"
OUTPUT="${BENCH_OUTPUT:-32768}"
REPEAT="${BENCH_REPEAT:-3}"
WARM_RUNS="${BENCH_WARM_RUNS:-3}"
WARMUP="${BENCH_WARMUP:-1}"
SERVER_WARMUP="${BENCH_SERVER_WARMUP:-30}"
CONCURRENCY="${BENCH_CONCURRENCY:-16}"
TARGETS="${BENCH_TARGETS:-turbocache peer nginx local}"
ACCESS_LOG="${BENCH_ACCESS_LOG:-1}"
# The turbo the end-to-end tests pin (cache-server/src/test/turbo), installed there by npm ci.
TURBO_PKG="$ROOT/cache-server/src/test/turbo"

for tool in curl python3 node npm git; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
if ((SERVER_WARMUP > 0)) && ! command -v wrk >/dev/null; then
  echo "missing tool: wrk (apt-get install -y wrk), or BENCH_SERVER_WARMUP=0" >&2; exit 1
fi
for t in $TARGETS; do
  case "$t" in turbocache | peer | nginx | local) ;; *) echo "unknown target $t (turbocache peer nginx local)" >&2; exit 1 ;; esac
done
if [[ " $TARGETS " == *" nginx "* ]] && ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  echo "missing tool: nginx (apt-get install -y nginx-light)" >&2; exit 1
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
NGINX_WORKERS=2
SERVER_PIN=()
case "$(uname -m)" in x86_64) TURBO_ARCH=64 ;; aarch64) TURBO_ARCH=arm64 ;; *) echo "turbo has no binary for $(uname -m)" >&2; exit 1 ;; esac
TURBO="$TURBO_PKG/node_modules/@turbo/linux-$TURBO_ARCH/bin/turbo"

source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/servers.sh"
bench_workdir turbocache-turbo-bench

if [[ ! -x "$TURBO" ]]; then
  log "installing turbo (npm ci in $TURBO_PKG)"
  (cd "$TURBO_PKG" && npm ci --no-audit --no-fund --loglevel=error)
fi
[[ " $TARGETS " == *" turbocache "* ]] && ensure_jar
[[ " $TARGETS " == *" peer "* ]] && ensure_peer

if [[ "$ACCESS_LOG" == 1 ]]; then
  TC_LOGGING="level: info
  format: json
  accessLog: true    # the production default; the lines go to the server's log file"
else
  TC_LOGGING="level: warn
  accessLog: false"
fi

# ------------------------------------------------------------------------------------ monorepo
# npm workspaces with no dependencies (turbo reads the graph from package.json files and the lock
# file, so no npm install), one package per task, committed to git so that turbo hashes only the
# tracked sources. salt.txt is a global input: a new salt makes every task a miss.
TEMPLATE="$WORK/template"
mkdir -p "$TEMPLATE"
cat >"$TEMPLATE/package.json" <<'EOF'
{"name": "bench-monorepo", "private": true, "packageManager": "npm@10.9.0", "workspaces": ["packages/*"]}
EOF
cat >"$TEMPLATE/turbo.json" <<'EOF'
{"$schema": "https://turborepo.dev/schema.json", "globalDependencies": ["salt.txt"],
 "tasks": {"build": {"outputs": ["dist/**"]}}}
EOF
cat >"$TEMPLATE/build.js" <<EOF
const fs = require("fs");
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/out.bin", require("crypto").randomBytes($OUTPUT));
EOF
printf 'node_modules\n.turbo\ndist\nsalt.txt\n' >"$TEMPLATE/.gitignore"
python3 - "$TEMPLATE" "$TASKS" <<'EOF'
import json, os, sys
root, tasks = sys.argv[1], int(sys.argv[2])
lock = {"name": "bench-monorepo", "lockfileVersion": 3, "requires": True,
        "packages": {"": {"name": "bench-monorepo", "workspaces": ["packages/*"]}}}
for i in range(tasks):
    name = f"p{i:04d}"
    path = f"packages/{name}"
    os.makedirs(os.path.join(root, path))
    with open(os.path.join(root, path, "package.json"), "w") as f:
        json.dump({"name": f"@bench/{name}", "version": "1.0.0", "private": True,
                   "scripts": {"build": "node ../../build.js"}}, f)
    lock["packages"][f"node_modules/@bench/{name}"] = {"resolved": path, "link": True}
    lock["packages"][path] = {"name": f"@bench/{name}", "version": "1.0.0"}
with open(os.path.join(root, "package-lock.json"), "w") as f:
    json.dump(lock, f, indent=1)
EOF
git -C "$TEMPLATE" init -q
git -C "$TEMPLATE" add -A
git -C "$TEMPLATE" -c user.name=bench -c user.email=bench@127.0.0.1 commit -q -m "bench monorepo"

# -------------------------------------------------------------------------------------- servers
declare -A URL SERVER_PID
for t in $TARGETS; do
  [[ "$t" == local ]] && continue
  log "starting $t"
  "start_$t"
done

# --------------------------------------------------------------------------------- server warm-up
# A JIT compiles a path after thousands of calls; the few hundred requests of a turbo run leave a
# fresh JVM compiling for many runs, which a server that has served builds for an hour is not.
# Each wrk run is 1 s with new connections, as every turbo run opens its own.
head -c "$OUTPUT" /dev/urandom >"$WORK/warmup.bin"
printf 'f0%02x%06x\n' $(for thread in 0 1; do for k in $(seq 0 31); do echo "$thread $k"; done; done) >"$WORK/warmup.hits"
printf 'e0%014x\n' $(seq 1 1000) >"$WORK/warmup.misses"
server_warmup() { # target
  local end=$((SECONDS + SERVER_WARMUP)) lua="$BENCH_DIR/lua"
  while ((SECONDS < end)); do
    wrk -t2 -c16 -d1s -s "$lua/put.lua" "${URL[$1]}" -- "$WORK/warmup.bin" "$TOKEN" "$SLUG" f0 32 >/dev/null
    wrk -t2 -c16 -d1s -s "$lua/get.lua" "${URL[$1]}" -- "$WORK/warmup.hits" "$TOKEN" "$SLUG" >/dev/null
    wrk -t2 -c16 -d1s -s "$lua/get.lua" "${URL[$1]}" -- "$WORK/warmup.misses" "$TOKEN" "$SLUG" >/dev/null
  done
}
if ((SERVER_WARMUP > 0)); then
  for t in $TARGETS; do
    [[ "$t" == local ]] && continue
    log "warming up $t (${SERVER_WARMUP} s of wrk)"
    server_warmup "$t"
  done
fi

# ------------------------------------------------------------------------------------- measure
# Only what turbo reads; its home directories are the run's own, so no login or config leaks in.
TURBO_ENV=(env -i "PATH=$PATH" "HOME=$WORK/home" "XDG_CONFIG_HOME=$WORK/home/config" "XDG_CACHE_HOME=$WORK/home/cache"
  TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 TURBO_NO_UPDATE_NOTIFIER=1 NO_UPDATE_NOTIFIER=1 TURBO_PRINT_VERSION_DISABLED=1
  TURBO_UI=false NO_COLOR=1)
RESULTS="$WORK/results.txt"
: >"$RESULTS"
STAMP="$(date +%Y%m%d-%H%M%S)"
RAW="$BENCH_DIR/results/$STAMP-turbo-raw"   # every turbo run's own output
mkdir -p "$RAW"
CLK_TCK="$(getconf CLK_TCK)"

run_turbo() { # target phase round run; round 0 and below: warm-up, not recorded
  local t=$1 phase=$2 round=$3 run=$4 repo="$WORK/repo-$1" cache env_args=() cpu0=0 cpu=0 start ms out cached tasks
  if [[ "$t" == local ]]; then
    cache="local:rw"
  else
    cache="remote:rw"
    env_args=("TURBO_API=${URL[$t]}" "TURBO_TOKEN=$TOKEN" "TURBO_TEAM=$SLUG")
    cpu0="$(server_cpu_ticks "$t")"
  fi
  # Nothing of an earlier run may satisfy a task but the cache under test.
  rm -rf "$repo"/packages/*/dist "$repo"/packages/*/.turbo
  out="$RAW/$t-$phase-r$round-$run.txt"
  start="$(date +%s%N)"
  (cd "$repo" && "${TURBO_ENV[@]}" "${env_args[@]}" "$TURBO" run build "--cache=$cache" "--concurrency=$CONCURRENCY") >"$out" 2>&1 ||
    { cat "$out" >&2; echo "turbo failed against $t" >&2; return 1; }
  ms=$((($(date +%s%N) - start) / 1000000))
  [[ "$t" != local ]] && cpu="$(server_cpu_ticks "$t")"
  tasks="$(sed -nE 's/^ *Tasks: +([0-9]+) successful.*/\1/p' "$out")"
  cached="$(sed -nE 's/^ *Cached: +([0-9]+) cached.*/\1/p' "$out")"
  local want=0; [[ "$phase" == warm ]] && want=$TASKS
  [[ "$tasks" == "$TASKS" && "$cached" == "$want" ]] ||
    { cat "$out" >&2; echo "$t $phase: $tasks tasks, $cached cached; expected $TASKS tasks, $want cached" >&2; return 1; }
  local cpu_ms=$(((cpu - cpu0) * 1000 / CLK_TCK))
  ((round > 0)) && echo "target=$t phase=$phase round=$round run=$run ms=$ms server_cpu_ms=$cpu_ms" >>"$RESULTS"
  log "$(printf '%-10s %-4s round %s.%s: %6d ms, server CPU %5d ms' "$t" "$phase" "$round" "$run" "$ms" "$cpu_ms")"
}

for t in $TARGETS; do
  cp -a "$TEMPLATE" "$WORK/repo-$t"
done
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
STARTED="$(date +%s)"
for ((round = 1 - WARMUP; round <= REPEAT; round++)); do
  for t in $TARGETS; do
    echo "$STAMP $round $t" >"$WORK/repo-$t/salt.txt"   # a salt of its own: never a hit from another run
    rm -rf "$WORK/repo-$t/.turbo"   # local: the cold run starts without a local cache
    run_turbo "$t" cold "$round" 1
    for ((w = 1; w <= WARM_RUNS; w++)); do run_turbo "$t" warm "$round" "$w"; done
  done
done
ELAPSED=$(($(date +%s) - STARTED))

# ---------------------------------------------------------------------------------------- report
META="$WORK/meta.txt"
{
  meta_head
  echo "turbo=$("$TURBO" --version), --concurrency=$CONCURRENCY, --cache=remote:rw (local: --cache=local:rw)"
  echo "monorepo=$TASKS packages, one build task each (npm run build → node writing $OUTPUT random bytes to dist/), no dependencies between them"
  echo "warm-up=${SERVER_WARMUP} s of wrk per server (uploads, hits, misses of $OUTPUT bytes, 1 s runs), then $WARMUP unmeasured turbo rounds"
  echo "runs=$WARMUP unmeasured and $REPEAT measured rounds, targets interleaved; per round and target one cold run (new global salt: every task misses, runs and is uploaded) and $WARM_RUNS warm runs (outputs deleted first: every task a hit); measuring took ${ELAPSED}s"
  echo "java=$("$JAVA" -version 2>&1 | head -n1)"
  meta_peer
  [[ " $TARGETS " == *" nginx "* ]] && echo "nginx=$("$NGINX" -v 2>&1 | sed 's/.*: //'), $NGINX_WORKERS workers, static GET, WebDAV PUT, access_log off, no authentication"
  echo "turbocache logging=$(tr '\n' ' ' <<<"$TC_LOGGING" | sed 's/ *#.*//')"
  echo "machine=$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), kernel $(uname -r); turbo, npm, the tasks and the servers share all CPUs; load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$META"
OUT="$BENCH_DIR/results/$STAMP-turbo.md"
write_report "$OUT" "TurboCache end-to-end benchmark with turbo $(date -u +%Y-%m-%dT%H:%M:%SZ)" "$BENCH_DIR/lib/turbo_report.py" \
  "$RESULTS" "$META"
