# Shared by bench/*.sh (sourced): the JDK, jar and token every script uses, logging, the temp work
# dir with an exit trap that stops every process the script started, free loopback ports, and
# building the server jar when stale. Expects ROOT (the repository) to be set by the caller.

export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
JAR="$ROOT/cache-server/target/turbocache-server.jar"
TOKEN="bench-token-0123456789abcdef"   # in every server's tokens file, admin on every team
SLUG="bench"

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# bench_workdir PREFIX: creates $WORK and an empty $PIDS; on exit stops every pid in $PIDS
# (newest first, SIGTERM, SIGKILL after 5 s) and deletes $WORK unless BENCH_KEEP=1.
bench_workdir() {
  WORK="$(mktemp -d "/tmp/$1.XXXXXX")"
  PIDS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[$i]}" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    # Bounded wait: escalate if a server ignores SIGTERM.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ "${BENCH_KEEP:-0}" == 1 ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# ensure_jar: builds $JAR when missing, when BENCH_REBUILD=1, or when a server source is newer.
ensure_jar() {
  if [[ "${BENCH_REBUILD:-0}" == 1 || ! -f "$JAR" ||
    -n "$(find "$ROOT/cache-server/src" "$ROOT/cache-server/pom.xml" "$ROOT/pom.xml" -newer "$JAR" -type f -print -quit)" ]]; then
    log "building $JAR"
    (cd "$ROOT" && ./mvnw -B -q -pl cache-server -am package -DskipTests)
  else
    log "reusing $JAR (no source is newer)"
  fi
}

# The report's first lines: when, and what was measured (the last commit that changed the
# server, the checkout, and whether the server's sources differ from it).
meta_head() {
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "turbocache commit=$(git -C "$ROOT" log -1 --format=%h -- cache-server pom.xml) (last server change; checkout $(git -C "$ROOT" rev-parse --short HEAD))$(git -C "$ROOT" diff --quiet HEAD -- cache-server || echo ' (dirty)')"
}

# write_report OUT TITLE RENDERER RESULTS META: keeps the raw results beside OUT first (a
# renderer that fails does not lose the run), renders OUT with the python RENDERER and prints it.
write_report() {
  cp "$4" "${1%.md}.raw.txt"
  {
    echo "# $2"
    echo
    python3 "$3" "$4" "$5"
  } >"$1"
  cat "$1"
  log "report written to $1"
}
