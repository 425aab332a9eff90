#!/usr/bin/env bash
# Small objects Ceph RGW -> RGW with `copy`, per way of reaching RGW: how much of each object's time is spent waiting on
# Nagle. RGW's beast frontend has tcp_nodelay off by default, so it holds an answer's body until the client acknowledges
# the headers, which Linux delays ~40 ms on a kept-alive connection unless the client asks for quick acks (the tool's
# sockets do, where its HTTP client lets it: see README, Ceph RGW). One throwaway RGW (bench/rgw.sh, http and https),
# N x 4 KiB in one bucket, each case copied into a fresh bucket; reports wall time, objects/s, ms per object and the
# tool's CPU (user+sys) per object.
#   cases: sdk-http    source and target through the AWS SDK over http (provider generic)
#          sdk-https   the same over https
#          minio-http  source read through the MinIO client (OkHttp), target through the SDK, over http
#          minio-https the same over https
# Usage: bench/rgw-small.sh
#   N=2000 CONCURRENCY=4 CASES="sdk-http sdk-https minio-http minio-https"
#   TOOL=target/minio-migrator          how the tool is started (the launcher, as README says)
#   BEFORE=/path/to/minio-migrator      another build's launcher, run on the same data right before TOOL in each case
#   RGW_NODELAY=1                       start RGW with tcp_nodelay=1 (the server-side fix) instead of its default
# Needs: Ceph's packages (see bench/rgw.sh), curl, /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-2000}
CONCURRENCY=${CONCURRENCY:-4}
CASES=${CASES:-sdk-http sdk-https minio-http minio-https}
TOOL=${TOOL:-target/minio-migrator}
BEFORE=${BEFORE:-}
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 2; }
[ -f target/minio-migrator.jar ] || mvn -B -q package -DskipTests

WORK=$(mktemp -d /tmp/rgw-small.XXXXXX)
RGW_DIR=
trap '[ -n "$RGW_DIR" ] && bash bench/rgw.sh stop "$RGW_DIR" >/dev/null; rm -rf "$WORK"' EXIT
RGW_TLS=1 RGW_NODELAY=${RGW_NODELAY:-0} bash bench/rgw.sh > "$WORK/rgw.env"
eval "$(grep '^RGW_' "$WORK/rgw.env")"
echo "RGW at $RGW_ENDPOINT and $RGW_TLS_ENDPOINT, tcp_nodelay=${RGW_NODELAY:-0}"

s3() { # METHOD PATH [curl args]: one signed request to RGW over http (bucket creation, no bodies)
  local method=$1 path=$2; shift 2
  curl -sf -X "$method" --aws-sigv4 "aws:amz:us-east-1:s3" --user "$RGW_ACCESS:$RGW_SECRET" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@" "$RGW_ENDPOINT$path"
}

# the objects go in through the AWS SDK, 16 at a time (a PUT's answer is headers alone: Nagle does not delay it)
cat > "$WORK/Fill.java" <<'JAVA'
import java.net.URI;
import java.util.concurrent.*;
import software.amazon.awssdk.auth.credentials.*;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
public class Fill {
    public static void main(String[] a) throws Exception {
        S3Client s3 = S3Client.builder().endpointOverride(URI.create(a[0])).region(Region.US_EAST_1).forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(a[1], a[2]))).build();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        java.util.List<Future<?>> puts = new java.util.ArrayList<>();
        for (int b = 3; b + 1 < a.length; b += 2) {
            String bucket = a[b];
            int n = Integer.parseInt(a[b + 1]);
            s3.createBucket(r -> r.bucket(bucket));
            for (int i = 0; i < n; i++) {
                byte[] body = new byte[4096];
                ThreadLocalRandom.current().nextBytes(body);
                String key = String.format("scan/%03d/%06d.bin", i % 100, i);
                puts.add(pool.submit(() -> s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(body))));
            }
        }
        for (Future<?> put : puts) {
            put.get();
        }
        pool.shutdown();
        s3.close();
    }
}
JAVA
START=$(date +%s.%N)
java -cp target/minio-migrator.jar "$WORK/Fill.java" "$RGW_ENDPOINT" "$RGW_ACCESS" "$RGW_SECRET" warm 20 small-src "$N" 2>"$WORK/fill.log" \
  || { cat "$WORK/fill.log" >&2; exit 1; }
echo "filled small-src with $N x 4 KiB in $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $START}") s"
: > "$WORK/empty.properties"

run() { # NAME LAUNCHER CASE [SOURCE-BUCKET]: one copy into a fresh bucket, one result line
  local name=$1 launcher=$2 case=$3 scheme=${3#*-} provider=${3%%-*} from=${4:-small-src}
  local bucket="dst-$name-$case-$RANDOM" endpoint=$RGW_ENDPOINT
  [ "$scheme" = https ] && endpoint=$RGW_TLS_ENDPOINT
  s3 PUT "/$bucket" -o /dev/null
  local args=(migration.buckets="$from:$bucket" migration.concurrency="$CONCURRENCY"
    migration.report.dir="$WORK/reports-$name-$case" migration.state.dir="$WORK/state-$name" migration.events.mode=off
    migration.source.endpoint="$endpoint" migration.source.access-key="$RGW_ACCESS" migration.source.region=us-east-1
    migration.target.provider=generic migration.target.path-style=true migration.target.endpoint="$endpoint"
    migration.target.access-key="$RGW_ACCESS" migration.target.region=us-east-1)
  if [ "$provider" = sdk ]; then
    args+=(migration.source.provider=generic migration.source.path-style=true)
  else
    args+=(migration.source.provider=minio)
  fi
  [ "$scheme" = https ] && args+=(migration.source.ca-cert="$RGW_CA" migration.target.ca-cert="$RGW_CA")
  MIGRATION_SOURCE_SECRET_KEY=$RGW_SECRET MIGRATION_TARGET_SECRET_KEY=$RGW_SECRET \
    /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$launcher" copy --config "$WORK/empty.properties" "${args[@]}" \
    > "$WORK/out-$name-$case.log" 2>&1 || { echo "$name $case: copy failed (exit $?):" >&2; tail -20 "$WORK/out-$name-$case.log" >&2; return 1; }
  local copied
  copied=$(grep -rho '"copiedObjects" *: *[0-9]*' "$WORK/reports-$name-$case" 2>/dev/null | tail -1 | grep -o '[0-9]*$' || echo '?')
  read -r wall user sys < "$WORK/time"
  awk -v name="$name" -v c="$case" -v w="$wall" -v u="$user" -v s="$sys" -v n="$copied" 'BEGIN {
    printf "%-7s %-12s %6d copied  %7.1f s  %7.1f objects/s  %6.1f ms/object  CPU %5.2f ms/object\n",
      name, c, n, w, n / w, w * 1000 / n, (u + s) * 1000 / n }'
}

# one warm-up run per launcher (its class-data archive is written then), 20 objects, not reported
for launcher in $BEFORE $TOOL; do
  run warmup "$launcher" sdk-http warm > /dev/null
done
for case in $CASES; do
  [ -n "$BEFORE" ] && run before "$BEFORE" "$case"
  run after "$TOOL" "$case"
done
