# Starts the servers the benchmarks compare (sourced after lib/common.sh): TurboCache from a jar,
# the ducktors peer, and nginx as the smallest cache turbo can use (static GETs, WebDAV PUTs, a
# fixed status and events answer, no authentication). Each start_* adds its pid to PIDS and sets
# URL[name] and SERVER_PID[name].
#
# Expects, besides what lib/common.sh sets (JAVA, JAR, TOKEN): BENCH_DIR, WORK, PIDS, TC_LOGGING
# (the server's logging: block), NGINX, NGINX_WORKERS, SERVER_PIN (a command prefix, may be
# empty), BENCH_JAR_B and BENCH_JAVA_OPTS_B (for start_turbocache_b), and `declare -A URL SERVER_PID`;
# optionally `declare -A AUTH_OF` (a TurboCache's name to token, jwt or jwt-fresh: with jwt* it also
# trusts the JWTs of lib/jwt.sh, whose files are in JWT_DIR).

# ensure_peer: installs the peer from bench/package-lock.json when missing; sets PEER_BIN and
# PEER_VERSION (start_peer runs PEER_BIN).
ensure_peer() {
  PEER_BIN="$BENCH_DIR/node_modules/turborepo-remote-cache/dist/cli.js"
  if [[ ! -f "$PEER_BIN" ]]; then
    log "installing the peer (npm ci)"
    (cd "$BENCH_DIR" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  PEER_VERSION="$(node -p "require('$BENCH_DIR/node_modules/turborepo-remote-cache/package.json').version")"
}

# The report's line on the peer, when it ran.
meta_peer() {
  if [[ -n "${PEER_VERSION:-}" ]]; then
    echo "peer=turborepo-remote-cache $PEER_VERSION on node $(node --version), local storage, LOG_LEVEL=warn"
  fi
}

wait_http() { # url, name, pid
  for _ in $(seq 600); do
    if curl -s -o /dev/null -m 1 "$1"; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "$2 exited during startup; log:" >&2; cat "$WORK/$2.log" >&2; return 1; }
    sleep 0.1
  done
  echo "$2 did not start within 60 s" >&2
  return 1
}

server_cpu_ticks() { # target -> user+system CPU ticks of its server process and children (nginx's workers)
  local total=0 p
  for p in "${SERVER_PID[$1]}" $(pgrep -P "${SERVER_PID[$1]}" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}

start_turbocache() { start_tc turbocache "$JAR"; }
# shellcheck disable=SC2086
start_turbocache_b() { start_tc turbocache_b "$BENCH_JAR_B" ${BENCH_JAVA_OPTS_B:-}; }
start_tc() { # name jar [extra JVM options]
  local name=$1 jar=$2 port; port="$(free_port)"; shift 2
  mkdir -p "$WORK/$name/data"
  cat >"$WORK/$name/tokens.yaml" <<EOF
tokens: [{name: bench, token: "$TOKEN", teams: ["*"], access: admin}]
EOF
  local jwt=""
  if [[ "${AUTH_OF[$name]:-token}" == jwt* ]]; then
    jwt="$(jwt_issuer_config)"
  fi
  cat >"$WORK/$name/config.yaml" <<EOF
server:
  host: 127.0.0.1
  port: $port
  dataDir: $WORK/$name/data
auth:
  tokensFile: $WORK/$name/tokens.yaml
$jwt
storage:
  tiers: [memory, disk]
  memory:
    maxSize: 512Mi
    maxArtifactSize: 8Mi   # 64 KiB and 1 MiB live in memory; 32 MiB only on disk
  disk:
    maxSize: 20Gi
logging:
  $TC_LOGGING
EOF
  # shellcheck disable=SC2086
  "${SERVER_PIN[@]}" "$JAVA" ${BENCH_JAVA_OPTS:-} "$@" -jar "$jar" serve --config "$WORK/$name/config.yaml" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  SERVER_PID[$name]=$!
  URL[$name]="http://127.0.0.1:$port"
  wait_http "${URL[$name]}/metrics" "$name" "$!"
}

start_peer() {
  local port; port="$(free_port)"
  mkdir -p "$WORK/peer/data"
  # What `npx turborepo-remote-cache` runs, started directly so the PID is node's own.
  HOST=127.0.0.1 PORT="$port" TURBO_TOKEN="$TOKEN" STORAGE_PROVIDER=local STORAGE_PATH="$WORK/peer/data" \
    STORAGE_PATH_USE_TMP_FOLDER=false BODY_LIMIT=104857600 LOG_LEVEL=warn NODE_ENV=production \
    "${SERVER_PIN[@]}" node "$PEER_BIN" >"$WORK/peer.log" 2>&1 &
  PIDS+=($!)
  SERVER_PID[peer]=$!
  URL[peer]="http://127.0.0.1:$port"
  wait_http "${URL[peer]}/v8/artifacts/status" peer "$!"
}

start_nginx() {
  local port dir; port="$(free_port)"; dir="$WORK/nginx"
  mkdir -p "$dir/root/v8/artifacts" "$dir/tmp" "$dir/logs"
  local user_line=""
  [[ "$(id -u)" == 0 ]] && user_line="user root root;"   # workers must read the temp dir (mode 700)
  cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes $NGINX_WORKERS;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 65s;
  log_not_found off;   # a miss is a 404, not an error-log line
  default_type application/octet-stream;
  client_body_temp_path $dir/tmp/body;
  client_max_body_size 0;   # turbo's uploads, whatever their size
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $dir/root;
    # What turbo needs from a cache besides GET: a status, a place for its events, and PUT.
    location = /v8/artifacts/status { default_type application/json; return 200 '{"status":"enabled"}'; }
    location = /v8/artifacts/events { return 200; }
    location /v8/artifacts/ {
      limit_except GET PUT { deny all; }
      dav_methods PUT;
      create_full_put_path on;
    }
  }
}
EOF
  "${SERVER_PIN[@]}" "$NGINX" -e "$dir/logs/error.log" -p "$dir" -c "$dir/nginx.conf" >"$WORK/nginx.log" 2>&1 &
  PIDS+=($!)
  SERVER_PID[nginx]=$!
  URL[nginx]="http://127.0.0.1:$port"
  wait_http "${URL[nginx]}/" nginx "$!"
}
