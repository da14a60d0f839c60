#!/bin/sh
# Probes of a Redis container. "live": Redis answers (also while loading or syncing). "ready": a
# master, or a replica whose initial sync from its master is done; a replica of nothing or one still
# syncing is alive but not ready.
export REDISCLI_AUTH="$REDIS_PASSWORD"
probe=${1:?live, ready or sentinel}
case "$probe" in
  live)
    answer=$(timeout 2 redis-cli -h "$BIND_ADDRESS" PING 2>&1) || exit 1
    case "$answer" in PONG*|LOADING*|MASTERDOWN*) exit 0 ;; *) exit 1 ;; esac ;;
  ready)
    info=$(timeout 2 redis-cli -h "$BIND_ADDRESS" INFO replication 2>/dev/null) || exit 1
    case "$info" in *role:master*) exit 0 ;; esac
    case "$info" in *master_link_status:up*) ;; *) exit 1 ;; esac
    case "$info" in *master_sync_in_progress:1*) exit 1 ;; esac
    exit 0 ;;
  sentinel)
    [ "$(timeout 2 redis-cli -h "$BIND_ADDRESS" -p 26379 PING 2>/dev/null)" = PONG ] ;;
  *) exit 2 ;;
esac
