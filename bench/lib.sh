# Shared by the benchmark scripts (sourced, not run): the local servers' start and rclone's remotes.

# local_servers WORK ACCESS SECRET BUCKET... : starts LocalS3Servers in the background (pid in SERVERS), waits up to
# 180 s for its endpoints and sets SRC, DST, TLS and CA from them; exits 2 when they do not come up.
local_servers() {
  local work=$1 access=$2 secret=$3
  java -Xmx2g -cp target/minio-migrator.jar io.github.miniomigrator.demo.LocalS3Servers "$work/data" "$access" "$secret" \
    "${@:4}" > "$work/servers.txt" 2> "$work/servers.log" &
  SERVERS=$!
  for _ in $(seq 900); do [ "$(wc -l < "$work/servers.txt")" -ge 3 ] && break; sleep 0.2; done  # slow on a busy machine
  SRC=$(awk '$1 == "source" {print $2}' "$work/servers.txt")
  DST=$(awk '$1 == "target" {print $2}' "$work/servers.txt")
  TLS=$(awk '$1 == "target-tls" {print $2}' "$work/servers.txt")
  CA=$(awk '$1 == "target-tls" {print $3}' "$work/servers.txt")
  if [ -z "$SRC" ] || [ -z "$DST" ] || [ -z "$TLS" ]; then
    # never let rclone fall back to its default (a public endpoint): only the servers started here
    echo "the local S3 servers did not start:" >&2; cat "$work/servers.log" >&2; exit 2
  fi
}

# rclone_remotes ACCESS SECRET NAME:URL... : an rclone remote per endpoint (name lower-cased in rclone's commands), from
# the environment, so that no rclone.conf is read or written; AWS_CA_BUNDLE would make rclone distrust the local CA.
rclone_remotes() {
  local access=$1 secret=$2 remote name url
  unset AWS_CA_BUNDLE
  for remote in "${@:3}"; do
    name=${remote%%:*}; url=${remote#*:}
    export RCLONE_CONFIG_${name}_TYPE=s3 RCLONE_CONFIG_${name}_PROVIDER=Other RCLONE_CONFIG_${name}_ENDPOINT=$url \
      RCLONE_CONFIG_${name}_ACCESS_KEY_ID=$access RCLONE_CONFIG_${name}_SECRET_ACCESS_KEY=$secret
  done
}
