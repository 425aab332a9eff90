#!/usr/bin/env bash
# Times `minio-migrator copy` against `rclone sync` on the same data, in the same run, between two filesystem-backed
# S3 servers on loopback (S3Proxy): 10,000 x 4 KiB, 10 x 100 MiB, and a re-run with nothing to copy.
# Usage: bench/copy-vs-rclone.sh [small-count] [large-count]      (needs: apt-get install rclone)
set -euo pipefail
cd "$(dirname "$0")/.."
SMALL=${1:-10000}
LARGE=${2:-10}
CONCURRENCY=${CONCURRENCY:-16}
JAVA_OPTS=${JAVA_OPTS:-}
command -v rclone >/dev/null || { echo "rclone is missing: apt-get install rclone" >&2; exit 2; }
[ -f target/minio-migrator.jar ] || mvn -B -q package -DskipTests

WORK=$(mktemp -d /tmp/migrator-bench.XXXXXX)
trap 'kill $SERVERS 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
ACCESS=benchaccess
SECRET=benchsecret0123456789   # plain: rclone cannot sign uploads to S3Proxy with + / = in the secret
java -cp target/minio-migrator.jar io.github.miniomigrator.demo.LocalS3Servers "$WORK/data" $ACCESS $SECRET \
  small ours-small rclone-small large ours-large rclone-large > "$WORK/servers.txt" 2> "$WORK/servers.log" &
SERVERS=$!
: > "$WORK/empty.properties"
for _ in $(seq 300); do [ "$(wc -l < "$WORK/servers.txt")" -ge 2 ] && break; sleep 0.2; done
SRC=$(awk '/^source/ {print $2}' "$WORK/servers.txt")
DST=$(awk '/^target/ {print $2}' "$WORK/servers.txt")
if [ -z "$SRC" ] || [ -z "$DST" ]; then
  # never let rclone fall back to its default (a public endpoint): only the servers started here
  echo "the local S3 servers did not start within 60 s:" >&2; cat "$WORK/servers.log" >&2; exit 2
fi
echo "source $SRC, target $DST, concurrency $CONCURRENCY"

unset AWS_CA_BUNDLE
export RCLONE_CONFIG_SRC_TYPE=s3 RCLONE_CONFIG_SRC_PROVIDER=Other RCLONE_CONFIG_SRC_ENDPOINT=$SRC \
  RCLONE_CONFIG_SRC_ACCESS_KEY_ID=$ACCESS RCLONE_CONFIG_SRC_SECRET_ACCESS_KEY=$SECRET
export RCLONE_CONFIG_DST_TYPE=s3 RCLONE_CONFIG_DST_PROVIDER=Other RCLONE_CONFIG_DST_ENDPOINT=$DST \
  RCLONE_CONFIG_DST_ACCESS_KEY_ID=$ACCESS RCLONE_CONFIG_DST_SECRET_ACCESS_KEY=$SECRET

echo "seeding: $SMALL x 4 KiB and $LARGE x 100 MiB into the source"
mkdir -p "$WORK/seed/small" "$WORK/seed/large"
python3 - "$WORK/seed" "$SMALL" "$LARGE" <<'PY'
import os, sys
root, small, large = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(small):
    d = os.path.join(root, "small", "dir%03d" % (i % 100))
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "obj%06d" % i), "wb") as f:
        f.write(os.urandom(4096))
for i in range(large):
    with open(os.path.join(root, "large", "big%02d.bin" % i), "wb") as f:
        for _ in range(100):
            f.write(os.urandom(1 << 20))
PY
rclone copy -q --transfers 16 --checkers 16 "$WORK/seed/small" src:small
rclone copy -q --transfers 16 --checkers 16 --s3-upload-cutoff 5G "$WORK/seed/large" src:large
rm -rf "$WORK/seed"

ours() {  # bucket-suffix
  java $JAVA_OPTS -jar target/minio-migrator.jar copy --config "$WORK/empty.properties" \
    migration.source.endpoint=$SRC migration.source.access-key=$ACCESS migration.source.secret-key=$SECRET \
    migration.target.provider=generic migration.target.endpoint=$DST migration.target.access-key=$ACCESS \
    migration.target.secret-key=$SECRET migration.buckets=$1:ours-$1 migration.concurrency=$CONCURRENCY \
    migration.report.dir=$WORK/reports > "$WORK/ours-$1.log" 2>&1 || { cat "$WORK/ours-$1.log"; exit 1; }
}
theirs() {
  rclone sync -q --transfers $CONCURRENCY --checkers $CONCURRENCY src:$1 dst:rclone-$1
}
timed() {  # label command...
  local start end
  start=$(date +%s.%N); "${@:2}"; end=$(date +%s.%N)
  echo "$end - $start" | bc
}
row() {  # label ours-seconds rclone-seconds
  printf "%-28s %10.2f s %10.2f s %8.2f\n" "$1" "$2" "$3" "$(echo "$2 / $3" | bc -l)"
}
printf "%-28s %12s %12s %8s\n" "case" "minio-migrator" "rclone" "ratio"
for set in small large; do
  label="$set: $( [ $set = small ] && echo "$SMALL x 4 KiB" || echo "$LARGE x 100 MiB")"
  r=$(timed rclone theirs $set); o=$(timed ours ours $set)
  row "$label" "$o" "$r"
  r=$(timed rclone theirs $set); o=$(timed ours ours $set)
  row "$set: re-run, nothing to do" "$o" "$r"
done
echo "(ratio = minio-migrator time / rclone time; below 1 is faster)"
rclone check -q src:small dst:ours-small && rclone check -q src:large dst:ours-large && echo "rclone check: our copies match the source"
