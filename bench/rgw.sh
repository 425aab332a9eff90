#!/usr/bin/env bash
# A throwaway single-node Ceph RGW (the production S3 implementation) on 127.0.0.1, for trials against a real store:
# 1 monitor, 1 OSD on memstore (objects in the OSD's memory), radosgw with the beast frontend; no mgr, auth none.
# Everything lives under one temporary folder; nothing listens on any address but 127.0.0.1.
# Usage: bench/rgw.sh [start]          starts it, prints DIR, endpoint, access key, secret key (shell-sourceable lines)
#        bench/rgw.sh stop DIR         stops the daemons of that folder and deletes it (KEEP=1 keeps it)
#   RGW_PORT=7480 MON_PORT=...         ports (default: random, below the ephemeral range 32768-60999)
#   RGW_ACCESS / RGW_SECRET            the S3 user's keys (plain alphanumeric; defaults below)
#   MEMSTORE_BYTES=2147483648          the OSD's memory store size (a full memstore answers 400/404)
#   RGW_TLS=1                          also serve https on RGW_TLS_PORT (default: random) with a fresh self-signed
#                                      certificate for 127.0.0.1; prints RGW_TLS_ENDPOINT= and RGW_CA= (its PEM) too
#   RGW_NODELAY=1                      beast's tcp_nodelay=1 (off by default, as in Ceph: answers then wait on Nagle)
# The test suite's fixture (src/test/java/.../support/Rgw.java) runs this script too: one recipe for both; keep its
# output lines (RGW_DIR=, RGW_ENDPOINT=, ...) and the RGW_PORT / MON_PORT / RGW_ACCESS / RGW_SECRET inputs as they are.
# Needs: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw   (Debian bookworm: 16.2.x; as root)
# The settings that make it start in ~3 s are in shared DESIGN.md's 2026-12-07 facts: auth none everywhere and
# `ms mon client mode = crc` under [client] (without it radosgw loops on get_initial_auth_request returned -13),
# msgr2 only, pools of size 1, small pg counts, autoscale off, paxos propose interval 0.1.
set -euo pipefail

stop() {
  local dir=$1
  [ -d "$dir" ] || { echo "no such folder: $dir" >&2; exit 2; }
  local pids=""
  for f in "$dir"/run/*.pid; do
    [ -f "$f" ] && pids="$pids $(cat "$f")"
  done
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=""
    for p in $pids; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
    [ -z "$alive" ] && break
    sleep 0.2
  done
  # radosgw may ignore SIGTERM once its memstore is full: these are our own pids, from our own pid files
  for p in $pids; do kill -9 "$p" 2>/dev/null || true; done
  if [ "${KEEP:-0}" = 1 ]; then echo "stopped; kept $dir"; else rm -rf "$dir"; echo "stopped; removed $dir"; fi
}

if [ "${1:-start}" = stop ]; then
  [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 2; }
  stop "$2"
  exit 0
fi

for b in ceph-mon ceph-osd radosgw radosgw-admin monmaptool ceph; do
  command -v $b >/dev/null || { echo "$b is missing: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw" >&2; exit 2; }
done

START=$(date +%s.%N)
DIR=$(mktemp -d /tmp/rgw.XXXXXX)
MON_PORT=${MON_PORT:-$((20000 + RANDOM % 5000))}
RGW_PORT=${RGW_PORT:-$((25000 + RANDOM % 5000))}
RGW_ACCESS=${RGW_ACCESS:-rgwaccess}
RGW_SECRET=${RGW_SECRET:-rgwsecret0123456789}
RGW_TLS_PORT=${RGW_TLS_PORT:-$((30000 + RANDOM % 2000))}
FSID=$(cat /proc/sys/kernel/random/uuid)
CONF=$DIR/ceph.conf
mkdir -p "$DIR"/{run,log,mon,osd/ceph-0,rgw}
FRONTEND="beast endpoint=127.0.0.1:$RGW_PORT"
if [ "${RGW_TLS:-0}" = 1 ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=127.0.0.1 -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
    -keyout "$DIR/rgw.key" -out "$DIR/rgw.pem" 2>/dev/null
  FRONTEND="$FRONTEND ssl_endpoint=127.0.0.1:$RGW_TLS_PORT ssl_certificate=$DIR/rgw.pem ssl_private_key=$DIR/rgw.key"
fi
[ "${RGW_NODELAY:-0}" = 1 ] && FRONTEND="$FRONTEND tcp_nodelay=1"
cat > "$CONF" <<EOF
[global]
fsid = $FSID
mon host = [v2:127.0.0.1:$MON_PORT]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind ipv6 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
keyring = $DIR/keyring
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0
paxos propose interval = 0.1
osd class load list = *
osd class default list = *
[mon]
mon data = $DIR/mon/ceph-\$id
mon cluster log file = $DIR/log/cluster.log
[osd]
osd data = $DIR/osd/ceph-\$id
osd objectstore = memstore
memstore device bytes = ${MEMSTORE_BYTES:-2147483648}
[client]
ms mon client mode = crc
[client.rgw.a]
rgw frontends = $FRONTEND
rgw data = $DIR/rgw
EOF

fail() {
  echo "rgw.sh: $1 (logs in $DIR/log)" >&2
  tail -5 "$DIR"/log/*.log >&2 2>/dev/null || true
  KEEP=1 stop "$DIR" >&2
  exit 1
}

monmaptool --create --fsid "$FSID" --addv a "[v2:127.0.0.1:$MON_PORT]" "$DIR/monmap" >/dev/null
ceph-authtool --create-keyring "$DIR/keyring" --gen-key -n mon. --cap mon 'allow *' >/dev/null
ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" --keyring "$DIR/keyring" >"$DIR/log/mkfs.log" 2>&1 || fail "ceph-mon --mkfs failed"
ceph-mon -c "$CONF" -i a 2>>"$DIR/log/daemons.err" || fail "ceph-mon did not start"

OSD_UUID=$(cat /proc/sys/kernel/random/uuid)
OSD_ID=$(timeout 30 ceph -c "$CONF" osd new "$OSD_UUID" 2>>"$DIR/log/mkfs.log") || fail "ceph osd new failed"
[ "$OSD_ID" = 0 ] || fail "unexpected OSD id $OSD_ID"
ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$OSD_UUID" >>"$DIR/log/mkfs.log" 2>&1 || fail "ceph-osd --mkfs failed"
ceph-osd -c "$CONF" -i 0 2>>"$DIR/log/daemons.err" || fail "ceph-osd did not start"

radosgw -c "$CONF" -n client.rgw.a 2>>"$DIR/log/daemons.err" || fail "radosgw did not start"
up=0
for _ in $(seq 600); do
  if curl -s -o /dev/null "http://127.0.0.1:$RGW_PORT/"; then up=1; break; fi
  sleep 0.1
done
[ $up = 1 ] || fail "radosgw does not answer on 127.0.0.1:$RGW_PORT after 60 s"
timeout 60 radosgw-admin -c "$CONF" -n client.rgw.a user create --uid=bench --display-name=bench \
  --access-key="$RGW_ACCESS" --secret="$RGW_SECRET" >"$DIR/log/user.json" 2>>"$DIR/log/mkfs.log" || fail "radosgw-admin user create failed"
# ready means an authenticated request works (the user is visible to radosgw)
ok=0
for _ in $(seq 300); do
  code=$(AWS_ACCESS_KEY_ID=$RGW_ACCESS AWS_SECRET_ACCESS_KEY=$RGW_SECRET curl -s -o /dev/null -w '%{http_code}' \
    --aws-sigv4 "aws:amz:us-east-1:s3" -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
    --user "$RGW_ACCESS:$RGW_SECRET" "http://127.0.0.1:$RGW_PORT/" || true)
  [ "$code" = 200 ] && { ok=1; break; }
  sleep 0.1
done
[ $ok = 1 ] || fail "radosgw refuses the new user's requests (last HTTP $code)"
END=$(date +%s.%N)
echo "RGW_DIR=$DIR"
echo "RGW_ENDPOINT=http://127.0.0.1:$RGW_PORT"
echo "RGW_ACCESS=$RGW_ACCESS"
echo "RGW_SECRET=$RGW_SECRET"
if [ "${RGW_TLS:-0}" = 1 ]; then
  echo "RGW_TLS_ENDPOINT=https://127.0.0.1:$RGW_TLS_PORT"
  echo "RGW_CA=$DIR/rgw.pem"
fi
echo "RGW_STARTED_IN=$(echo "$END - $START" | bc 2>/dev/null || awk "BEGIN{print $END - $START}")s"
