package io.github.miniomigrator.support;

import io.github.miniomigrator.MigratorApplication;
import io.github.miniomigrator.demo.DemoCommand;
import io.github.miniomigrator.demo.EmbeddedS3Server;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/** A MinIO-like source and an OSS-like target, both real S3 servers in this JVM, and what the tests do with them. */
public final class TestStores implements AutoCloseable {
    public static final String SOURCE_SECRET = "src-SECRET-5f0e2a9c71";
    public static final String TARGET_SECRET = "tgt-SECRET-9b44d1e0c3";

    public final EmbeddedS3Server source;
    public final EmbeddedS3Server target;
    public final S3Client sourceClient;
    public final S3Client targetClient;
    private final Path work;

    public TestStores(boolean tls) throws Exception {
        this(tls, null);
    }

    public TestStores(boolean tls, Path dataDir) throws Exception {
        this(EmbeddedS3Server.start("source-access", SOURCE_SECRET, dataDir == null ? null : mkdirs(dataDir.resolve("source")), tls),
                EmbeddedS3Server.start("target-access", TARGET_SECRET, dataDir == null ? null : mkdirs(dataDir.resolve("target")), tls));
    }

    /** Two servers started by the test (keys "source-access" / "target-access" with {@link #SOURCE_SECRET} / {@link #TARGET_SECRET}). */
    public TestStores(EmbeddedS3Server source, EmbeddedS3Server target) throws Exception {
        this.source = source;
        this.target = target;
        this.sourceClient = DemoCommand.clientFor(source);
        this.targetClient = DemoCommand.clientFor(target);
        this.work = Files.createTempDirectory("migrator-test");
    }

    static Path mkdirs(Path dir) throws IOException {
        return Files.createDirectories(dir);
    }

    public Path work() {
        return work;
    }

    /** The settings a test run starts from; a test adds or overrides with its own key=value arguments. */
    public List<String> arguments(String buckets, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "migration.source.endpoint=" + source.endpoint(),
                "migration.source.access-key=" + source.accessKey(),
                "migration.target.provider=generic",
                "migration.target.endpoint=" + target.endpoint(),
                "migration.target.region=us-east-1",
                "migration.target.access-key=" + target.accessKey(),
                "migration.buckets=" + buckets,
                "migration.report.dir=" + work.resolve("reports"),
                "migration.state.dir=" + work.resolve("state"),
                "migration.concurrency=8",
                "migration.http.port=" + io.github.miniomigrator.demo.FreePort.next(),
                // the tests' "MinIO" posts its webhook events from this machine, as a MinIO running beside the tool would
                "migration.http.host=127.0.0.1",
                // the tests read English lines: a Chinese locale on the machine running them must not change that
                "migration.language=en"));
        if (source.caCertificate() != null) {
            args.add("migration.source.ca-cert=" + source.caCertificate());
            args.add("migration.target.ca-cert=" + target.caCertificate());
        }
        args.addAll(List.of(more));
        return args;
    }

    /** The arguments with more key=value ones after them (a later one overrides an earlier). */
    public static List<String> with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    /** The secrets come from the environment, as README advises. */
    public Map<String, String> environment() {
        return Map.of("MIGRATION_SOURCE_SECRET_KEY", SOURCE_SECRET, "MIGRATION_TARGET_SECRET_KEY", TARGET_SECRET);
    }

    /** Runs the tool in this JVM with an empty properties file, so the repo's application.properties does not leak in. */
    public Run run(String command, List<String> arguments) throws IOException {
        return runWith(command, arguments, Map.of());
    }

    /** As {@link #run}, with more environment variables beside the two secrets. */
    public Run runWith(String command, List<String> arguments, Map<String, String> moreEnvironment) throws IOException {
        Path config = work.resolve("empty.properties");
        if (!Files.exists(config)) {
            Files.writeString(config, "");
        }
        List<String> args = new ArrayList<>(List.of(command, "--config", config.toString()));
        args.addAll(arguments);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> environment = new java.util.HashMap<>(environment());
        environment.putAll(moreEnvironment);
        int code = MigratorApplication.run(args.toArray(String[]::new), environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public record Run(int exitCode, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public static void put(S3Client s3, String bucket, String key, byte[] body) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
    }

    public static void put(S3Client s3, String bucket, String key, byte[] body, String contentType, Map<String, String> metadata) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata), RequestBody.fromBytes(body));
    }

    /** Uploads every object of the map, 8 at a time. */
    public static void putAll(S3Client s3, String bucket, Map<String, byte[]> objects) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> puts = new java.util.ArrayList<>();
            objects.forEach((key, body) -> puts.add(pool.submit(() -> put(s3, bucket, key, body))));
            for (java.util.concurrent.Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /**
     * key -> size and ETag from a listing alone (objects put in one PUT have their MD5 as ETag; folder objects, which
     * some stores list without an ETag, show as "folder").
     */
    public static Map<String, String> listed(S3Client s3, String bucket, String prefix) {
        Map<String, String> listed = new TreeMap<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> listed.put(o.key().substring(prefix.length()),
                o.key().endsWith("/") ? "folder" : o.size() + ":" + o.eTag()));
        return listed;
    }

    /** key -> size:md5-of-bytes, for comparing two buckets (or a bucket and a prefix) object by object. */
    public static Map<String, String> contents(S3Client s3, String bucket, String prefix) throws Exception {
        Map<String, String> contents = new TreeMap<>();
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            contents.put(object.key().substring(prefix.length()), object.size() + ":" + md5(s3, bucket, object.key()));
        }
        return contents;
    }

    /** Whether the target bucket holds what the source bucket holds, byte for byte; false while a sync is still moving keys. */
    public boolean converged(String sourceBucket, String targetBucket) {
        try {
            return contents(sourceClient, sourceBucket, "").equals(contents(targetClient, targetBucket, ""));
        } catch (Exception e) {
            return false; // a key listed, then deleted by the sync before it was read: look again
        }
    }

    public static String md5(S3Client s3, String bucket, String key) throws Exception {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                md5.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    public static HeadObjectResponse head(S3Client s3, String bucket, String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key));
    }

    public static List<String> keys(S3Client s3, String bucket) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    @Override
    public void close() throws Exception {
        sourceClient.close();
        targetClient.close();
        source.close();
        target.close();
    }
}
