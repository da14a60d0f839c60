#!/bin/sh
# Starts one sentinel of a TurboCache. Its configuration is rebuilt at every start in a writable
# directory (sentinel rewrites it as it learns), with an id derived from its host name so that its
# peers recognise it after a restart. It monitors the master its peers name; when none of them
# knows one it starts monitoring nothing, and the operator points it at the master once there is one
# (the operator also corrects a sentinel whose view went stale).
set -eu
: "${REDIS_PASSWORD:?}" "${BIND_ADDRESS:?}" "${ANNOUNCE_HOST:?}" "${SENTINEL_DATA_DIR:?}" "${MASTER_NAME:?}"
: "${QUORUM:?}" "${DOWN_AFTER_MS:?}" "${FAILOVER_TIMEOUT_MS:?}"
export REDISCLI_AUTH="$REDIS_PASSWORD"
conf="$SENTINEL_DATA_DIR/sentinel.conf"
umask 077
myid=$(printf '%s' "$ANNOUNCE_HOST" | sha1sum | cut -c1-40)
{
  echo "port 26379"
  echo "bind $BIND_ADDRESS"
  echo "dir $SENTINEL_DATA_DIR"
  echo "sentinel myid $myid"
  echo "sentinel resolve-hostnames yes"
  echo "sentinel announce-hostnames yes"
  echo "sentinel announce-ip $ANNOUNCE_HOST"
  echo "requirepass \"$REDIS_PASSWORD\""
  echo "sentinel sentinel-pass \"$REDIS_PASSWORD\""
} > "$conf"

. "$(dirname "$0")/redis-lib.sh"
master=$(named_master "$SENTINEL_PEERS" "$ANNOUNCE_HOST")
if [ -n "$master" ]; then
  {
    echo "sentinel monitor $MASTER_NAME $master $QUORUM"
    echo "sentinel auth-pass $MASTER_NAME \"$REDIS_PASSWORD\""
    echo "sentinel down-after-milliseconds $MASTER_NAME $DOWN_AFTER_MS"
    echo "sentinel failover-timeout $MASTER_NAME $FAILOVER_TIMEOUT_MS"
    echo "sentinel parallel-syncs $MASTER_NAME 1"
  } >> "$conf"
  echo "sentinel-start: monitoring ${master% *}:${master#* } (named by a peer)"
fi
exec redis-server "$conf" --sentinel
