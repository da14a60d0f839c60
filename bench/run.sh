#!/usr/bin/env bash
# Throughput/latency benchmark: TurboCache vs. the ducktors turborepo-remote-cache peer vs. nginx
# serving the same bytes as static files. All traffic goes to 127.0.0.1; every process started
# here is stopped by the EXIT trap. See docs/benchmarks.md.
#
# Settings (environment):
#   BENCH_DURATION   seconds per measured cell (default 10)
#   BENCH_REPEAT     repetitions of every cell, targets interleaved (default 2)
#   BENCH_WARMUP     seconds of unmeasured load per target/op/size before its cells (default 2)
#   BENCH_CONNS      connection counts for 64 KiB and 1 MiB (default "1 16 64")
#   BENCH_CONNS_BIG  connection counts for 32 MiB (default "1 4")
#   BENCH_SIZES      subset of "4k 64k 1m 32m" (default "64k 1m 32m")
#   BENCH_TARGETS    subset of "turbocache turbocache_b peer nginx" (default "turbocache peer nginx");
#                    turbocache_b is a second TurboCache from BENCH_JAR_B, e.g. the jar before a change
#   BENCH_JAR_B      the jar of turbocache_b
#   BENCH_JAVA_OPTS_B extra JVM options for turbocache_b only, after BENCH_JAVA_OPTS: the same jar with
#                    another setting, e.g. "-XX:AOTCache=b.aot" (an AOT cache recorded for BENCH_JAR_B)
#   BENCH_OPS        subset of "get put mixed miss" (default "get put mixed"; mixed: GET, batch query,
#                    GET, PUT per connection, 64 KiB and 1 MiB only; miss: GET of hashes no server
#                    holds, 404, once per connection count whatever the sizes)
#   BENCH_CONNS_MIXED connection counts for mixed (default "200")
#   BENCH_CONNS_MISS connection counts for miss (default "16 64")
#   BENCH_MISS_KEYS  hashes the misses cycle over (default 100000)
#   BENCH_PAUSE      share (0..1) of GET and miss requests a connection sends after a 1 ms pause: every
#                    target gets the same pauses, so with enough of them each runs below the rate it
#                    can carry and latency is compared away from the point where server and client
#                    fight over the CPUs (default 0: the closed loop at full speed)
#   BENCH_AUTH       what TurboCache's requests carry: token (a static token, default), jwt (one RS256 JWT
#                    for every request, as turbo sends one token per run) or jwt-fresh (each GET and
#                    miss the next of BENCH_JWT_COUNT distinct JWTs, more than the server remembers, so
#                    every signature is checked); the peer and nginx always get the static token
#   BENCH_AUTH_B     the same for turbocache_b (e.g. the same jar as BENCH_JAR_B, with jwt)
#   BENCH_JWT_COUNT  distinct JWTs minted for jwt-fresh (default 12000)
#   BENCH_ACCESS_LOG 1 = TurboCache with its production logging (access log on, level info, JSON;
#                    default 0: access log off, level warn, like the peer at LOG_LEVEL=warn)
#   BENCH_REBUILD    1 = always rebuild the jar (default: build only when sources are newer)
#   BENCH_JAVA_OPTS  extra JVM options for TurboCache (default none: the JVM's defaults)
#   BENCH_KEEP       1 = keep the temp directory (logs, data) after the run
#   BENCH_PIN        1 = the client (wrk, one thread) on the last CPU and every server on the others
#                    (taskset; nginx then runs one worker per server CPU), so the load generator
#                    cannot take a server's core: the closest this machine gets to a client on
#                    another host (default 0: all processes share all CPUs)
#   JAVA_HOME        JDK used to build and run (default /usr/lib/jvm/temurin-25-jdk-amd64)
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
DURATION="${BENCH_DURATION:-10}"
REPEAT="${BENCH_REPEAT:-2}"
WARMUP="${BENCH_WARMUP:-2}"
CONNS="${BENCH_CONNS:-1 16 64}"
CONNS_BIG="${BENCH_CONNS_BIG:-1 4}"
SIZES="${BENCH_SIZES:-64k 1m 32m}"
TARGETS="${BENCH_TARGETS:-turbocache peer nginx}"
OPS="${BENCH_OPS:-get put mixed}"
CONNS_MIXED="${BENCH_CONNS_MIXED:-200}"
CONNS_MISS="${BENCH_CONNS_MISS:-16 64}"
MISS_KEYS="${BENCH_MISS_KEYS:-100000}"
ACCESS_LOG="${BENCH_ACCESS_LOG:-0}"
PIN="${BENCH_PIN:-0}"
PAUSE="${BENCH_PAUSE:-0}"
[[ "$PAUSE" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || { echo "BENCH_PAUSE must be a share between 0 and 1, not '$PAUSE'" >&2; exit 1; }
[[ "$PAUSE" =~ ^0(\.0+)?$ ]] && PAUSE=0   # 0.0 is no pause: the report's header then says nothing of pauses

for tool in wrk curl python3 sha256sum node npm; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
if [[ " $TARGETS " == *" nginx "* ]] && ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  echo "missing tool: nginx (apt-get install -y nginx)" >&2; exit 1
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
CPUS="$(nproc)"
SERVER_PIN=(); CLIENT_PIN=(); CLIENT_THREADS=2; NGINX_WORKERS=2
if [[ "$PIN" == 1 ]]; then
  ((CPUS >= 2)) || { echo "BENCH_PIN=1 needs at least 2 CPUs (this machine has $CPUS)" >&2; exit 1; }
  command -v taskset >/dev/null || { echo "missing tool: taskset (apt-get install -y util-linux)" >&2; exit 1; }
  SERVER_CPUS="0-$((CPUS - 2))"
  SERVER_PIN=(taskset -c "$SERVER_CPUS"); CLIENT_PIN=(taskset -c "$((CPUS - 1))")
  CLIENT_THREADS=1; NGINX_WORKERS=$((CPUS - 1))
fi

source "$BENCH_DIR/lib/common.sh"
source "$BENCH_DIR/lib/servers.sh"
source "$BENCH_DIR/lib/jwt.sh"
bench_workdir turbocache-bench
declare -A AUTH_OF=([turbocache]="${BENCH_AUTH:-token}" [turbocache_b]="${BENCH_AUTH_B:-token}")
for t in turbocache turbocache_b; do
  [[ "${AUTH_OF[$t]}" =~ ^(token|jwt|jwt-fresh)$ ]] || { echo "the auth of $t must be token, jwt or jwt-fresh, not '${AUTH_OF[$t]}'" >&2; exit 1; }
done

size_bytes() {
  case "$1" in none) echo 0 ;; 4k) echo 4096 ;; 64k) echo $((64 * 1024)) ;; 1m) echo $((1024 * 1024)) ;; 32m) echo $((32 * 1024 * 1024)) ;;
    *) echo "unknown size $1" >&2; exit 1 ;; esac
}
get_keys() { case "$1" in 32m) echo 8 ;; *) echo 64 ;; esac; }          # pre-uploaded GET hashes
put_keys() { case "$1" in 32m) echo 2 ;; *) echo 32 ;; esac; }          # rotating PUT hashes per wrk thread
size_code() { case "$1" in 4k) echo 04 ;; 64k) echo 01 ;; 1m) echo 02 ;; 32m) echo 03 ;; esac; }
conns_for() { # op size
  if [[ "$1" == mixed ]]; then echo "$CONNS_MIXED"; return; fi
  if [[ "$1" == miss ]]; then echo "$CONNS_MISS"; return; fi
  case "$2" in 32m) echo "$CONNS_BIG" ;; *) echo "$CONNS" ;; esac
}

# ---------------------------------------------------------------------------------------- build
if [[ " $TARGETS " == *" turbocache "* ]]; then
  ensure_jar
fi
if [[ " $TARGETS " == *" turbocache_b "* && ! -f "${BENCH_JAR_B:-}" ]]; then
  echo "turbocache_b needs BENCH_JAR_B, the jar to compare with" >&2; exit 1
fi

if [[ " $TARGETS " == *" peer "* ]]; then
  ensure_peer
fi

# ------------------------------------------------------------------------------------ artifacts
mkdir -p "$WORK/artifacts"
for size in $SIZES; do
  head -c "$(size_bytes "$size")" /dev/urandom >"$WORK/artifacts/$size.bin"
  : >"$WORK/artifacts/$size.hashes"
  for ((k = 0; k < $(get_keys "$size"); k++)); do
    # 16 hex digits like turbo's own hashes: a0 <size code> <n>. PUTs use f0 <size code> ...
    printf 'a0%s%012x\n' "$(size_code "$size")" "$k" >>"$WORK/artifacts/$size.hashes"
  done
done
# Misses: hashes nobody uploads (b0...), shuffled so that no server sees them in file order.
python3 -c "import random,sys; k=list(range(int(sys.argv[1]))); random.Random(17).shuffle(k); print('\n'.join('b0%014x' % i for i in k))" \
  "$MISS_KEYS" >"$WORK/artifacts/miss.hashes"

# -------------------------------------------------------------------------------------- servers
declare -A URL SERVER_PID
if [[ "$ACCESS_LOG" == 1 ]]; then
  TC_LOGGING="level: info
  format: json
  accessLog: true    # the production default; the lines go to the server's log file"
else
  TC_LOGGING="level: warn
  accessLog: false   # like the peer at LOG_LEVEL=warn, which logs no request lines"
fi
if [[ " $TARGETS " == *" turbocache "* && "${AUTH_OF[turbocache]}" == jwt* ]] ||
  [[ " $TARGETS " == *" turbocache_b "* && "${AUTH_OF[turbocache_b]}" == jwt* ]]; then
  mint_jwts
fi
for t in $TARGETS; do
  log "starting $t"
  "start_$t"
done

# ------------------------------------------------------------------------------ load GET data
for size in $SIZES; do
  file="$WORK/artifacts/$size.bin"
  want="$(sha256sum "$file" | cut -d' ' -f1)"
  for t in $TARGETS; do
    while read -r hash; do
      if [[ "$t" == nginx ]]; then
        cp "$file" "$WORK/nginx/root/v8/artifacts/$hash"
      else
        # No "Expect: 100-continue" (curl -T sends it; turbo never does): a round trip less per upload.
        code="$(curl -s -o /dev/null -w '%{http_code}' -T "$file" -X PUT -H 'Expect:' \
          -H "Authorization: Bearer $(bearer_of "$t" single)" -H 'Content-Type: application/octet-stream' \
          -H 'x-artifact-duration: 1234' "${URL[$t]}/v8/artifacts/$hash?slug=$SLUG")"
        [[ "$code" == 2* ]] || { echo "upload to $t failed: HTTP $code" >&2; exit 1; }
      fi
    done <"$WORK/artifacts/$size.hashes"
    # Check one round trip per target and size byte for byte.
    hash="$(tail -n1 "$WORK/artifacts/$size.hashes")"
    got="$(curl -sf -H "Authorization: Bearer $(bearer_of "$t" single)" "${URL[$t]}/v8/artifacts/$hash?slug=$SLUG" | sha256sum | cut -d' ' -f1)"
    [[ "$got" == "$want" ]] || { echo "$t returned different bytes for $size" >&2; exit 1; }
  done
  log "loaded $(get_keys "$size") x $size into: $TARGETS"
done

# ------------------------------------------------------------------------------------- measure
RESULTS="$WORK/results.txt"
: >"$RESULTS"
STAMP="$(date +%Y%m%d-%H%M%S)"
RAW="$BENCH_DIR/results/$STAMP-raw"   # every wrk run's own output
CLK_TCK="$(getconf CLK_TCK)"
mkdir -p "$RAW"

run_wrk() { # target op size conns seconds -> RESULT line on stdout
  local t=$1 op=$2 size=$3 c=$4 secs=$5 threads=$CLIENT_THREADS cpu0
  ((c < threads)) && threads=$c
  local script args
  if [[ "$op" == get || "$op" == miss ]]; then
    local hashes="$size"; [[ "$op" == miss ]] && hashes=miss
    script="$BENCH_DIR/lua/get.lua"; args=("$WORK/artifacts/$hashes.hashes" "$(bearer_of "$t")" "$SLUG" "$PAUSE")
  elif [[ "$op" == mixed ]]; then
    script="$BENCH_DIR/lua/mixed.lua"
    args=("$WORK/artifacts/$size.hashes" "$WORK/artifacts/$size.bin" "$(bearer_of "$t" single)" "$SLUG" "f1$(size_code "$size")" 4)
  else
    script="$BENCH_DIR/lua/put.lua"
    args=("$WORK/artifacts/$size.bin" "$(bearer_of "$t" single)" "$SLUG" "f0$(size_code "$size")" "$(put_keys "$size")")
  fi
  children_cpu_ticks; cpu0=$TICKS
  "${CLIENT_PIN[@]}" wrk -t"$threads" -c"$c" -d"${secs}s" --timeout 60s --latency -s "$script" "${URL[$t]}" -- "${args[@]}" \
    >"$WORK/wrk.out" 2>&1 || { cat "$WORK/wrk.out" >&2; return 1; }
  children_cpu_ticks
  # wrk's CPU as a share of one core: near 100 per wrk thread, the client sets the pace.
  local client=$(( (TICKS - cpu0) * 100 / CLK_TCK / secs )) line
  line="$(grep '^RESULT ' "$WORK/wrk.out" | sed 's/^RESULT //')" || { cat "$WORK/wrk.out" >&2; return 1; }
  echo "$line client_cpu_pct=$client"
}

# TICKS = user + system CPU ticks of this shell's exited children (wrk once it has ended); read
# with a builtin, since a command substitution would be a shell of its own without them.
children_cpu_ticks() {
  local -a stat
  read -r -a stat <"/proc/$BASHPID/stat"
  TICKS=$((stat[15] + stat[16]))
}

measure() { # target op size conns rep
  local t=$1 op=$2 size=$3 c=$4 rep=$5 res srv="" load cpu0 requests
  load="$(cut -d' ' -f1 /proc/loadavg)"
  [[ "$t" == turbocache* ]] && curl -s "${URL[$t]}/metrics" >"$WORK/m.before"
  cpu0="$(server_cpu_ticks "$t")"
  res="$(run_wrk "$t" "$op" "$size" "$c" "$DURATION")"
  requests="$(sed -E 's/.*requests=([0-9]+).*/\1/' <<<"$res")"
  # The server's own CPU per request (kernel time included): what it costs beside the client.
  res+=" cpu_us_per_req=$(( ($(server_cpu_ticks "$t") - cpu0) * 1000000 / CLK_TCK / (requests > 0 ? requests : 1) ))"
  cp "$WORK/wrk.out" "$RAW/$t-$op-$size-c$c-r$rep.txt"
  if [[ "$t" == turbocache* ]]; then
    curl -s "${URL[$t]}/metrics" >"$WORK/m.after"
    # mixed: the server-side figures are those of its GETs
    local method=GET status=200; [[ "$op" == put ]] && method=PUT status=202; [[ "$op" == miss ]] && status=404
    srv="$(python3 "$BENCH_DIR/lib/promdelta.py" "$WORK/m.before" "$WORK/m.after" "$method" "$status")"
  fi
  echo "target=$t op=$op size=$size size_bytes=$(size_bytes "$size") conns=$c rep=$rep load1=$load $res $srv" >>"$RESULTS"
  log "$(printf '%-10s %-3s %-3s c=%-3s rep %s: %s %s' "$t" "$op" "$size" "$c" "$rep" \
    "$(sed -E 's/.*requests=([0-9]+).*p50_us=([0-9]+).*p99_us=([0-9]+).*err_status=([0-9]+).*/\1 req, p50 \2us, p99 \3us, status errors \4/' <<<"$res")" \
    "$(sed -E 's/.*srv_p99_le_us=(-?[0-9]+).*tier=(.*)/srv p99<=\1us tier=\2/' <<<"$srv")")"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
STARTED="$(date +%s)"
for op in $OPS; do
  op_sizes="$SIZES"; [[ "$op" == miss ]] && op_sizes=none
  for size in $op_sizes; do
    targets=""
    for t in $TARGETS; do
      [[ "$op" != get && "$op" != miss && "$t" == nginx ]] && continue   # static file server: GET only
      targets+="$t "
    done
    [[ -z "$targets" ]] && continue
    [[ "$op" == mixed && "$size" == 32m ]] && continue  # 200 x 32 MiB in flight is not a cache workload
    if ((WARMUP > 0)); then
      wc=16; [[ "$size" == 32m ]] && wc=4
      for t in $targets; do run_wrk "$t" "$op" "$size" "$wc" "$WARMUP" >/dev/null; done
    fi
    for c in $(conns_for "$op" "$size"); do
      for ((rep = 1; rep <= REPEAT; rep++)); do
        for t in $targets; do measure "$t" "$op" "$size" "$c" "$rep"; done
      done
    done
  done
done
ELAPSED=$(($(date +%s) - STARTED))

# ---------------------------------------------------------------------------------------- report
META="$WORK/meta.txt"
{
  meta_head
  echo "java=$("$JAVA" -version 2>&1 | head -n1)$([[ -n "${BENCH_JAVA_OPTS:-}" ]] && echo ", options: $BENCH_JAVA_OPTS")"
  meta_peer
  [[ " $TARGETS " == *" nginx "* ]] && echo "nginx=$("$NGINX" -v 2>&1 | sed 's/.*: //'), $NGINX_WORKERS workers, sendfile on, access_log off"
  echo "wrk=$(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2), threads=min($CLIENT_THREADS,conns), keep-alive"
  if [[ "$PIN" == 1 ]]; then
    echo "pinning=servers on CPUs $SERVER_CPUS, wrk on CPU $((CPUS - 1)) (BENCH_PIN=1)"
  else
    echo "pinning=none: servers and wrk share all $CPUS CPUs"
  fi
  echo "machine=$(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r); load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "settings=duration ${DURATION}s per cell, $REPEAT repetitions (targets interleaved), warmup ${WARMUP}s, conns '$CONNS' (32 MiB: '$CONNS_BIG', mixed: '$CONNS_MIXED'); measuring took ${ELAPSED}s"
  [[ " $TARGETS " == *" turbocache_b "* ]] && echo "turbocache_b=$BENCH_JAR_B ($(sha256sum "$BENCH_JAR_B" | cut -c1-12)), $([[ -n "${BENCH_JAVA_OPTS_B:-}" ]] && echo "options: $BENCH_JAVA_OPTS_B" || echo "same settings")"
  echo "turbocache logging=$(tr '\n' ' ' <<<"$TC_LOGGING" | sed 's/ *#.*//')"
  for t in turbocache turbocache_b; do
    [[ " $TARGETS " == *" $t "* && "${AUTH_OF[$t]}" != token ]] &&
      echo "$t auth=${AUTH_OF[$t]} (RS256 JWTs, keys from a JWKS file$([[ "${AUTH_OF[$t]}" == jwt-fresh ]] && echo ", $JWT_COUNT distinct tokens cycled by GET and miss cells"))"
  done
  echo "load1=the 1-minute load average when each measurement started (column load)"
  [[ "$PAUSE" != 0 ]] && echo "pause=$PAUSE of GET and miss requests wait 1 ms before they are sent (BENCH_PAUSE), the same pauses for every target"
  echo "GET=cycles over pre-uploaded hashes (64 per size, 8 for 32 MiB)"
  [[ " $OPS " == *" miss "* ]] && echo "MISS=GET cycling over $MISS_KEYS hashes no server holds (404; nginx: log_not_found off), conns '$CONNS_MISS'"
  echo "PUT=each wrk thread overwrites its own rotating set of hashes (32 per thread, 2 for 32 MiB): every PUT is a full write; neither server fsyncs (TurboCache storage.disk.fsync defaults to false)"
} >"$META"

mkdir -p "$BENCH_DIR/results"
OUT="$BENCH_DIR/results/$STAMP.md"
write_report "$OUT" "TurboCache benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ)" "$BENCH_DIR/lib/report.py" "$RESULTS" "$META"
