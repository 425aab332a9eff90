package io.github.miniomigrator.support;

import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.TargetClientFactory;
import io.github.miniomigrator.demo.FreePort;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real Ceph RADOS Gateway for the tests: one throwaway cluster per test JVM (1 monitor, 1 OSD on memstore, radosgw on
 * 127.0.0.1), started on first use by {@code bench/rgw.sh} (the one copy of the recipe) and stopped at JVM exit. Tests
 * share it and make their own buckets ({@link #bucket(String)}).
 *
 * <p>Where the Ceph packages are missing the calling test is skipped with the command that installs them; under CI
 * ({@code CI} set, as {@code .ci/run} does, or {@code -Drgw.required=true}) it fails instead. A cluster that is
 * installed but does not start always fails.
 */
public final class Rgw {
    public static final String INSTALL = "apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw";
    private static final List<String> BINARIES = List.of("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "monmaptool", "ceph");
    private static final String ACCESS = "rgwaccess";
    private static final String SECRET = "rgwsecret0123456789";

    private static Rgw shared;
    private static Throwable failedStart;

    private final Path dir;
    private final String endpoint;
    private final String tlsEndpoint;
    private final Path caCertificate;
    private final S3Client client;

    private Rgw(Path dir, String endpoint, String tlsEndpoint, Path caCertificate) {
        this.dir = dir;
        this.endpoint = endpoint;
        this.tlsEndpoint = tlsEndpoint;
        this.caCertificate = caCertificate;
        this.client = clientFor(endpoint);
    }

    /**
     * The cluster of this JVM, started on the first call (about 3 s). Skips the calling test (JUnit assumption) where
     * Ceph is not installed, fails it under CI.
     */
    public static synchronized Rgw shared() {
        Optional<String> missing = missing();
        if (missing.isPresent()) {
            String message = "Ceph RGW tests need " + missing.get() + " (" + INSTALL + ")";
            if (required()) {
                throw new AssertionError(message + ": it is missing on CI, where .ci/run installs it");
            }
            Assumptions.abort(message + ": skipped on this machine");
        }
        if (shared == null) {
            if (failedStart != null) {
                throw new AssertionError("the shared Ceph RGW did not start earlier in this JVM", failedStart);
            }
            try {
                shared = start();
            } catch (Throwable e) {
                failedStart = e;
                throw new AssertionError("Ceph RGW is installed but did not start: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    /** Whether a missing RGW fails rather than skips: under CI ({@code CI} set and not "false"), or -Drgw.required=true. */
    static boolean required() {
        String ci = System.getenv("CI");
        return (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) || Boolean.getBoolean("rgw.required");
    }

    private static Optional<String> missing() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        List<String> absent = new ArrayList<>();
        for (String binary : BINARIES) {
            boolean found = Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty())
                    .anyMatch(d -> Files.isExecutable(Path.of(d, binary)));
            if (!found) {
                absent.add(binary);
            }
        }
        return absent.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", absent));
    }

    private static Path script() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path script = base.resolve("bench/rgw.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("bench/rgw.sh not found under " + base);
        }
        return script;
    }

    private static Rgw start() throws IOException, InterruptedException {
        Path log = Files.createTempFile("rgw-start", ".log");
        ProcessBuilder builder = new ProcessBuilder("bash", script().toString(), "start").redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("MON_PORT", Integer.toString(FreePort.next()));
        builder.environment().put("RGW_PORT", Integer.toString(FreePort.next()));
        builder.environment().put("RGW_TLS", "1");
        builder.environment().put("RGW_TLS_PORT", Integer.toString(FreePort.next()));
        builder.environment().put("RGW_ACCESS", ACCESS);
        builder.environment().put("RGW_SECRET", SECRET);
        Process process = builder.start();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("bench/rgw.sh did not finish in 180 s: " + Files.readString(log));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (line.startsWith("RGW_") && eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).trim());
            }
        }
        String dir = values.get("RGW_DIR");
        if (dir != null) {
            // registered before anything else can fail, so the daemons never outlive the JVM
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(Path.of(dir)), "rgw-stop"));
        }
        if (process.exitValue() != 0 || dir == null || values.get("RGW_ENDPOINT") == null || values.get("RGW_TLS_ENDPOINT") == null) {
            throw new IllegalStateException("bench/rgw.sh exited " + process.exitValue() + ": " + output.strip());
        }
        Files.deleteIfExists(log);
        System.out.println("Ceph RGW at " + values.get("RGW_ENDPOINT") + " and " + values.get("RGW_TLS_ENDPOINT") + " (" + dir + "), started in "
                + values.get("RGW_STARTED_IN"));
        return new Rgw(Path.of(dir), values.get("RGW_ENDPOINT"), values.get("RGW_TLS_ENDPOINT"), Path.of(values.get("RGW_CA")));
    }

    /** Ends the cluster's daemons by the pids in its own pid files (TERM, then KILL after 10 s) and deletes its folder. */
    static void stop(Path dir) {
        List<ProcessHandle> daemons = new ArrayList<>();
        try (Stream<Path> pids = Files.list(dir.resolve("run"))) {
            for (Path file : pids.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                try {
                    ProcessHandle.of(Long.parseLong(Files.readString(file).trim())).ifPresent(daemons::add);
                } catch (IOException | NumberFormatException e) {
                    // a daemon that never wrote its pid did not start
                }
            }
        } catch (IOException e) {
            // no run folder: nothing started
        }
        daemons.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (daemons.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                break;
            }
        }
        daemons.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (!Boolean.getBoolean("rgw.keep")) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // best effort: it is under /tmp
            }
        }
    }

    public String endpoint() {
        return endpoint;
    }

    /** The same RGW over https (beast's ssl_endpoint), with a self-signed certificate: {@link #caCertificate()}. */
    public String tlsEndpoint() {
        return tlsEndpoint;
    }

    /** The PEM certificate to trust for {@link #tlsEndpoint()}. */
    public Path caCertificate() {
        return caCertificate;
    }

    public String accessKey() {
        return ACCESS;
    }

    public String secretKey() {
        return SECRET;
    }

    /** The cluster's folder (ceph.conf, log/ with radosgw's log). */
    public Path dir() {
        return dir;
    }

    /** An S3 client for the RGW user (path style, the tool's own client settings); shared, do not close it. */
    public S3Client client() {
        return client;
    }

    /** Creates the bucket (names must be unique per test: the cluster is shared by the whole JVM). */
    public void createBucket(String name) {
        client.createBucket(b -> b.bucket(name));
    }

    /** Creates a bucket named prefix + a random suffix, and returns its name. */
    public String bucket(String prefix) {
        String name = (prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT);
        createBucket(name);
        return name;
    }

    /** Settings for the tool with this RGW as the source (provider generic, path style). */
    public List<String> asSource() {
        return List.of("migration.source.provider=generic", "migration.source.path-style=true", "migration.source.endpoint=" + endpoint,
                "migration.source.access-key=" + ACCESS, "migration.source.secret-key=" + SECRET, "migration.source.region=us-east-1");
    }

    /** Settings for the tool with this RGW as the target (provider generic, path style). */
    public List<String> asTarget() {
        return List.of("migration.target.provider=generic", "migration.target.path-style=true", "migration.target.endpoint=" + endpoint,
                "migration.target.access-key=" + ACCESS, "migration.target.secret-key=" + SECRET, "migration.target.region=us-east-1");
    }

    /** As {@link #asSource()} and {@link #asTarget()}, both sides over https. */
    public List<String> asSourceAndTargetOverTls() {
        List<String> settings = new ArrayList<>(asSource());
        settings.addAll(asTarget());
        settings.addAll(List.of("migration.source.endpoint=" + tlsEndpoint, "migration.source.ca-cert=" + caCertificate,
                "migration.target.endpoint=" + tlsEndpoint, "migration.target.ca-cert=" + caCertificate));
        return settings;
    }

    private static S3Client clientFor(String endpoint) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("migration.target.provider", "generic");
        values.put("migration.target.path-style", "true");
        values.put("migration.target.endpoint", endpoint);
        values.put("migration.target.region", "us-east-1");
        values.put("migration.target.access-key", ACCESS);
        values.put("migration.target.secret-key", SECRET);
        return TargetClientFactory.create(new Settings(values));
    }
}
