# Shared by the Redis and sentinel start scripts (sourced, not run).

# The master the given sentinels ("host:port ...") name for $MASTER_NAME, as "host port", or
# nothing; a sentinel on host $2 (the caller itself) is skipped.
named_master() {
  for sentinel in $1; do
    [ "${sentinel%:*}" = "${2:-}" ] && continue
    answer=$(timeout 3 redis-cli -h "${sentinel%:*}" -p "${sentinel##*:}" --raw \
      SENTINEL get-master-addr-by-name "$MASTER_NAME" 2>/dev/null) || continue
    host=$(printf '%s\n' "$answer" | sed -n 1p)
    port=$(printf '%s\n' "$answer" | sed -n 2p)
    if [ -n "$host" ] && [ -n "$port" ]; then
      echo "$host $port"
      return
    fi
  done
}
