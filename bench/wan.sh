#!/usr/bin/env bash
# minio-migrator `copy` against `rclone sync` over a wide-area link: MinIO on the local network, the target far away.
# The same S3Proxy servers on loopback as bench/copy-vs-rclone.sh (filesystem-nio2 store, warmed before timing), with
# bench/WanProxy.java in front of the target (the kernel here has no netem): one-way delay RTT/2 on every chunk each
# way, a cap per connection and one for all connections together. Both tools write through the proxy and read the
# source directly. Cases: 1 x 1 GiB, 8 x 128 MiB, 3,000 x 64 KiB, each run by
#   ours                 the tool at its defaults (migration.concurrency=16), started as README says (the launcher)
#   ours c=64            the same with migration.concurrency=64
#   rclone               rclone sync at its defaults (4 transfers, 8 checkers, 4 parts at once per upload)
#   rclone best          --transfers 64 (and --s3-upload-concurrency 8 for the 1 GiB object)
# each into an empty target bucket. Per run: wall time; the link limit (bytes / total cap, nothing else); the ratio to
# rclone's best; the client's CPU (user+sys of the process and its children, /usr/bin/time), per object for the small
# case; the CPU the S3 servers and the proxy spent meanwhile (/proc/<pid>/stat). At the end `rclone check` compares
# every target bucket with the source (directly, not through the proxy).
# Usage: bench/wan.sh                               (needs rclone: apt-get install -y rclone)
#   SCALE=0.25                                      data sizes times this (object counts and object sizes)
#   RTT=40ms CONN_RATE=8M TOTAL_RATE=60M            the link (rates in bytes/s: 8M = 8,000,000; off = no cap)
#   TOOL=target/minio-migrator                      how the tool is started (default: the launcher; JAVA_OPTS passes
#                                                   JVM flags through it); TOOL="java -jar target/minio-migrator.jar"
#   CASES="big mid small"                           which cases to run
#   OURS_SETTINGS="migration.multipart.concurrency=8"  more settings for the tool's runs (space-separated key=value)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SCALE=${SCALE:-1}
RTT=${RTT:-40ms}
CONN_RATE=${CONN_RATE:-8M}
TOTAL_RATE=${TOTAL_RATE:-60M}
TOOL=${TOOL:-target/minio-migrator}
CASES=${CASES:-big mid small}
JAVA_OPTS=${JAVA_OPTS:-}
OURS_SETTINGS=${OURS_SETTINGS:-}
command -v rclone >/dev/null || { echo "rclone is missing: apt-get install -y rclone" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install -y time" >&2; exit 2; }
command -v bc >/dev/null || { echo "bc is missing: apt-get install -y bc" >&2; exit 2; }
[ -f target/minio-migrator.jar ] || mvn -B -q package -DskipTests

# sizes: 1 x 1 GiB, 8 x 128 MiB, 3,000 x 64 KiB, times SCALE
BIG_BYTES=$(printf '%.0f' "$(echo "1073741824 * $SCALE" | bc -l)")
MID_COUNT=8
MID_BYTES=$(printf '%.0f' "$(echo "134217728 * $SCALE" | bc -l)")
SMALL_COUNT=$(printf '%.0f' "$(echo "3000 * $SCALE" | bc -l)")
SMALL_BYTES=65536
rate_bytes() {  # 60M -> 60000000, 8Mi -> 8388608, off -> 0
  case $1 in
    off|0) echo 0 ;;
    *Gi) echo "${1%Gi} * 1073741824" | bc ;; *Mi) echo "${1%Mi} * 1048576" | bc ;; *Ki) echo "${1%Ki} * 1024" | bc ;;
    *G) echo "${1%G} * 1000000000" | bc ;; *M) echo "${1%M} * 1000000" | bc ;; *[kK]) echo "${1%?} * 1000" | bc ;;
    *) echo "$1" ;;
  esac
}
TOTAL_BPS=$(rate_bytes "$TOTAL_RATE")

WORK=$(mktemp -d /tmp/migrator-wan.XXXXXX)
SERVERS=
PROXY=
trap '[ -n "$PROXY" ] && kill $PROXY 2>/dev/null; [ -n "$SERVERS" ] && kill $SERVERS 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
ACCESS=benchaccess
SECRET=benchsecret0123456789   # plain: rclone cannot sign uploads to S3Proxy with + / = in the secret
VARIANTS="ours ours64 rclone rclone64"
TARGETS="warm-ours warm-ours2 warm-rclone warm-rclone2"
for c in big mid small; do for v in $VARIANTS; do TARGETS="$TARGETS $c-$v"; done; done
local_servers "$WORK" $ACCESS $SECRET warm big mid small $TARGETS
DST_HOSTPORT=${DST#http://}; DST_HOSTPORT=${DST_HOSTPORT%%/*}
java -Xmx1g -XX:+UseSerialGC bench/WanProxy.java --target "$DST_HOSTPORT" --rtt "$RTT" --conn-rate "$CONN_RATE" \
  --total-rate "$TOTAL_RATE" > "$WORK/proxy.txt" 2> "$WORK/proxy.log" &
PROXY=$!
for _ in $(seq 900); do grep -q '^listening ' "$WORK/proxy.txt" 2>/dev/null && break; sleep 0.2; done
PROXY_PORT=$(awk '$1 == "listening" {print $2}' "$WORK/proxy.txt")
[ -n "$PROXY_PORT" ] || { echo "the WAN proxy did not start:" >&2; cat "$WORK/proxy.log" >&2; exit 2; }
WAN=http://127.0.0.1:$PROXY_PORT
echo "source $SRC; target $DST behind the WAN proxy $WAN (RTT $RTT, $CONN_RATE/s per connection, $TOTAL_RATE/s in all);" \
  "SCALE $SCALE; tool: $TOOL"

rclone_remotes $ACCESS $SECRET SRC:$SRC DST:$DST WAN:$WAN

echo "seeding the source: 1 x $BIG_BYTES B, $MID_COUNT x $MID_BYTES B, $SMALL_COUNT x $SMALL_BYTES B;" \
  "warm-up: 1,000 x 64 KiB and 1 x 32 MiB"
python3 - "$WORK/seed" "$BIG_BYTES" "$MID_COUNT" "$MID_BYTES" "$SMALL_COUNT" "$SMALL_BYTES" <<'PY'
import os, sys
root = sys.argv[1]
big, mid_count, mid, small_count, small = map(int, sys.argv[2:])
block = os.urandom(1 << 20)
def write(path, size):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if size <= len(block):
        with open(path, "wb") as f:
            f.write(os.urandom(size))
        return
    with open(path, "wb") as f:
        left = size
        while left > 0:
            n = min(left, len(block))
            f.write(os.urandom(16))  # every MiB differs
            f.write(block[16:n])
            left -= n
write(os.path.join(root, "big", "archive.bin"), big)
for i in range(mid_count):
    write(os.path.join(root, "mid", "scan%02d.bin" % i), mid)
for i in range(small_count):
    write(os.path.join(root, "small", "dir%02d" % (i % 30), "obj%05d" % i), small)
for i in range(1000):
    write(os.path.join(root, "warm", "dir%02d" % (i % 10), "obj%05d" % i), 65536)
write(os.path.join(root, "warm", "large.bin"), 32 << 20)
PY
for set in warm big mid small; do
  rclone -q --transfers 16 --checkers 16 copy --s3-upload-cutoff 5G "$WORK/seed/$set" src:$set
done
rm -rf "$WORK/seed"

: > "$WORK/empty.properties"
ours() {  # source-bucket target-bucket [setting=value ...]
  $TOOL copy --config "$WORK/empty.properties" \
    migration.source.endpoint=$SRC migration.source.access-key=$ACCESS migration.source.secret-key=$SECRET \
    migration.target.provider=generic migration.target.endpoint=$WAN migration.target.path-style=true \
    migration.target.access-key=$ACCESS migration.target.secret-key=$SECRET migration.buckets=$1:$2 \
    migration.report.dir=$WORK/reports migration.state.dir=$WORK/state "${@:3}" ${OURS_SETTINGS:-}
}
theirs() {  # source-bucket target-bucket [rclone flags ...]
  rclone -q sync "${@:3}" src:$1 wan:$2
}
export -f ours theirs
export TOOL WORK SRC WAN JAVA_OPTS ACCESS SECRET OURS_SETTINGS
cpu_of() {  # seconds of CPU a process has used so far
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' /proc/$1/stat
}
measure() {  # log-name function args... -> "wall client-cpu servers-cpu proxy-cpu" (seconds)
  local s0 p0; s0=$(cpu_of $SERVERS); p0=$(cpu_of $PROXY)
  /usr/bin/time -f "%e %U %S" -o "$WORK/$1.time" bash -c "${*:2}" > "$WORK/$1.log" 2>&1 \
    || { echo "$1 failed:" >&2; tail -20 "$WORK/$1.log" >&2; exit 1; }
  awk -v s="$(echo "$(cpu_of $SERVERS) - $s0" | bc -l)" -v p="$(echo "$(cpu_of $PROXY) - $p0" | bc -l)" \
    '{printf "%s %.2f %.2f %.2f", $1, $2 + $3, s, p}' "$WORK/$1.time"
}

echo "warming the servers, the proxy and the launcher's class archive (both tools, twice, through the proxy)"
mkdir -p "$WORK/archives"
export MIGRATOR_CDS_DIR=${MIGRATOR_CDS_DIR:-$WORK/archives}  # a fresh one, trained by the first warm-up run
theirs warm warm-rclone --transfers 64 > /dev/null 2>&1
first=$(measure warm-ours ours warm warm-ours)
theirs warm warm-rclone2 --transfers 64 > /dev/null 2>&1
second=$(measure warm-ours2 ours warm warm-ours2)
echo "the tool's warm-up runs (1,000 x 64 KiB + 32 MiB): ${first%% *} s (the launcher writes its class archive or AOT cache), ${second%% *} s"

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf "\n%-16s %-12s %8s %8s %6s %9s %9s %9s %8s\n" case run wall "link" ratio "CPU" "CPU/obj" "servers" "proxy"
printf "%-16s %-12s %8s %8s %6s %9s %9s %9s %8s\n" "" "" "" "limit" "/best" "client" "ms" "CPU" "CPU"
for c in $CASES; do
  case $c in
    big) label="1 x $(echo "$BIG_BYTES / 1048576" | bc) MiB"; objects=1; bytes=$BIG_BYTES; best=(--transfers 64 --s3-upload-concurrency 8) ;;
    mid) label="$MID_COUNT x $(echo "$MID_BYTES / 1048576" | bc) MiB"; objects=$MID_COUNT; bytes=$((MID_COUNT * MID_BYTES)); best=(--transfers 64) ;;
    small) label="$SMALL_COUNT x 64 KiB"; objects=$SMALL_COUNT; bytes=$((SMALL_COUNT * SMALL_BYTES)); best=(--transfers 64) ;;
    *) echo "unknown case $c (big, mid, small)" >&2; exit 2 ;;
  esac
  limit=$( [ "$TOTAL_BPS" -gt 0 ] && echo "$bytes / $TOTAL_BPS" | bc -l || echo 0)
  declare -A result=()
  result[rclone64]=$(measure $c-rclone64 theirs $c $c-rclone64 "${best[@]}")
  result[ours]=$(measure $c-ours ours $c $c-ours)
  result[rclone]=$(measure $c-rclone theirs $c $c-rclone)
  result[ours64]=$(measure $c-ours64 ours $c $c-ours64 migration.concurrency=64)
  read -r best_wall _ <<< "${result[rclone64]}"
  for v in ours ours64 rclone rclone64; do
    read -r wall cpu servers proxy <<< "${result[$v]}"
    case $v in ours) name=ours ;; ours64) name="ours c=64" ;; rclone) name=rclone ;; rclone64) name="rclone best" ;; esac
    per=-; [ "$c" = small ] && per=$(printf '%.2f' "$(echo "$cpu * 1000 / $objects" | bc -l)")
    printf "%-16s %-12s %7.1fs %7.1fs %6.2f %8.2fs %9s %8.2fs %7.2fs\n" "$label" "$name" "$wall" "$limit" \
      "$(echo "$wall / $best_wall" | bc -l)" "$cpu" "$per" "$servers" "$proxy"
    label=""
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(link limit = bytes / the total cap; ratio = wall / rclone best's wall; CPU: user+sys of the client process;"
echo " servers: the S3 servers' JVM over the run; proxy: the WAN proxy's JVM over the run)"
fail=0
for c in $CASES; do
  for v in $VARIANTS; do
    rclone check -q src:$c dst:$c-$v 2> "$WORK/check-$c-$v.log" || { echo "rclone check: $c-$v differs:" >&2; tail -5 "$WORK/check-$c-$v.log" >&2; fail=1; }
  done
done
[ $fail = 0 ] && echo "rclone check: every target bucket matches its source"
kill $PROXY; wait $PROXY 2>/dev/null || true; PROXY=
echo "proxy: $(tail -1 "$WORK/proxy.log")"
exit $fail
