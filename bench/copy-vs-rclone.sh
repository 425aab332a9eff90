#!/usr/bin/env bash
# minio-migrator `copy` against `rclone sync`, side by side in one run, on the same data between S3Proxy servers on
# loopback (filesystem-nio2 store), servers warmed first. Each case: wall time of both, the ratio (ours / rclone,
# below 1 is faster), client CPU (user+sys of the process, as `time` shows it) per object for both, and the CPU the
# servers spent answering each (their JVM's user+sys over the case).
#   10,000 x 4 KiB; the same again with nothing to copy; 50,000 x 4 KiB (JIT warm-up and steady state), and again
#   with nothing to copy (split by directory, the default; in one listing; in key ranges); 10 x 100 MiB to a TLS
#   target (as OSS is); start-up: an empty bucket.
# Usage: bench/copy-vs-rclone.sh                     (needs: apt-get install rclone)
#   SMALL=10000 MORE=50000 LARGE=10 CONCURRENCY=16   sizes and parallelism
#   TOOL=target/minio-migrator                       how the tool is started (default: the launcher, as README says;
#                                                    JAVA_OPTS passes JVM flags through it)
#   OURS_SETTINGS="migration.source.provider=generic"  more settings for the tool's runs (space-separated key=value)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
SMALL=${SMALL:-10000}
MORE=${MORE:-50000}
LARGE=${LARGE:-10}
CONCURRENCY=${CONCURRENCY:-16}
JAVA_OPTS=${JAVA_OPTS:-}
TOOL=${TOOL:-target/minio-migrator}
OURS_SETTINGS=${OURS_SETTINGS:-}
command -v rclone >/dev/null || { echo "rclone is missing: apt-get install rclone" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 2; }
[ -f target/minio-migrator.jar ] || mvn -B -q package -DskipTests

WORK=$(mktemp -d /tmp/migrator-bench.XXXXXX)
SERVERS=
trap '[ -n "$SERVERS" ] && kill $SERVERS 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT
ACCESS=benchaccess
SECRET=benchsecret0123456789   # plain: rclone cannot sign uploads to S3Proxy with + / = in the secret
BUCKETS="warm small more large empty"
for b in $BUCKETS; do TARGETS="${TARGETS:-} ours-$b rclone-$b"; done
local_servers "$WORK" $ACCESS $SECRET $BUCKETS $TARGETS
echo "source $SRC, target $DST, TLS target $TLS, concurrency $CONCURRENCY, tool: $TOOL ${OURS_SETTINGS:+($OURS_SETTINGS)}"

rclone_remotes $ACCESS $SECRET SRC:$SRC DST:$DST TLS:$TLS
RCLONE="rclone -q --transfers $CONCURRENCY --checkers $CONCURRENCY --ca-cert $CA"

echo "seeding: 2,000 (warm-up), $SMALL and $MORE x 4 KiB, $LARGE x 100 MiB into the source"
python3 - "$WORK/seed" 2000 "$SMALL" "$MORE" "$LARGE" <<'PY'
import os, sys
root, warm, small, more, large = sys.argv[1], *map(int, sys.argv[2:])
for name, count in (("warm", warm), ("small", small), ("more", more)):
    for i in range(count):
        d = os.path.join(root, name, "dir%03d" % (i % 100))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "obj%06d" % i), "wb") as f:
            f.write(os.urandom(4096))
os.makedirs(os.path.join(root, "large"), exist_ok=True)
for i in range(large):
    with open(os.path.join(root, "large", "big%02d.bin" % i), "wb") as f:
        for _ in range(100):
            f.write(os.urandom(1 << 20))
PY
for set in warm small more; do $RCLONE copy "$WORK/seed/$set" src:$set; done
$RCLONE copy --s3-upload-cutoff 5G "$WORK/seed/large" src:large
rm -rf "$WORK/seed"

: > "$WORK/empty.properties"
ours() {  # source-bucket target-endpoint [ca | setting=value ...]
  local extras=()
  for extra in "${@:3}"; do
    case $extra in *=*) extras+=("$extra") ;; ?*) extras+=(migration.target.ca-cert=$extra) ;; esac
  done
  $TOOL copy --config "$WORK/empty.properties" \
    migration.source.endpoint=$SRC migration.source.access-key=$ACCESS migration.source.secret-key=$SECRET \
    migration.target.provider=generic migration.target.endpoint=$2 migration.target.access-key=$ACCESS \
    migration.target.secret-key=$SECRET migration.buckets=$1:ours-$1 migration.concurrency=$CONCURRENCY \
    migration.report.dir=$WORK/reports migration.state.dir=$WORK/state "${extras[@]}" $OURS_SETTINGS
}
theirs() {  # source-bucket remote
  $RCLONE sync src:$1 $2:rclone-$1
}
export -f ours theirs
export TOOL WORK SRC JAVA_OPTS ACCESS SECRET CONCURRENCY RCLONE OURS_SETTINGS
servers_cpu() {  # seconds of CPU the three servers' JVM has used so far
  awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' /proc/$SERVERS/stat
}
measure() {  # log-name function args... -> "wall cpu servers-cpu" (seconds; cpu: every process the function ran)
  local before; before=$(servers_cpu)
  /usr/bin/time -f "%e %U %S" -o "$WORK/$1.time" bash -c "${*:2}" > "$WORK/$1.log" 2>&1 || { echo "$1 failed:" >&2; tail -20 "$WORK/$1.log" >&2; exit 1; }
  awk -v s="$(echo "$(servers_cpu) - $before" | bc -l)" '{printf "%s %.2f %.2f", $1, $2 + $3, s}' "$WORK/$1.time"
}
row() {  # label objects "ours-wall ours-cpu ours-servers-cpu" "rclone-wall rclone-cpu rclone-servers-cpu"
  read -r ow oc os <<< "$3"; read -r rw rc rs <<< "$4"
  printf "%-34s %8.2f s %8.2f s %7.2f   %8.3f %8.3f   %8.3f %8.3f\n" "$1" "$ow" "$rw" "$(echo "$ow / $rw" | bc -l)" \
    "$(echo "$oc * 1000 / $2" | bc -l)" "$(echo "$rc * 1000 / $2" | bc -l)" \
    "$(echo "$os * 1000 / $2" | bc -l)" "$(echo "$rs * 1000 / $2" | bc -l)"
}

# the launcher's first run writes its class archive (Java 17) or AOT cache (Java 25), trained on that run: a real copy,
# as a user's first run is, not an empty one (which would leave the copy's classes and profiles out of it)
mkdir -p "$WORK/archives"
export MIGRATOR_CDS_DIR=${MIGRATOR_CDS_DIR:-$WORK/archives}  # a fresh one: trained by this run, whatever ran before
first=$(measure ours-first ours warm $DST)
echo "the tool's first run, 2,000 x 4 KiB (writes its class archive or AOT cache when started by the launcher): ${first%% *} s"
echo "warming the servers (2,000 objects through each, twice)"
for remote in dst tls; do
  for bucket in rclone-warm ours-warm; do $RCLONE sync src:warm $remote:$bucket 2> /dev/null; done
done

printf "\n%-34s %10s %10s %7s   %-17s   %-17s\n" "case" "ours" "rclone" "ratio" "CPU ms/object (ours, rclone)" \
  "servers' CPU ms/object (ours, rclone)"
r=$(measure rclone-small theirs small dst); o=$(measure ours-small ours small $DST)
row "$SMALL x 4 KiB" "$SMALL" "$o" "$r"
r=$(measure rclone-small-again theirs small dst); o=$(measure ours-small-again ours small $DST)
row "$SMALL x 4 KiB again, nothing to do" "$SMALL" "$o" "$r"
r=$(measure rclone-more theirs more dst); o=$(measure ours-more ours more $DST)
row "$MORE x 4 KiB" "$MORE" "$o" "$r"
r=$(measure rclone-more-again theirs more dst); o=$(measure ours-more-again ours more $DST)
row "$MORE x 4 KiB again, nothing to do" "$MORE" "$o" "$r"
o=$(measure ours-more-again-one ours more $DST migration.listing.split=none)
row "  the same, in one listing" "$MORE" "$o" "$r"
o=$(measure ours-more-again-ranges ours more $DST migration.listing.split=ranges)
row "  the same, in key ranges (4)" "$MORE" "$o" "$r"
r=$(measure rclone-large theirs large tls); o=$(measure ours-large ours large $TLS $CA)
row "$LARGE x 100 MiB to TLS" "$LARGE" "$o" "$r"
r=$(measure rclone-empty theirs empty dst); o=$(measure ours-empty ours empty $DST)
row "start-up: an empty bucket" 1 "$o" "$r"
echo "(ratio = minio-migrator wall time / rclone wall time; below 1 is faster. CPU: client process user+sys;"
echo " servers' CPU: what the S3 servers' JVM spent answering that client)"
$RCLONE check src:small dst:ours-small && $RCLONE check src:more dst:ours-more && $RCLONE check src:large tls:ours-large \
  && echo "rclone check: our copies match the source"
