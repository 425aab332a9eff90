#!/usr/bin/env bash
# The checks of bench/rgw-notes.md in one go, against a fresh throwaway Ceph RGW (bench/rgw.sh), an in-memory S3Proxy
# playing MinIO and a ZooKeeper, all on 127.0.0.1:
#   a. RGW as the target: copy (awkward keys, ASCII metadata, folder object, 20 MiB multipart), cutover, the application
#      writes on RGW, fallback, verify both ways, rollback; MinIO must end byte-identical to RGW.
#   b. RGW as the source (provider generic, path style) to S3Proxy: copy, no-op re-run, verify.
#   c. a cutover whose webhook port is taken must refuse.
# Prints one line per check and closes with "N passed, N failed"; exit 1 when a check failed.
# Usage: bench/rgw-check/run.sh        (KEEP=1 keeps the work folder with every log and report)
# Needs: apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw; python3 (a port blocker for c).
set -uo pipefail
cd "$(dirname "$0")/../.."
[ -f target/minio-migrator.jar ] || mvn -B -q package -DskipTests
unset AWS_CA_BUNDLE
W=$(mktemp -d /tmp/rgw-check.XXXXXX)
CP='target/minio-migrator.jar:target/lib/*'
PIDS=""
RGW_DIR=""
cleanup() {
  for p in $PIDS; do kill "$p" 2>/dev/null; done
  [ -n "$RGW_DIR" ] && bench/rgw.sh stop "$RGW_DIR" >/dev/null
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $W"; else rm -rf "$W"; fi
}
trap cleanup EXIT
PASSED=0
FAILED=0
check() { # check NAME COMMAND...: a passing command passes the check
  local name=$1; shift
  if "$@"; then PASSED=$((PASSED + 1)); echo "PASS  $name"; else FAILED=$((FAILED + 1)); echo "FAIL  $name"; fi
}
tool() { java -cp "$CP" bench/rgw-check/S3Tool.java "$@" 2>>"$W/s3tool.err"; }
migrator() { # migrator LOGNAME args...: runs the tool, its output in $W/LOGNAME.log, returns its exit code
  local log=$1; shift
  java -jar target/minio-migrator.jar "$@" >"$W/$log.log" 2>&1
}
same() { diff <(bench/rgw-check/norm.sh "$1") <(bench/rgw-check/norm.sh "$2") >"$W/diff.txt"; }

T0=$(date +%s)
bench/rgw.sh >"$W/rgw.env" || exit 2
. "$W/rgw.env"
echo "RGW at $RGW_ENDPOINT, started in $RGW_STARTED_IN"
java -Xmx1g -cp "$CP" bench/rgw-check/S3Tool.java s3proxy minioaccess miniosecret0123 archive-temp from-rgw >"$W/s3proxy.out" 2>"$W/s3proxy.err" &
PIDS="$PIDS $!"
ZK_PORT=$((30000 + RANDOM % 1000))
HTTP_PORT=$((31000 + RANDOM % 1000))
mkdir -p "$W/zk"
printf 'tickTime=2000\ndataDir=%s\nclientPort=%s\nclientPortAddress=127.0.0.1\nadmin.enableServer=false\n' "$W/zk" $ZK_PORT >"$W/zoo.cfg"
java -Xmx256m -cp 'target/lib/*:target/demo-lib/*' org.apache.zookeeper.server.ZooKeeperServerMain "$W/zoo.cfg" >"$W/zk.log" 2>&1 &
PIDS="$PIDS $!"
for _ in $(seq 300); do [ -s "$W/s3proxy.out" ] && break; sleep 0.2; done
MINIO=$(head -1 "$W/s3proxy.out")
[ -n "$MINIO" ] || { echo "S3Proxy did not start" >&2; exit 2; }
ZKS=127.0.0.1:$ZK_PORT

tool mkbucket "$RGW_ENDPOINT" "$RGW_ACCESS" "$RGW_SECRET" rgw-archive
tool seed "$MINIO" minioaccess miniosecret0123 archive-temp >/dev/null
tool zk $ZKS set /api-archive/pri/storeType 2
tool dump "$MINIO" minioaccess miniosecret0123 archive-temp >"$W/minio-0.txt"
echo "/api-archive/pri=storeType=4" >"$W/plan.txt"
cat >"$W/a.properties" <<EOF
migration.source.provider = minio
migration.source.endpoint = $MINIO
migration.source.access-key = minioaccess
migration.target.provider = generic
migration.target.endpoint = $RGW_ENDPOINT
migration.target.access-key = $RGW_ACCESS
migration.buckets = archive-temp:rgw-archive
migration.multipart.threshold = 6MiB
migration.multipart.part-size = 5MiB
migration.concurrency = 4
migration.report.dir = $W/reports
migration.state.dir = $W/state
migration.cutover.zookeeper = $ZKS
migration.cutover.quiet-period = 2s
migration.events.mode = webhook
migration.http.port = $HTTP_PORT
EOF
cat >"$W/rev.properties" <<EOF
migration.source.provider = generic
migration.source.endpoint = $RGW_ENDPOINT
migration.source.access-key = $RGW_ACCESS
migration.target.provider = generic
migration.target.endpoint = $MINIO
migration.target.access-key = minioaccess
migration.buckets = rgw-archive:archive-temp
migration.concurrency = 4
migration.report.dir = $W/reports-rev
migration.state.dir = $W/state-rev
EOF
sed -e 's/rgw-archive:archive-temp/rgw-archive:from-rgw/; s/^migration.concurrency = 4/migration.concurrency = 4\nmigration.source.path-style = true/' \
  -e "s|reports-rev|reports-b|; s|state-rev|state-b|" "$W/rev.properties" >"$W/b.properties"
export MIGRATION_SOURCE_SECRET_KEY=miniosecret0123 MIGRATION_TARGET_SECRET_KEY=$RGW_SECRET
export MIGRATION_EVENTS_WEBHOOK_TOKEN=webhooktoken0123456789
reverse() { MIGRATION_SOURCE_SECRET_KEY=$RGW_SECRET MIGRATION_TARGET_SECRET_KEY=miniosecret0123 migrator "$@"; }

echo "== a. RGW as the target"
check "copy MinIO -> RGW exits 0" migrator copy1 copy --config "$W/a.properties"
tool dump "$RGW_ENDPOINT" "$RGW_ACCESS" "$RGW_SECRET" rgw-archive >"$W/rgw-1.txt"
check "RGW holds the 198 objects: bytes, user metadata, Content-Type" same "$W/minio-0.txt" "$W/rgw-1.txt"
check "the 20 MiB object went up in 4 parts (ETag -4)" grep -q '^big/twenty-mib.bin.*etag="[0-9a-f]*-4"' "$W/rgw-1.txt"
check "the folder object dir/ is on RGW" grep -q '^dir/	0	' "$W/rgw-1.txt"
check "verify MinIO -> RGW exits 0" migrator verify1 verify --config "$W/a.properties"
check "cutover exits 0" migrator cutover cutover --config "$W/a.properties" --plan "$W/plan.txt"
check "ZooKeeper storeType is 4" bash -c "java -cp '$CP' bench/rgw-check/S3Tool.java zk $ZKS get /api-archive/pri/storeType 2>/dev/null | grep -q '= 4$'"
tool app "$RGW_ENDPOINT" "$RGW_ACCESS" "$RGW_SECRET" rgw-archive >/dev/null
migrator copy-refused copy --config "$W/a.properties"
check "copy after the cutover refuses (exit 2)" test $? = 2
check "fallback exits 0" migrator fallback1 fallback --config "$W/a.properties"
check "fallback copies only what the application wrote (9 objects)" grep -q '^rgw-archive -> archive-temp  *9 ' "$W/fallback1.log"
check "a second fallback copies nothing" bash -c "java -jar target/minio-migrator.jar fallback --config '$W/a.properties' 2>&1 | grep -q '^rgw-archive -> archive-temp  *0 '"
reverse verify-rev verify --config "$W/rev.properties"
check "reverse verify RGW -> MinIO: exit 1, only the 2 keys the application deleted" \
  bash -c "test \$(grep -c '^- ' '$W/verify-rev.log') = 2 && grep -q '^- top-7' '$W/verify-rev.log'"
check "forward verify MinIO -> RGW after the fallback: only the 2 deleted keys differ" \
  bash -c "java -jar target/minio-migrator.jar verify --config '$W/a.properties' > '$W/verify2.log' 2>&1; ! grep -q '^\*' '$W/verify2.log'"
check "rollback exits 0" migrator rollback rollback --config "$W/a.properties" --backup "$(ls "$W"/reports/cutover-backup-*.json | head -1)"
check "ZooKeeper storeType is 2 again" bash -c "java -cp '$CP' bench/rgw-check/S3Tool.java zk $ZKS get /api-archive/pri/storeType 2>/dev/null | grep -q '= 2$'"
tool dump "$MINIO" minioaccess miniosecret0123 archive-temp >"$W/minio-3.txt"
tool dump "$RGW_ENDPOINT" "$RGW_ACCESS" "$RGW_SECRET" rgw-archive >"$W/rgw-3.txt"
check "MinIO ends byte-identical to RGW (202 objects, MD5 of each)" \
  bash -c "test \$(wc -l < '$W/rgw-3.txt') = 202 && diff <(cut -f1-3 '$W/minio-3.txt' | sort) <(cut -f1-3 '$W/rgw-3.txt' | sort) >/dev/null"
check "and with equal user metadata and Content-Type" same "$W/minio-3.txt" "$W/rgw-3.txt"
check "forward verify after the rollback exits 0" migrator verify3 verify --config "$W/a.properties"

echo "== b. RGW as the source"
check "copy RGW -> S3Proxy exits 0" reverse b-copy1 copy --config "$W/b.properties"
check "re-run exits 0" reverse b-copy2 copy --config "$W/b.properties"
check "re-run copies nothing" grep -q '^rgw-archive -> from-rgw  *0 ' "$W/b-copy2.log"
check "verify RGW -> S3Proxy exits 0" reverse b-verify verify --config "$W/b.properties"
tool dump "$MINIO" minioaccess miniosecret0123 from-rgw >"$W/from-rgw.txt"
check "S3Proxy holds RGW's objects: bytes, user metadata, Content-Type" same "$W/from-rgw.txt" "$W/rgw-3.txt"

echo "== c. a cutover whose webhook port is taken"
migrator copy-c copy --config "$W/a.properties"
python3 -m http.server $HTTP_PORT --bind 127.0.0.1 >"$W/blocker.log" 2>&1 &
BLOCKER=$!
PIDS="$PIDS $BLOCKER"
sleep 1
migrator cutover-blocked cutover --config "$W/a.properties" --plan "$W/plan.txt"
code=$?
kill $BLOCKER 2>/dev/null
check "cutover refuses (exit 2) when migration.http.port is in use (exit $code)" test $code = 2
if [ $code = 0 ]; then
  migrator rollback-c rollback --config "$W/a.properties" --backup "$(ls -t "$W"/reports/cutover-backup-*.json | head -1)"
fi

echo "RGW request log: $(grep 'beast:' "$RGW_DIR/log/client.rgw.a.log" | sed -E 's/.*\] "([A-Z]+) [^ ]+ HTTP\/1.1" ([0-9]+) .*/\1 \2/' | sort | uniq -c | sort -rn | awk '{printf "%s %s %s; ", $1, $2, $3}')"
echo "took $(( $(date +%s) - T0 )) s"
echo "$PASSED passed, $FAILED failed"
[ $FAILED = 0 ]
