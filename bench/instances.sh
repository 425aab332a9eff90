#!/usr/bin/env bash
# Several `run` instances sharing one migration on ZooKeeper: the full pass of SMALL x 4 KiB by one instance alone (no
# ZooKeeper), then by 1, 2 and 3 instances in one cluster (the pass in shards they share), each into an empty target
# bucket; then the failover: 3 instances, the leader killed with kill -9 in the middle of the pass, the time until a
# survivor leads and until the pass is done, and whether the target then equals the source.
# ZooKeeper runs with the tick of its sample configuration (2 s), so it grants sessions as a standard install does.
# On this 2-core box the instances share the cores with the servers, so more instances cannot go faster here: the
# numbers show what coordination costs (wall and CPU against one instance alone).
# Usage: bench/instances.sh                      (needs: apt-get install rclone)
#   SMALL=10000 CONCURRENCY=16 SESSION=15s       objects, transfers per instance, migration.cluster.session-timeout
#   FAILOVER_ONLY=1                              only the failover
#   TOOL=target/minio-migrator                   how the tool is started (default: the launcher, as README says)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SMALL=${SMALL:-10000}
CONCURRENCY=${CONCURRENCY:-16}
SESSION=${SESSION:-15s}
TOOL=${TOOL:-target/minio-migrator}
command -v rclone >/dev/null || { echo "rclone is missing: apt-get install rclone" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install curl" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 2; }
[ -f target/minio-migrator.jar ] || mvn -B -q package -DskipTests

WORK=$(mktemp -d /tmp/migrator-instances.XXXXXX)
PIDS=
trap 'kill -9 $PIDS ${SERVERS:-} 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
ACCESS=benchaccess
SECRET=benchsecret0123456789
TARGETS="ours-warm ours-alone ours-0 ours-1 ours-2 ours-3 ours-failover"
SERVERS=
local_servers "$WORK" $ACCESS $SECRET warm small $TARGETS
ZK_PORT=$((20000 + RANDOM % 20000))
mkdir -p "$WORK/zk"
java -Dzookeeper.admin.enableServer=false -Dzookeeper.4lw.commands.whitelist=ruok -cp "target/lib/*:target/demo-lib/*" \
  org.apache.zookeeper.server.ZooKeeperServerMain $ZK_PORT "$WORK/zk" 2000 > "$WORK/zk.log" 2>&1 &
PIDS="$PIDS $!"
echo "source $SRC, target $DST, ZooKeeper 127.0.0.1:$ZK_PORT, $CONCURRENCY transfers per instance, session $SESSION"

rclone_remotes $ACCESS $SECRET SRC:$SRC DST:$DST
RCLONE="rclone -q --transfers $CONCURRENCY --checkers $CONCURRENCY"
echo "seeding: 2,000 (warm-up) and $SMALL x 4 KiB into the source"
python3 - "$WORK/seed" 2000 "$SMALL" <<'PY'
import os, sys
root, warm, small = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for name, count in (("warm", warm), ("small", small)):
    for i in range(count):
        d = os.path.join(root, name, "dir%03d" % (i % 100))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "obj%07d.bin" % i), "wb") as f:
            f.write(os.urandom(4096))
PY
for set in warm small; do $RCLONE copy "$WORK/seed/$set" src:$set; done
rm -rf "$WORK/seed"

: > "$WORK/empty.properties"
PORT_BASE=$((40000 + RANDOM % 10000))
# start_instance NAME INDEX SOURCE-BUCKET TARGET-BUCKET [setting=value ...]: a `run` in the background, timed
start_instance() {
  local dir="$WORK/$1" port=$((PORT_BASE + $2))
  mkdir -p "$dir"
  /usr/bin/time -f "%e %U %S" -o "$dir/time" $TOOL run --config "$WORK/empty.properties" \
    migration.source.endpoint=$SRC migration.source.access-key=$ACCESS migration.source.secret-key=$SECRET \
    migration.target.provider=generic migration.target.endpoint=$DST migration.target.access-key=$ACCESS \
    migration.target.secret-key=$SECRET migration.buckets=$3:$4 migration.concurrency=$CONCURRENCY \
    migration.events.mode=webhook migration.events.webhook.token=bench-webhook-token-0123 migration.http.host=127.0.0.1 migration.http.port=$port migration.reconcile.interval=0 \
    migration.report.dir="$dir/reports" migration.state.dir="$dir/state" "${@:5}" > "$dir/out.log" 2>&1 &
  echo $! > "$dir/pid"
  PIDS="$PIDS $!"
}
# the first report any of the instances wrote (the leader's, at the end of the full pass)
report_of() { ls "$WORK"/$1*/reports/copy-*.json 2>/dev/null | head -1; }
await_report() {  # prefix -> seconds waited
  local start=$SECONDS
  until [ -n "$(report_of "$1")" ]; do
    sleep 0.1
    for dir in "$WORK"/$1*/; do
      [ -s "$dir/time" ] && { echo "$(basename "$dir") ended before the full pass was done:" >&2; tail -20 "$dir/out.log" >&2; exit 1; }
    done
    [ $((SECONDS - start)) -lt 900 ] || { echo "no report from $1 within 900 s" >&2; tail -20 "$WORK"/$1*/out.log >&2; exit 1; }
  done
}
# the JVM of an instance: the launcher execs java under /usr/bin/time, whose pid is kept
java_of() { pgrep -P "$(cat "$1/pid")" | head -1; }
stop_all() {  # prefix: SIGTERM every instance, wait, and sum their CPU
  local pid
  for dir in "$WORK"/$1*/; do pid=$(java_of "$dir"); [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || true; done
  for dir in "$WORK"/$1*/; do pid=$(cat "$dir/pid"); while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done; done
  cat "$WORK"/$1*/time 2>/dev/null | awk '$1 ~ /^[0-9.]+$/ {cpu += $2 + $3} END {printf "%.2f", cpu}'
}
leader_of() {  # prefix -> the directory of the instance that leads now, or nothing
  local dir port
  for dir in "$WORK"/$1*/; do
    port=$((PORT_BASE + $(cat "$dir/index")))
    if curl -s "http://127.0.0.1:$port/observe/health?data=true" | grep -q '"leader":true'; then echo "$dir"; return; fi
  done
}
run_case() {  # label prefix instances target-bucket [cluster settings...]
  local label=$1 prefix=$2 count=$3 bucket=$4 start end cpu
  start=$(date +%s.%N)
  for i in $(seq "$count"); do
    mkdir -p "$WORK/$prefix-$i"; echo "$i" > "$WORK/$prefix-$i/index"
    start_instance "$prefix-$i" "$i" small "$bucket" "${@:5}"
  done
  await_report "$prefix"
  end=$(date +%s.%N)
  cpu=$(stop_all "$prefix")
  $RCLONE check src:small dst:$bucket 2>/dev/null || { echo "$label: the target differs from the source" >&2; exit 1; }
  printf "%-38s %8.2f s %10.0f %10.3f   %s\n" "$label" "$(echo "$end - $start" | bc -l)" \
    "$(echo "$SMALL / ($end - $start)" | bc -l)" "$(echo "$cpu * 1000 / $SMALL" | bc -l)" \
    "$(grep -o 'shards run by [^"]*' "$(report_of "$prefix")" | head -1)"
}

echo "warming the servers and the tool (2,000 objects, and the tool's class archive)"
$TOOL copy --config "$WORK/empty.properties" migration.source.endpoint=$SRC migration.source.access-key=$ACCESS \
  migration.source.secret-key=$SECRET migration.target.provider=generic migration.target.endpoint=$DST \
  migration.target.access-key=$ACCESS migration.target.secret-key=$SECRET migration.buckets=warm:ours-warm \
  migration.report.dir="$WORK/warm-reports" migration.state.dir="$WORK/warm-state" > "$WORK/warm.log" 2>&1
$RCLONE sync src:warm dst:ours-warm

if [ "${FAILOVER_ONLY:-}" != 1 ]; then
printf "\n%-38s %10s %10s %10s\n" "full pass of $SMALL x 4 KiB" "wall" "objects/s" "CPU ms/object (all instances)"
run_case "1 instance alone (no ZooKeeper)" alone 1 ours-alone
run_case "1 instance on ZooKeeper, no write recheck" n0 1 ours-0 migration.cluster.zookeeper=127.0.0.1:$ZK_PORT \
  migration.cluster.name=bench-0 migration.cluster.session-timeout=$SESSION migration.recheck-after-write=off
for n in 1 2 3; do
  run_case "$n instance(s) on ZooKeeper" "n$n" "$n" "ours-$n" migration.cluster.zookeeper=127.0.0.1:$ZK_PORT \
    migration.cluster.name=bench-$n migration.cluster.session-timeout=$SESSION
done

fi
echo
echo "failover: 3 instances, the leader killed with kill -9 once a third of the objects are copied"
for i in 1 2 3; do
  mkdir -p "$WORK/fail-$i"; echo "$i" > "$WORK/fail-$i/index"
  start_instance "fail-$i" "$i" small ours-failover migration.cluster.zookeeper=127.0.0.1:$ZK_PORT \
    migration.cluster.name=bench-failover migration.cluster.session-timeout=$SESSION
done
# the leader, asked before the pass is under way (its health answers slowly under load)
leader=
for _ in $(seq 600); do leader=$(leader_of fail); [ -n "$leader" ] && break; sleep 0.1; done
[ -n "$leader" ] || { echo "no instance says it leads" >&2; exit 1; }
copied() { find "$WORK/data/target/ours-failover" -type f 2>/dev/null | wc -l; }  # the target server's own files
until [ "$(copied)" -ge $((SMALL / 3)) ]; do sleep 0.2; done
kill -9 "$(java_of "$leader")"
killed=$(date +%s.%N)
echo "killed the leader ($(basename "$leader")) with $(copied) of $SMALL objects copied"
rm -rf "$leader"  # its directory no longer counts: the report must come from a survivor
new=
until [ -n "$new" ]; do sleep 0.1; new=$(leader_of fail); done
led=$(date +%s.%N)
await_report fail
done_at=$(date +%s.%N)
stop_all fail > /dev/null
printf "a survivor leads after %.1f s; the pass is done %.1f s after the kill\n" "$(echo "$led - $killed" | bc -l)" \
  "$(echo "$done_at - $killed" | bc -l)"
$RCLONE check src:small dst:ours-failover && echo "rclone check: the target equals the source after the failover"
