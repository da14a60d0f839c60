#!/bin/sh
# Starts one Redis of a TurboCache. Rendered by the operator into the Redis ConfigMap; everything it
# needs comes from the container's environment.
#
# Sentinel mode: a Redis never starts as a master. It asks the sentinels which pod is the master and
# starts as its replica; when no sentinel names one, or the sentinels name this very pod (it restarted
# before they noticed), it starts as a replica of nothing and waits. Then either the sentinels fail
# over to a replica that has the data, or, when no sentinel knows a master at all (the first start,
# every pod restarted at once), the operator promotes one pod - the one with the most data - and
# points the sentinels at it. One authority at a time, so the set cannot start with two masters.
set -eu
: "${REDIS_PASSWORD:?}" "${BIND_ADDRESS:?}" "${ANNOUNCE_HOST:?}" "${REDIS_CONF:?}" "${REDIS_DATA_DIR:?}" "${REDIS_MODE:?}"
export REDISCLI_AUTH="$REDIS_PASSWORD"
conf="$REDIS_DATA_DIR/redis.conf"
umask 077
{
  cat "$REDIS_CONF"
  echo "bind $BIND_ADDRESS"
  echo "dir $REDIS_DATA_DIR"
  echo "replica-announce-ip $ANNOUNCE_HOST"
  echo "requirepass \"$REDIS_PASSWORD\""
  echo "masterauth \"$REDIS_PASSWORD\""
} > "$conf"

. "$(dirname "$0")/redis-lib.sh"

if [ "$REDIS_MODE" = sentinel ]; then
  : "${SENTINELS:?}" "${MASTER_NAME:?}" "${MASTER_HANDOVER_WAIT:?}"
  waited=0
  master=$(named_master "$SENTINELS")
  # Named as the master itself (it restarted before the sentinels noticed): stay down for a while,
  # so that they fail over to a replica that has the data instead of keeping an empty master.
  while [ "${master% *}" = "$ANNOUNCE_HOST" ] && [ "$waited" -lt "$MASTER_HANDOVER_WAIT" ]; do
    sleep 1
    waited=$((waited + 1))
    master=$(named_master "$SENTINELS")
  done
  if [ -n "$master" ] && [ "${master% *}" != "$ANNOUNCE_HOST" ]; then
    echo "replicaof $master" >> "$conf"
    echo "redis-start: replica of ${master% *}:${master#* } (named by the sentinels)"
  else
    # 127.0.0.1:1 refuses at once: a replica of nothing, read-only, until a master is chosen.
    echo "replicaof 127.0.0.1 1" >> "$conf"
    echo "redis-start: waiting as a replica of nothing (no sentinel names another master)"
  fi
fi
exec redis-server "$conf"
