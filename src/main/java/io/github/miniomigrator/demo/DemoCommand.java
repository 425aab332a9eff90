package io.github.miniomigrator.demo;

import io.github.miniomigrator.command.CopyCommand;
import io.github.miniomigrator.command.CutoverCommand;
import io.github.miniomigrator.command.RollbackCommand;
import io.github.miniomigrator.command.VerifyCommand;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.config.TargetClientFactory;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * `demo`: the copy step of the runbook on embedded servers. A MinIO-like source is seeded with the kinds of objects
 * real archives hold; the first pass copies them to an OSS-like target, the second finds nothing to do.
 */
public final class DemoCommand {
    static final String SOURCE_BUCKET = "archive-temp";
    static final String TARGET_BUCKET = "oss-temp";

    private DemoCommand() {
    }

    /**
     * The demo's servers are not in lib/: the build puts them in demo-lib/ beside the jar, which its manifest names (an
     * installed tool carries neither). Without them, say where they are made rather than fail on a missing class.
     */
    static void requireServers() {
        try {
            Class.forName("org.gaul.s3proxy.S3Proxy", false, DemoCommand.class.getClassLoader());
            Class.forName("org.apache.zookeeper.server.ServerCnxnFactory", false, DemoCommand.class.getClassLoader());
            Class.forName("com.codahale.metrics.Counter", false, DemoCommand.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new SettingsException(Messages.text("cli.demo.servers-missing", demoLib()));
        }
    }

    /** Where the build puts the demo's servers: demo-lib/ beside the jar this class came from. */
    private static Path demoLib() {
        try {
            Path jar = Path.of(DemoCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.toAbsolutePath().getParent().resolve("demo-lib");
        } catch (Exception | Error e) {
            return Path.of("demo-lib");
        }
    }

    public static int run(Settings base, PrintStream out) throws Exception {
        return run(base, out, false);
    }

    /** @param logBeside the command line's demo: its log file goes into the reports' folder, not ./logs */
    public static int run(Settings base, PrintStream out, boolean logBeside) throws Exception {
        requireServers();
        SecureRandom random = new SecureRandom();
        try (EmbeddedS3Server source = EmbeddedS3Server.start("minio-demo", secret(random));
                EmbeddedS3Server target = EmbeddedS3Server.start("oss-demo", secret(random))) {
            source.createBucket(SOURCE_BUCKET);
            target.createBucket(TARGET_BUCKET);
            out.println(Messages.text("cli.demo.intro", source.endpoint(), target.endpoint()));
            out.println(Messages.text("cli.demo.step-1"));
            try (S3Client application = clientFor(source)) {
                int seeded = seed(application);
                out.println(Messages.text("cli.demo.seeded", SOURCE_BUCKET, seeded));
            }
            Path reports = Files.createTempDirectory("minio-migrator-demo-reports");
            if (logBeside) {
                logBeside(reports);
            }
            Map<String, String> values = new LinkedHashMap<>(base.all());
            values.put("migration.source.endpoint", source.endpoint());
            values.put("migration.source.access-key", source.accessKey());
            values.put("migration.source.secret-key", source.secretKey());
            values.put("migration.target.provider", "oss");
            // S3Proxy on 127.0.0.1 cannot serve bucket.host names: the real OSS endpoint takes the provider's default
            values.put("migration.target.path-style", "true");
            values.put("migration.target.endpoint", target.endpoint());
            values.put("migration.target.region", "us-east-1");
            values.put("migration.target.access-key", target.accessKey());
            values.put("migration.target.secret-key", target.secretKey());
            values.put("migration.buckets", SOURCE_BUCKET + ":" + TARGET_BUCKET);
            values.put("migration.report.dir", reports.toString());
            values.put("migration.state.dir", reports.resolve("state").toString());
            // the sync's HTTP server (health, metrics, webhook) on a free port: 8080 may be taken on this machine
            values.put("migration.http.port", String.valueOf(FreePort.next()));
            Settings settings = new Settings(values);

            out.println();
            out.println(Messages.text("cli.demo.step-2"));
            int result = CopyCommand.run(settings, out);
            out.println();
            out.println(Messages.text("cli.demo.copy-again"));
            result = Math.max(result, CopyCommand.run(settings, out));
            Path zooKeeperData = Files.createTempDirectory("minio-migrator-demo-zk");
            try (DemoZooKeeper zooKeeper = DemoZooKeeper.start(zooKeeperData)) {
                values.put("migration.remove", "true");
                values.put("migration.cutover.zookeeper", zooKeeper.connectString());
                values.put("migration.cutover.quiet-period", "1s");
                zooKeeper.seedMinioSettings(source.endpoint());
                try (S3Client application = application(source); S3Client onTarget = clientFor(target)) {
                    result = Math.max(result, DemoRunbook.incrementalSync(new Settings(values), application, onTarget, out));
                }
                out.println();
                out.println(Messages.text("cli.demo.step-4"));
                result = Math.max(result, VerifyCommand.run(new Settings(values), out));
                out.println();
                out.println(Messages.text("cli.demo.step-5"));
                out.println(Messages.text("cli.demo.zookeeper-before", zooKeeper.show()));
                values.put("migration.events.mode", "off");
                values.put("migration.cutover.plan", DemoRunbook.writePlan(reports).toString());
                java.io.ByteArrayOutputStream cutoverOut = new java.io.ByteArrayOutputStream();
                java.io.PrintStream both = new java.io.PrintStream(new TeeStream(out, cutoverOut), true, StandardCharsets.UTF_8);
                result = Math.max(result, CutoverCommand.run(new Settings(values),
                        Map.of("OSS_SECRET_KEY", target.secretKey()), both));
                out.println(Messages.text("cli.demo.zookeeper-after", zooKeeper.show()));
                out.println();
                out.println(Messages.text("cli.demo.after-switch"));
                try (S3Client onTarget = clientFor(target)) {
                    out.println(DemoRunbook.applicationOnTarget(onTarget, TARGET_BUCKET));
                }
                try {
                    CopyCommand.run(new Settings(values), out);
                    result = Math.max(result, 1); // it must not run
                } catch (io.github.miniomigrator.config.SettingsException refused) {
                    out.println(refused.getMessage());
                }
                out.println();
                out.println(Messages.text("cli.demo.rollback"));
                java.util.regex.Matcher backup = java.util.regex.Pattern.compile("rollback --backup (\\S+)")
                        .matcher(cutoverOut.toString(StandardCharsets.UTF_8));
                if (backup.find()) {
                    result = Math.max(result, RollbackCommand.run(new Settings(values), java.nio.file.Path.of(backup.group(1)), false, Map.of(), out));
                    out.println(Messages.text("cli.demo.zookeeper-after-rollback", zooKeeper.show()));
                } else {
                    result = Math.max(result, 1);
                }
                out.println();
                out.println(Messages.text("cli.demo.cutover-again"));
                result = Math.max(result, CutoverCommand.run(new Settings(values), Map.of("OSS_SECRET_KEY", target.secretKey()), out));
                out.println(Messages.text("cli.demo.zookeeper-after", zooKeeper.show()));
            }
            deleteTree(zooKeeperData);
            deleteTree(reports.resolve("state"));
            out.println();
            out.println(Messages.text("cli.demo.reports", reports.toAbsolutePath()));
            out.println(result == 0 ? Messages.text("cli.demo.finished") : Messages.text("cli.demo.failed"));
            return result;
        }
    }

    /** The demo's own temporary files: nothing of it is left behind but its reports. */
    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * The demo's log file goes with its reports: started from any folder it leaves no ./logs behind (./logs, or
     * MIGRATOR_LOG_DIR, is for the real commands).
     */
    public static void logBeside(Path reports) {
        System.setProperty("migrator.log.dir", reports.resolve("logs").toString());
        ((org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false)).reconfigure();
        // the first configuration made the usual folder already (empty: nothing was logged yet); an empty one goes again
        String usual = System.getenv().getOrDefault("MIGRATOR_LOG_DIR", "logs");
        try {
            Files.deleteIfExists(Path.of(usual.isEmpty() ? "logs" : usual));
        } catch (java.io.IOException e) {
            // not empty (an earlier run's log, or the user's files): left as it is
        }
    }

    private static S3Client application(EmbeddedS3Server source) {
        return clientFor(source);
    }

    /** Writes to two streams: the console and a buffer the demo reads the backup path from. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws java.io.IOException {
            a.write(buffer, offset, length);
            b.write(buffer, offset, length);
        }
    }

    static int seed(S3Client s3) {
        Map<String, String> metadata = Map.of("owner", "finance", "scan_id", "A-1024");
        int count = 0;
        String[] names = {"发票/2024/发票（一）.pdf", "发票/2024/发票（二）.pdf", "scans/2024/01/scan 0001.tif",
            "scans/2024/01/scan+0002.tif", "contracts/合同 2023 最终版.docx", "reports/100%/summary?.txt", "a&b#c.txt",
            "folder-marker/", "deep/a/b/c/d/e/f/g/h/i/j/file.txt", "emoji/📄.txt"};
        Random data = new Random(42);
        for (String name : names) {
            byte[] body = new byte[1024 + data.nextInt(64 * 1024)];
            data.nextBytes(body);
            String type = name.endsWith(".pdf") ? "application/pdf" : name.endsWith(".txt") ? "text/plain" : null;
            s3.putObject(b -> b.bucket(SOURCE_BUCKET).key(name).contentType(type).metadata(metadata), RequestBody.fromBytes(body));
            count++;
        }
        s3.putObject(b -> b.bucket(SOURCE_BUCKET).key("empty.txt"), RequestBody.empty());
        count++;
        for (int i = 0; i < 40; i++) {
            String name = String.format("archive/2023/%02d/invoice-%04d.json", i % 12 + 1, i);
            s3.putObject(b -> b.bucket(SOURCE_BUCKET).key(name).contentType("application/json"),
                    RequestBody.fromString("{\"invoice\":" + name.hashCode() + "}", StandardCharsets.UTF_8));
            count++;
        }
        byte[] large = new byte[24 << 20];
        data.nextBytes(large);
        s3.putObject(b -> b.bucket(SOURCE_BUCKET).key("archive/large/backup-2023.tar").contentType("application/x-tar"),
                RequestBody.fromBytes(large));
        return count + 1;
    }

    /** A plain S3 client for an embedded server: the application that writes to MinIO, in the demo and the tests. */
    public static S3Client clientFor(EmbeddedS3Server server) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("migration.target.provider", "generic");
        values.put("migration.target.endpoint", server.endpoint());
        values.put("migration.target.access-key", server.accessKey());
        values.put("migration.target.secret-key", server.secretKey());
        if (server.caCertificate() != null) {
            values.put("migration.target.ca-cert", server.caCertificate().toString());
        }
        return TargetClientFactory.create(new Settings(values));
    }

    private static String secret(SecureRandom random) {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
