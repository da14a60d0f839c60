#!/usr/bin/env bash
# A single-host Ceph RGW for tests (RgwFixture runs it): one ceph-mon, one ceph-osd (memstore: data in
# RAM) and one radosgw (beast), all on 127.0.0.1, no systemd, no mgr, no cephx. The daemons fork and
# write pid files under $RGW_DIR/run; rgw-stop.sh ends exactly those.
# Needs the Debian packages radosgw, ceph-mon and ceph-osd (installed by .ci/run), plus curl.
# Env: RGW_DIR (must not exist), RGW_PORT, RGW_MON_PORT (v1; v2 uses +1), RGW_ACCESS_KEY/RGW_SECRET_KEY
#      (admin S3 user), RGW_REGION (zonegroup api_name = the accepted LocationConstraint; empty: "default"),
#      RGW_LC_DEBUG_INTERVAL (seconds per lifecycle "day"; -1 = off), RGW_MEMSTORE_BYTES (default 512 MiB)
set -euo pipefail
D=${RGW_DIR:?RGW_DIR must be set}
PORT=${RGW_PORT:?RGW_PORT must be set}
MONPORT=${RGW_MON_PORT:?RGW_MON_PORT must be set}
ACCESS=${RGW_ACCESS_KEY:?}
SECRET=${RGW_SECRET_KEY:?}
T0=$(date +%s%N)
ts() { echo "[$(( ($(date +%s%N) - T0) / 1000000 )) ms] $*"; }
die() { echo "ERROR: $*" >&2; tail -n 30 "$D"/log/*.log >&2 2>/dev/null || true; exit 1; }
waitfor() { local n=$1 what=$2; shift 2; for _ in $(seq 1 "$n"); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done; die "timeout waiting for $what"; }
[ -e "$D" ] && die "$D exists"
mkdir -p "$D"/{mon.a,osd.0,run,log}
FSID=$(cat /proc/sys/kernel/random/uuid)
CONF=$D/ceph.conf
cat > "$CONF" <<CONFEOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$((MONPORT+1)),v1:127.0.0.1:$MONPORT]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
# with auth none, daemons must accept crc mode to the mon (their default, secure only, gives EACCES)
ms mon client mode = crc secure
ms client mode = crc secure
keyring = $D/keyring
run dir = $D/run
admin socket = $D/run/\$cluster-\$name.asok
pid file = $D/run/\$name.pid
log file = $D/log/\$name.log
crash dir = $D/log
mon data = $D/\$name
osd data = $D/\$name
osd objectstore = memstore
memstore device bytes = ${RGW_MEMSTORE_BYTES:-536870912}
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
mon data avail warn = 1
auth allow insecure global id reclaim = true
mon warn on insecure global id reclaim allowed = false
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
osd crush chooseleaf type = 0
osd op num shards = 1
osd op num threads per shard = 2
mon osd full ratio = .99
mon osd nearfull ratio = .99
mon osd backfillfull ratio = .99
osd failsafe full ratio = .99
[client.rgw]
rgw frontends = beast endpoint=127.0.0.1:$PORT
rgw crypt require ssl = false
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = testkey-1=YmluCmJvb3N0CmJvb3N0LWJ1aWxkCmNlcGguY29uZgo= testkey-2=aWIKTWFrZWZpbGUKbWFuCm91dApzcmMKVGVzdGluZwo=
rgw lc debug interval = ${RGW_LC_DEBUG_INTERVAL:--1}
rgw enable apis = s3, s3website, admin, sts, iam
CONFEOF
C="-c $CONF"
monmaptool --create --clobber --fsid "$FSID" --addv a "[v2:127.0.0.1:$((MONPORT+1)),v1:127.0.0.1:$MONPORT]" "$D/monmap" >/dev/null
touch "$D/keyring"
ceph-mon $C --mkfs -i a --monmap "$D/monmap" >"$D/log/mkfs-mon.log" 2>&1 || die "mon mkfs"
ceph-mon $C -i a || die "mon start"
waitfor 150 "mon" ceph $C --connect-timeout 2 mon stat
ts "mon up"
UUID=$(cat /proc/sys/kernel/random/uuid)
OSDID=$(ceph $C osd new "$UUID")
ceph-osd $C -i "$OSDID" --mkfs --osd-uuid "$UUID" >"$D/log/mkfs-osd.log" 2>&1 || die "osd mkfs"
ceph-osd $C -i "$OSDID" >"$D/log/osd-start.out" 2>&1 || die "osd start"
waitfor 300 "osd up" sh -c "ceph $C osd stat 2>/dev/null | grep -q '1 up'"
ts "osd up"
radosgw $C -n client.rgw || die "radosgw start"
waitfor 600 "radosgw http" curl -sf -o /dev/null "http://127.0.0.1:$PORT/"
ts "radosgw answers"
radosgw-admin $C user create --uid=testadmin --display-name="test admin" --access-key="$ACCESS" --secret-key="$SECRET" \
  --caps="users=*;buckets=*;metadata=*;usage=*;zone=*;user-policy=*;roles=*;oidc-provider=*" >"$D/log/user-create.log" 2>&1 || die "user create"
ts "admin user created"
if [ -n "${RGW_REGION:-}" ]; then
  # CreateBucket's LocationConstraint must equal the zonegroup api_name (default "default"). The zonegroup
  # exists only after radosgw's first start, and radosgw reads it at start: rename it, then restart radosgw.
  radosgw-admin $C zonegroup modify --rgw-zonegroup=default --api-name="$RGW_REGION" >"$D/log/zonegroup.log" 2>&1 || die "zonegroup modify"
  # a graceful SIGTERM: a SIGKILLed radosgw leaves stale RADOS watches, and every later radosgw-admin
  # metadata change (user create, ...) then hangs about 30 s on "Notify failed"
  P=$(cat "$D/run/client.rgw.pid"); kill "$P"; while kill -0 "$P" 2>/dev/null; do sleep 0.1; done
  radosgw $C -n client.rgw || die "radosgw restart"
  waitfor 600 "radosgw http after restart" curl -sf -o /dev/null "http://127.0.0.1:$PORT/"
  ts "region $RGW_REGION"
fi
ts "RGW ready at http://127.0.0.1:$PORT"
