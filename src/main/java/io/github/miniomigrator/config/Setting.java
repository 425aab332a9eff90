package io.github.miniomigrator.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Every {@code migration.*} setting the tool reads: its key, default and meaning; README's table mirrors this list. */
public enum Setting {
    SOURCE_PROVIDER("migration.source.provider", "minio", false,
            "minio | oss | obs | s3 | generic: the source store; minio is read through camel-minio and is the only one with the listen API, the others through the AWS SDK with the provider's addressing"),
    SOURCE_ENDPOINT("migration.source.endpoint", "", false, "source endpoint URL, e.g. http://minio.internal:9000"),
    SOURCE_ACCESS_KEY("migration.source.access-key", "", false, "source access key; read-only rights are enough"),
    SOURCE_SECRET_KEY("migration.source.secret-key", "", true, "source secret key"),
    SOURCE_REGION("migration.source.region", "us-east-1", false, "source region used for signing, e.g. cn-hangzhou"),
    SOURCE_PATH_STYLE("migration.source.path-style", "", false,
            "source other than minio: true for path-style addressing; empty: the provider's default (false for oss, obs, s3; true for generic)"),
    SOURCE_BUCKET_DOMAINS("migration.source.bucket-domains", "", false,
            "source other than minio: buckets read through their own domain (an OSS custom domain), bucket=URL,... with the source bucket's name, as migration.target.bucket-domains"),
    SOURCE_CA_CERT("migration.source.ca-cert", "", false,
            "PEM file with the CA certificate(s) to trust for an https source with a private CA; empty: the JVM's trust store"),
    SOURCE_PROXY("migration.source.proxy", "", false,
            "http://host:port of the HTTP proxy the source is reached through (a CONNECT tunnel for https); empty: the JVM's https.proxyHost (for providers other than minio also HTTPS_PROXY / NO_PROXY), else direct"),
    SOURCE_PROXY_USERNAME("migration.source.proxy-username", "", false, "user name for the proxy in migration.source.proxy (Basic authentication)"),
    SOURCE_PROXY_PASSWORD("migration.source.proxy-password", "", true, "password for the proxy in migration.source.proxy"),
    SOURCE_RATE("migration.source.rate", "off", false,
            "requests per second the source may receive, as migration.rate for the target (a source on OSS counts QPS too); off: no limit"),
    TARGET_PROVIDER("migration.target.provider", "oss", false, "oss | obs | s3 | minio | generic: addressing, bucket and metadata rules"),
    TARGET_ENDPOINT("migration.target.endpoint", "", false, "target endpoint URL, e.g. https://s3.oss-cn-hangzhou.aliyuncs.com"),
    TARGET_REGION("migration.target.region", "us-east-1", false, "target region used for signing, e.g. cn-hangzhou"),
    TARGET_ACCESS_KEY("migration.target.access-key", "", false, "target access key"),
    TARGET_SECRET_KEY("migration.target.secret-key", "", true, "target secret key"),
    TARGET_PATH_STYLE("migration.target.path-style", "", false,
            "true for path-style addressing; empty: the provider's default (false for oss, obs, s3; true for minio, generic)"),
    TARGET_BUCKET_DOMAINS("migration.target.bucket-domains", "", false,
            "buckets reached through their own domain (an OSS custom domain), bucket=URL,...: requests go to URL/key, the bucket named by the domain alone"),
    TARGET_STORAGE_CLASS("migration.target.storage-class", "", false,
            "storage class of every object written, e.g. STANDARD_IA (OSS: IA) or GLACIER (OSS: Archive); empty: the bucket's default"),
    TARGET_CA_CERT("migration.target.ca-cert", "", false, "PEM file with CA certificate(s) to trust for the target; empty: the JVM's trust store"),
    TARGET_PROXY("migration.target.proxy", "", false,
            "http://host:port of the HTTP proxy the target is reached through (a CONNECT tunnel for https); empty: the JVM's https.proxyHost, "
                    + "else the HTTPS_PROXY / NO_PROXY environment variables, else direct"),
    TARGET_PROXY_USERNAME("migration.target.proxy-username", "", false, "user name for the proxy in migration.target.proxy (Basic authentication)"),
    TARGET_PROXY_PASSWORD("migration.target.proxy-password", "", true, "password for the proxy in migration.target.proxy"),
    TLS_PROVIDER("migration.tls.provider", "conscrypt", false,
            "who speaks TLS to both stores: conscrypt (BoringSSL, native AES-GCM; the JDK where its library does not load) | jdk"),
    BUCKETS("migration.buckets", "", false,
            "comma-separated mappings source[:target[/prefix]], e.g. archive-temp:oss-temp,archive-pro:oss-pro/backup"),
    INCLUDE("migration.include", "", false,
            "comma-separated glob patterns (rclone's syntax: * ** ? [a-z] {a,b}; a leading / anchors at the mapping's root, a trailing / takes a directory and all below): only keys matching one are migrated, compared and synced; empty: every key"),
    EXCLUDE("migration.exclude", "", false,
            "comma-separated glob patterns as migration.include: keys matching one are neither copied, deleted, compared nor synced, e.g. *.tmp,/cache/; empty: none"),
    REMOVE("migration.remove", "false", false, "delete target objects (under the mapping's prefix) that the source lacks"),
    MAX_DELETE("migration.max-delete", "1000", false,
            "a pass that would delete more target objects than this deletes none and fails; -1: no limit"),
    CONCURRENCY("migration.concurrency", "16", false,
            "object transfers (copies and deletes) in flight at once in the whole process: passes, catch-up passes and event syncs share them (1 to 1024)"),
    LISTING_CONCURRENCY("migration.listing.concurrency", "4", false,
            "shards (directories or key ranges, migration.listing.split) listed at once on both stores, each merge-joined on its own"),
    LISTING_SPLIT("migration.listing.split", "directories", false,
            "how a pass splits its listing: directories (a directory's own keys and each child's, as rclone walks; one listing where the keys have no directories), ranges (key ranges from one-key probes, for flat buckets on stores where a listing that starts after a key costs one page, as S3 and OSS), none (one listing)"),
    MULTIPART_THRESHOLD("migration.multipart.threshold", "128MiB", false,
            "objects up to this size whose source ETag is their MD5 stream in one PUT; larger ones, and others above the part size, go up in parts"),
    PART_SIZE("migration.multipart.part-size", "8MiB", false,
            "smallest part size (at least 5MiB); grows with the object so that no upload needs more than 10,000 parts"),
    MULTIPART_CONCURRENCY("migration.multipart.concurrency", "8", false,
            "parts of one object uploaded at once (1 to 64); a part beyond the first takes a transfer slot (migration.concurrency) only while one is free and no transfer waits for it"),
    BUFFER_MEMORY("migration.buffer-memory", "auto", false,
            "heap all in-flight part buffers may take together; auto: a quarter of the maximum heap"),
    ROUTES_DIR("migration.routes.dir", "routes", false,
            "folder of the YAML routes integrators edit; when it does not exist the jar's own copies are used"),
    ROUTES_RELOAD("migration.routes.reload", "false", false, "reload a route in a running process when its YAML file is saved"),
    PROGRESS_INTERVAL("migration.progress.interval", "30s", false,
            "a progress line (% done, totals, rate over the interval, ETA; \"listing\" until the totals are known) in the log this often while a pass runs; off: none"),
    BANDWIDTH("migration.bandwidth", "off", false,
            "byte-rate limit over all transfers, with a daily timetable in rclone's syntax: 10M, or \"08:00,10M 20:00,off\""),
    RATE("migration.rate", "off", false,
            "requests per second the target may receive, every kind counted (listings, HEADs, PUTs, parts, deletes), e.g. 100 for an OSS QPS quota; any one second sees at most a tenth more; off: no limit"),
    TIMEOUT("migration.timeout", "60s", false,
            "a request to either store that sends or receives nothing for this long (a stalled upload as well as a silent answer) is "
                    + "given up and retried on a new connection; a transfer that keeps moving is never cut short; connecting gets 15s at most"),
    RETRIES("migration.retries", "4", false, "retries of a transfer after a transient failure (5xx, 429, reset, timeout)"),
    LANGUAGE("migration.language", "auto", false,
            "language of the operator-facing output (progress, results, preflight and cutover messages): en | zh | auto (Chinese under a Chinese locale, LANG=zh_CN.UTF-8; English otherwise); the console page follows the browser's language"),
    REPORT_DIR("migration.report.dir", "reports", false, "folder for the JSON reports (created when missing)"),
    STATE_DIR("migration.state.dir", "state", false,
            "folder for what the tool remembers between runs, e.g. whether the target's ETags are MD5s (created when missing)"),
    VERIFY_SAMPLE("migration.verify.sample", "0", false,
            "verify: also download this many random identical objects from both sides and compare their MD5; all: every one"),
    EVENTS_MODE("migration.events.mode", "listen", false,
            "run: listen (MinIO's ListenBucketNotification API, no server change) | webhook (MinIO's webhook target) | kafka (MinIO's Kafka target, read as one consumer group by every instance) | off"),
    KAFKA_BROKERS("migration.events.kafka.brokers", "", false,
            "run, kafka mode (required there): the Kafka bootstrap servers, host:port,host:port"),
    KAFKA_TOPIC("migration.events.kafka.topic", "", false,
            "run, kafka mode (required there): the topic MinIO's notify_kafka writes to"),
    KAFKA_GROUP("migration.events.kafka.group", "minio-migrator", false,
            "run, kafka mode: the consumer group; every instance of one migration uses the same one, and its offsets move only past events whose keys converged"),
    RECHECK_AFTER_WRITE("migration.recheck-after-write", "auto", false,
            "look after every write so no older copy by another instance lands last: a pass lists what it wrote once more after its copies (a settling join, instead of a HEAD per object), an event's sync or a delete looks its key up in the source again (one HEAD); a key is written again while it changed since the read: auto (on in kafka mode or with migration.cluster.zookeeper, where instances share the keys) | on (e.g. a copy run beside a run elsewhere) | off"),
    EVENTS_URI("migration.events.uri", "", false,
            "run: any Camel endpoint carrying MinIO event JSON (Kafka, AMQP, NATS ...), read in addition to the mode"),
    WEBHOOK_TOKEN("migration.events.webhook.token", "", true,
            "run, webhook mode: the bearer token MinIO's notify_webhook auth_token sends; requests without it get 401"),
    WEBHOOK_PATH_SECRET("migration.events.webhook.path-secret", "", true,
            "run, webhook mode: a secret path segment for senders that cannot send a token (Ceph RGW's HTTP push): they push to "
                    + "/minio/events/<secret>; at least 16 characters of A-Z a-z 0-9 - _ . ~; empty: only the bearer token admits"),
    HTTP_PORT("migration.http.port", "8080", false,
            "run: port of the HTTP server (webhook at /minio/events, /observe/health, /observe/metrics)"),
    HTTP_HOST("migration.http.host", "", false,
            "run: the address the HTTP server listens on, one of this machine's (0.0.0.0: every interface); empty: 127.0.0.1, "
                    + "this machine only, which webhook mode refuses: set the address MinIO reaches this machine at (127.0.0.1 when MinIO runs here)"),
    HTTP_TOKEN("migration.http.token", "", true,
            "run: bearer token /observe/health and /observe/metrics require (Authorization: Bearer <token>; Prometheus: authorization credentials), "
                    + "at least 16 characters; empty: none unless migration.http.username is set. The webhook keeps its own token"),
    HTTP_USERNAME("migration.http.username", "", false,
            "run: user name for basic auth on /observe/health and /observe/metrics (Prometheus: basic_auth), with migration.http.password; "
                    + "either this or migration.http.token is enough"),
    HTTP_PASSWORD("migration.http.password", "", true, "run: password for migration.http.username, at least 16 characters"),
    EVENTS_QUEUE("migration.events.queue-size", "100000", false,
            "run: keys waiting to be synced; past this the tool runs a catch-up pass instead of holding more"),
    EVENTS_MAX_DELETES("migration.events.max-deletes", "1000", false,
            "run: more deletes than this within a minute from events engage the delete brake: every later delete waits (none is lost) until released over JMX (SyncStatus.releaseDeletes), and passes delete nothing meanwhile; -1: no brake"),
    RECONCILE_INTERVAL("migration.reconcile.interval", "off", false,
            "run: a full catch-up pass this often as a safety net, e.g. 6h or 30m; off: only after gaps"),
    CLUSTER_ZOOKEEPER("migration.cluster.zookeeper", "", false,
            "run: ZooKeeper connect string host:port[,host:port][/chroot]; set, the run instances elect one leader there that runs the passes, the reports and the cutover route; empty: this instance does everything"),
    CLUSTER_NAME("migration.cluster.name", "minio-migrator", false,
            "run, with migration.cluster.zookeeper: the migration's name in ZooKeeper; its instances elect their leader among those with the same name"),
    CLUSTER_SESSION_TIMEOUT("migration.cluster.session-timeout", "15s", false,
            "run, with migration.cluster.zookeeper: ZooKeeper session timeout; a dead leader is replaced this long after it was last heard from"),
    QUIET_PERIOD("migration.cutover.quiet-period", "30s", false,
            "run, cutover: 'drained' means nothing pending and no event for this long"),
    SMOKE_SAMPLE("migration.smoke-test.sample", "20", false,
            "smoke-test (and after cutover): random old objects per target read and compared with the source"),
    CUTOVER_SMOKE_TEST("migration.cutover.smoke-test", "true", false, "cutover: run the smoke test after the ZooKeeper write"),
    MONITOR_INTERVAL("migration.monitor.interval", "1h", false, "monitor: how often to record each target's object count and bytes"),
    CUTOVER_ZOOKEEPER("migration.cutover.zookeeper", "", false, "cutover, rollback: ZooKeeper connect string, e.g. zk1:2181,zk2:2181"),
    CUTOVER_PLAN("migration.cutover.plan", "", false,
            "cutover: the plan file, lines znodePath=KEY=VALUE; values may be {{env:NAME}} or {{migration.*}} placeholders"),
    CUTOVER_LAYOUT("migration.cutover.layout", "node-per-key", false,
            "cutover: node-per-key (/path/KEY holds VALUE) | properties (/path holds KEY=VALUE lines; other lines kept)"),
    CUTOVER_AUTH("migration.cutover.auth", "", true, "cutover, rollback (and run's election with migration.cluster.zookeeper): ZooKeeper digest auth user:password; empty: none"),
    CUTOVER_STOP_COMMAND("migration.cutover.stop-command", "", false,
            "cutover: shell command that stops the application (e.g. /opt/app/stop.sh), run before draining; must exit 0"),
    CUTOVER_START_COMMAND("migration.cutover.start-command", "", false,
            "cutover: shell command that starts the application, run after the ZooKeeper write; must exit 0"),
    CUTOVER_DRAIN_TIMEOUT("migration.cutover.drain-timeout", "30m", false,
            "cutover: how long to wait for events to drain before refusing"),
    FALLBACK_INTERVAL("migration.fallback.interval", "15m", false,
            "run after a cutover: how often the fallback pass brings MinIO level with the target (the target listed against MinIO; with several instances shared in shards, as forward); off: one pass when run starts, then only before a rollback or retire"),
    FALLBACK_ACCESS_KEY("migration.fallback.access-key", "", false,
            "after a cutover: the MinIO access key the fallback sync and rollback write with (needs write rights); empty: migration.source.access-key"),
    FALLBACK_SECRET_KEY("migration.fallback.secret-key", "", true,
            "after a cutover: the MinIO secret key for migration.fallback.access-key"),
    HOOK_COPY_FAILED("migration.hooks.copy-failed", "", true,
            "any Camel endpoint URI (e.g. direct:robot with a route of yours, kafka:..., file:...) that receives each key whose copy failed, as JSON with the store's reason (routes/hook-*.yaml); empty: none, and nothing per object"),
    HOOK_OBJECT_COPIED("migration.hooks.object-copied", "", true,
            "an endpoint URI that receives each key copied, as JSON (synchronously, on the copying thread: keep it fast); empty: none"),
    HOOK_OBJECT_DELETED("migration.hooks.object-deleted", "", true,
            "an endpoint URI that receives each target key deleted because the source lacks it, as JSON; empty: none"),
    HOOK_DELETE_FAILED("migration.hooks.delete-failed", "", true,
            "an endpoint URI that receives each target key whose delete failed, as JSON with the store's reason; empty: none"),
    HOOK_PASS_FINISHED("migration.hooks.pass-finished", "", true,
            "an endpoint URI that receives each pass's report (copy, and every pass of run), as JSON, once it is written; empty: none"),
    HOOK_CUTOVER_FINISHED("migration.hooks.cutover-finished", "", true,
            "an endpoint URI that receives each cutover's result (CUT_OVER, REFUSED or FAILED, with why), as JSON, from the command and the route alike; empty: none"),
    HOOK_ROBOT_URL("migration.hooks.robot-url", "", true,
            "webhook address of a WeCom group robot or a DingTalk custom robot (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=..., https://oapi.dingtalk.com/robot/send?access_token=...); a hook set to direct:robot posts each outcome there as one text message (routes/robot.yaml); empty: no robot"),
    CUTOVER_RECORD_PATH("migration.cutover.record-path", "/minio-migrator/cutovers", false,
            "cutover, rollback, copy, run: the ZooKeeper folder (on migration.cutover.zookeeper) where a cutover records which targets the application now writes to; forward syncs of those are refused until a rollback");

    private final String key;
    private final String defaultValue;
    private final boolean secret;
    private final String description;

    Setting(String key, String defaultValue, boolean secret, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.secret = secret;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public boolean secret() {
        return secret;
    }

    public String description() {
        return description;
    }

    /** The environment variable that may carry this setting: MIGRATION_SOURCE_SECRET_KEY for migration.source.secret-key. */
    public String environmentVariable() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
