#!/usr/bin/env bash
# Stops only the daemons rgw-start.sh started (the PIDs of their pid files), then removes the data dir.
D=${RGW_DIR:?RGW_DIR must be set}
for n in client.rgw osd.0 mon.a; do
  f="$D/run/$n.pid"
  [ -f "$f" ] || continue
  p=$(cat "$f")
  # radosgw holds no state of its own (a graceful stop takes seconds): SIGKILL it; mon and osd get SIGTERM
  if [ "$n" = client.rgw ]; then kill -9 "$p" 2>/dev/null || true; else kill "$p" 2>/dev/null || true; fi
  for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$p" 2>/dev/null || true
done
rm -rf "$D"
