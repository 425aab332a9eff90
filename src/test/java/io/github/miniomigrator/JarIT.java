package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.PartGate;
import io.github.miniomigrator.support.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The packaged jar, as a user runs it: a 300 MiB object through a 128 MiB heap (its parts going up in parallel), and no
 * secret in anything it prints or writes.
 */
@Tag("process")
class JarIT {
    static final long SIZE = 300L << 20;

    @TempDir
    Path data;

    @Test
    void copiesA300MiBObjectWithA128MiBHeapAndNeverShowsASecret() throws Exception {
        try (TestStores stores = new TestStores(false, data)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            stores.sourceClient.putObject(b -> b.bucket("src").key("huge/backup.tar"),
                    RequestBody.fromContentProvider(() -> new PatternStream(SIZE), SIZE, "application/x-tar"));
            TestStores.put(stores.sourceClient, "src", "small.txt", "hello".getBytes());

            // parts in parallel within the same heap: two parts of the object at the server's door at once (issue 21)
            PartGate gate = new PartGate("/dst/huge/backup.tar", 2, part -> FaultyProxy.Fault.PASS, Duration.ofSeconds(60));
            String output;
            try (FaultyProxy target = gate.install(RemoveIT.portOf(stores.target.endpoint()))) {
                Process run = jar(stores, "-Xmx128m", stores.arguments("src:dst", "migration.concurrency=4", "migration.progress.interval=500ms",
                        "migration.target.endpoint=" + target.endpoint()));
                output = output(run, 600);
                assertEquals(0, run.exitValue(), output);
            }
            assertTrue(gate.metTogether(), "parts of the 300 MiB object were in flight together: at most " + gate.peak());
            assertTrue(java.util.regex.Pattern.compile("src -> dst: \\d+ source objects listed").matcher(output).find(),
                    "a progress line while the copy runs: " + output);
            assertEquals(TestStores.md5(stores.sourceClient, "src", "huge/backup.tar"), TestStores.md5(stores.targetClient, "dst", "huge/backup.tar"));
            assertNoSecret(output, stores);

            // failures print their reasons, never the secret; a secret given on the command line is masked too
            List<String> wrongSecret = stores.arguments("src:dst", "migration.target.secret-key=" + TestStores.TARGET_SECRET + "-wrong");
            Process refused = jar(stores, "-Xmx128m", wrongSecret);
            String refusal = output(refused, 120);
            assertEquals(2, refused.exitValue(), refusal);
            assertTrue(refusal.contains("target bucket 'dst' cannot be written: HTTP 403"), refusal);
            assertNoSecret(refusal, stores);
        }
    }

    /**
     * The launcher README tells users to run, on the JVM JAVA_HOME names (this test's, Java 17): the first run writes the
     * class archive as it exits, the next one starts from it; both copy, and neither prints a secret or a JVM warning.
     */
    @Test
    void theLauncherWritesItsClassArchiveOnceAndStartsFromItAfter() throws Exception {
        Map<String, String> environment = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home")));
        String extension = Runtime.version().feature() >= 25 ? ".aot" : ".jsa";
        launcherWritesOnceAndStartsFromIt(environment, extension);
    }

    /**
     * Without JAVA_HOME the launcher takes a JDK of release 25 or later installed under /usr/lib/jvm over an older java
     * on PATH (Temurin 25 beside Debian's 17 here), and writes an AOT cache, which the next run must start from; on a
     * machine without one, java on PATH and its class archive.
     */
    @Test
    void withoutJavaHomeTheLauncherTakesJava25WhereInstalledAndItsAotCache() throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("JAVA_HOME", "");
        launcherWritesOnceAndStartsFromIt(environment, newestJdkUnderUsrLibJvm() >= 25 ? ".aot" : ".jsa");
    }

    private void launcherWritesOnceAndStartsFromIt(Map<String, String> environment, String extension) throws Exception {
        Path launcher = Path.of("target", "minio-migrator");
        assertTrue(Files.isExecutable(launcher), "run after 'mvn package': " + launcher.toAbsolutePath());
        Path archives = Files.createTempDirectory(data, "archives");
        environment.put("MIGRATOR_CDS_DIR", archives.toString());
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int round = 0; round < 2; round++) {
                TestStores.put(stores.sourceClient, "src", "round-" + round + ".txt", ("round " + round).getBytes());
                Map<String, String> withOptions = new HashMap<>(environment);
                // the second run must start from the archive: -Xshare:on (-XX:AOTMode=on) refuses to start without it
                String required = extension.equals(".aot") ? "-XX:AOTMode=on" : "-Xshare:on";
                withOptions.put("JAVA_OPTS", round == 0 ? "-Xmx256m" : "-Xmx256m " + required);
                Process copy = launch(stores, List.of(launcher.toString()), withOptions, "copy", stores.arguments("src:dst"));
                String output = output(copy, 180);
                assertEquals(0, copy.exitValue(), output);
                assertFalse(output.contains("warning"), output);
                assertFalse(output.contains("AOT"), "the JVM's own lines about its cache stay out of the output: " + output);
                assertNoSecret(output, stores);
                try (Stream<Path> files = Files.list(archives)) {
                    List<Path> all = files.toList();
                    assertEquals(1, all.size(), "one archive, written by the first run: " + all);
                    assertTrue(all.get(0).toString().endsWith(extension), all.toString());
                }
            }
            assertEquals(TestStores.contents(stores.sourceClient, "src", ""), TestStores.contents(stores.targetClient, "dst", ""));
        }
    }

    /** The newest JDK release under /usr/lib/jvm, read from the release files as the launcher reads them (0: none). */
    private static int newestJdkUnderUsrLibJvm() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return 0;
        }
        int newest = 0;
        try (Stream<Path> homes = Files.list(jvms)) {
            for (Path home : homes.toList()) {
                Path release = home.resolve("release");
                if (Files.isExecutable(home.resolve("bin/java")) && Files.isReadable(release)) {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
                    if (m.find()) {
                        newest = Math.max(newest, Integer.parseInt(m.group(1)));
                    }
                }
            }
        }
        return newest;
    }

    @Test
    void sigtermDuringACopyLeavesNoPartialObject() throws Exception {
        try (TestStores stores = new TestStores(false, data)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            long size = 160L << 20;
            stores.sourceClient.putObject(b -> b.bucket("src").key("big.bin"),
                    RequestBody.fromContentProvider(() -> new PatternStream(size), size, "application/octet-stream"));
            // parts of 5 MiB from 16 MiB up, so the copy is a multipart upload under way when the signal comes
            Process run = start(stores, "-Xmx128m", "run", stores.arguments("src:dst", "migration.events.mode=off",
                    "migration.multipart.threshold=16MiB", "migration.multipart.part-size=5MiB"));
            io.github.miniomigrator.support.Wait.until("the multipart upload has started", java.time.Duration.ofSeconds(60),
                    () -> TestStores.keys(stores.targetClient, "dst").stream().anyMatch(k -> k.startsWith(".mpus-") && k.contains("big.bin")));
            run.destroy(); // SIGTERM
            String output = output(run, 120);
            assertTrue(output.contains("Stopped during the full pass") || output.contains("Stopped."), output);
            List<String> keys = TestStores.keys(stores.targetClient, "dst");
            assertTrue(keys.stream().noneMatch(k -> k.startsWith(".mpus-")), "the unfinished upload was completed or aborted: " + keys);
            if (keys.contains("big.bin")) {
                assertEquals(TestStores.md5(stores.sourceClient, "src", "big.bin"), TestStores.md5(stores.targetClient, "dst", "big.bin"));
            }
            assertNoSecret(output, stores);
        }
    }

    /** kill -9 of `run` while it applies events, changes while it is down, a restart: every change arrives. */
    @Test
    void aRunKilledWhileApplyingEventsMissesNothingAfterARestart() throws Exception {
        String token = "webhook-token-0123456789abcdef";
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 20; i++) {
                TestStores.put(stores.sourceClient, "src", "scan/" + i + ".tif", ("scan " + i).getBytes());
            }
            int port = EventsIT.freePort();
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + token, "migration.remove=true");
            Process run = start(stores, "-Xmx256m", "run", args);
            io.github.miniomigrator.support.Wait.until("the full pass is done", java.time.Duration.ofSeconds(90),
                    () -> TestStores.keys(stores.targetClient, "dst").size() == 20);
            for (int i = 0; i < 50; i++) {
                String key = "new/" + i + ".tif";
                TestStores.put(stores.sourceClient, "src", key, ("written while run syncs " + i).getBytes());
                try {
                    io.github.miniomigrator.support.MinioEvents.post(port, token,
                            io.github.miniomigrator.support.MinioEvents.webhook("s3:ObjectCreated:Put", "src", key));
                } catch (IOException e) {
                    break; // the webhook may still be starting; the restart's full pass is what must catch everything
                }
                if (i == 25) {
                    run.destroyForcibly(); // SIGKILL while events are being applied
                }
            }
            assertTrue(run.waitFor(30, TimeUnit.SECONDS));
            // while it is down: more writes, a delete, an overwrite
            TestStores.put(stores.sourceClient, "src", "down/while-down.tif", "nobody told the tool".getBytes());
            stores.sourceClient.deleteObject(b -> b.bucket("src").key("scan/3.tif"));
            TestStores.put(stores.sourceClient, "src", "scan/4.tif", "changed while down".getBytes());

            Process restarted = start(stores, "-Xmx256m", "run", args);
            try {
                io.github.miniomigrator.support.Wait.until("the target equals the source", java.time.Duration.ofSeconds(120),
                        () -> stores.converged("src", "dst"));
            } finally {
                restarted.destroy();
                String output = output(restarted, 60);
                assertNoSecret(output, stores);
            }
        }
    }

    @Test
    void theDemoRunsTheWholeRunbookAsReadmeSays() throws Exception {
        Path jar = Path.of("target", "minio-migrator.jar").toAbsolutePath();
        Path log = Files.createTempFile("demo-", ".log");
        Path folder = Files.createTempDirectory("demo-folder"); // started where the user is: it leaves nothing there
        ProcessBuilder demoBuilder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "demo").directory(folder.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        demoBuilder.environment().put("MIGRATION_LANGUAGE", "en"); // English lines asserted, whatever the machine's locale
        Process demo = demoBuilder.start();
        assertTrue(demo.waitFor(300, TimeUnit.SECONDS), "the demo finished in time");
        String output = Files.readString(log);
        assertEquals(0, demo.exitValue(), output);
        assertTrue(output.contains("Demo finished: copy, sync, verify, cutover, smoke test, the refusal after the switch, rollback "
                + "(the application's writes on the target brought to MinIO) and cutover again all passed."), output);
        assertTrue(output.contains("copy refused: the application writes to the target since the cutover at "), output);
        assertTrue(output.contains("MinIO is level with the target: 3 object(s) written, 1 rewritten and 1 deleted"), output);
        assertTrue(output.contains("ZooKeeper after: storeType=4") && output.contains("ZooKeeper after rollback: storeType=2"), output);
        assertTrue(!output.contains("minio-secret-of-the-app"), "the application's old secret is masked");
        // issue 22: the story of step 3 told, the pages named, no warning, nothing left but the reports
        assertTrue(output.contains("The application wrote 5 new invoices (发票/2025/) and deleted a&b#c.txt on MinIO")
                && output.contains("The tool applied them to oss-temp: 5 of the 5 new invoices are there, a&b#c.txt is gone."), output);
        assertTrue(output.contains("Full pass done; syncing events until the demo stops it"), output);
        assertTrue(!output.contains("(SIGTERM or Ctrl-C)"), "nothing reads as an instruction to the user: " + output);
        assertTrue(output.lines().anyMatch(line -> line.startsWith("Page: ") && line.endsWith(".html")
                && Files.isRegularFile(Path.of(line.substring("Page: ".length())))), output);
        assertTrue(output.lines().noneMatch(line -> line.contains(" WARN ")), output);
        try (java.util.stream.Stream<Path> left = Files.list(folder)) {
            assertEquals(List.of(), left.toList(), "the demo left nothing (no ./logs) where it was started");
        }
        String reportsLine = output.lines().filter(line -> line.startsWith("The reports of this demo")).findFirst().orElseThrow();
        Path reports = Path.of(reportsLine.substring(reportsLine.lastIndexOf(' ') + 1));
        assertTrue(Files.isRegularFile(reports.resolve("logs").resolve("minio-migrator.log")), "its log goes with its reports");
        assertTrue(!Files.exists(reports.resolve("state")), "its state folder is removed");
    }

    /**
     * A `run` whose cutover (its route, started over JMX as an operator would) is killed with kill -9 right after the
     * ZooKeeper write — its start command kills it — comes back as the fallback sync and never writes forward: the
     * application's new, rewritten and deleted objects on the target reach MinIO, and the target stays as it left it.
     */
    @Test
    void aRunKilledRightAfterItsCutoverWroteZooKeeperComesBackKeepingMinioLevel() throws Exception {
        try (TestStores stores = new TestStores(false); org.apache.curator.test.TestingServer zooKeeper = new org.apache.curator.test.TestingServer(true)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 10; i++) {
                TestStores.put(stores.sourceClient, "src", "scan/" + i + ".tif", ("scan " + i).getBytes());
            }
            Path plan = stores.work().resolve("plan.txt");
            Files.writeString(plan, "/api-archive/pri=storeType=4\n");
            List<String> args = stores.arguments("src:dst", "migration.events.mode=off", "migration.remove=true",
                    "migration.cutover.zookeeper=" + zooKeeper.getConnectString(), "migration.cutover.quiet-period=0s",
                    "migration.cutover.plan=" + plan, "migration.cutover.smoke-test=false", "migration.fallback.interval=1s");
            List<String> killed = new ArrayList<>(args);
            killed.add("migration.cutover.start-command=kill -9 $PPID"); // runs right after the transaction and its read-back
            int jmxPort = EventsIT.freePort();
            Path jar = Path.of("target", "minio-migrator.jar");
            Process run = launch(stores, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                    "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false", "-jar", jar.toString()),
                    Map.of(), "run", killed);
            io.github.miniomigrator.support.Wait.until("the full pass is done", java.time.Duration.ofSeconds(90),
                    () -> TestStores.keys(stores.targetClient, "dst").size() == 10);
            javax.management.remote.JMXServiceURL url = new javax.management.remote.JMXServiceURL(
                    "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            try (javax.management.remote.JMXConnector jmx = javax.management.remote.JMXConnectorFactory.connect(url)) {
                javax.management.MBeanServerConnection server = jmx.getMBeanServerConnection();
                javax.management.ObjectName route = server.queryNames(new javax.management.ObjectName("org.apache.camel:type=routes,*"), null)
                        .stream().filter(n -> n.getKeyProperty("name").equals("\"cutover\"")).findFirst().orElseThrow();
                server.invoke(route, "start", null, null);
            } catch (java.io.IOException e) {
                // the JVM may die under the call: the kill is the point
            }
            assertTrue(run.waitFor(120, TimeUnit.SECONDS), "the run was killed after its cutover");
            String before = output(run, 5);
            assertEquals(137, run.exitValue(), before);
            assertTrue(before.contains("Recorded: the application writes to dst from now on"), before);
            // the application, on the target now: a new scan, a rewrite, a delete
            TestStores.put(stores.targetClient, "dst", "scan/new.tif", "after the switch".getBytes());
            TestStores.put(stores.targetClient, "dst", "scan/1.tif", "rewritten".getBytes());
            stores.targetClient.deleteObject(b -> b.bucket("dst").key("scan/2.tif"));
            Map<String, String> onTarget = TestStores.contents(stores.targetClient, "dst", "");

            Process restarted = start(stores, "-Xmx256m", "run", args);
            try {
                io.github.miniomigrator.support.Wait.until("MinIO holds what the application left on the target", java.time.Duration.ofSeconds(120),
                        () -> {
                            try {
                                return TestStores.contents(stores.sourceClient, "src", "").equals(onTarget);
                            } catch (Exception e) {
                                return false;
                            }
                        });
                assertEquals(onTarget, TestStores.contents(stores.targetClient, "dst", ""), "no forward write after the switch");
            } finally {
                restarted.destroy();
                String output = output(restarted, 60);
                assertTrue(output.contains("this run keeps MinIO level with it, a fallback pass every 1s"), output);
                assertNoSecret(output, stores);
            }
        }
    }

    @Test
    void monitorRecordsTheTargetUntilStopped() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            TestStores.put(stores.targetClient, "dst", "a.txt", "12345".getBytes());
            Process monitor = start(stores, "-Xmx128m", "monitor", stores.arguments("src:dst", "migration.monitor.interval=1s"));
            Path log = stores.work().resolve("reports").resolve("monitor.jsonl");
            io.github.miniomigrator.support.Wait.until("two monitor records", java.time.Duration.ofSeconds(60),
                    () -> Files.exists(log) && readLines(log).size() >= 2);
            TestStores.put(stores.targetClient, "dst", "b.txt", "1234567".getBytes());
            io.github.miniomigrator.support.Wait.until("the new object is counted", java.time.Duration.ofSeconds(60),
                    () -> readLines(log).stream().anyMatch(l -> l.contains("\"objects\":2,\"bytes\":12")));
            monitor.destroy();
            String output = output(monitor, 60);
            assertTrue(readLines(log).get(0).contains("\"target\":\"dst\",\"objects\":1,\"bytes\":5"), readLines(log).toString());
            assertNoSecret(output, stores);
        }
    }

    /**
     * kill -9 mid multipart uploads: the next start aborts what the journal recorded, and the next copy ends equal.
     * The target is S3Proxy's filesystem-nio2 store, which lists unfinished uploads (the in-memory one lists none).
     */
    @Test
    void aKillMinus9LeavesNoUnfinishedUploadAfterTheNextStart() throws Exception {
        Path targetDir = Files.createDirectories(data.resolve("target"));
        try (TestStores stores = new TestStores(
                io.github.miniomigrator.demo.EmbeddedS3Server.startNio2("source-access", TestStores.SOURCE_SECRET,
                        Files.createDirectories(data.resolve("source"))),
                io.github.miniomigrator.demo.EmbeddedS3Server.startNio2("target-access", TestStores.TARGET_SECRET, targetDir))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 4; i++) {
                long size = (24L << 20) + i;
                stores.sourceClient.putObject(b -> b.bucket("src").key("big" + size), RequestBody.fromContentProvider(
                        () -> new PatternStream(size), size, "application/octet-stream"));
            }
            Path journal = stores.work().resolve("state").resolve("uploads");
            Process copy = jar(stores, "-Xmx256m", stores.arguments("src:dst", "migration.multipart.threshold=6MiB",
                    "migration.multipart.part-size=5MiB", "migration.bandwidth=1M", "migration.concurrency=4"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (journalledUploads(journal) < 2 && System.nanoTime() < deadline && copy.isAlive()) {
                Thread.sleep(50);
            }
            if (journalledUploads(journal) < 2) {
                copy.destroyForcibly();
                String listing;
                try (Stream<Path> files = Files.walk(stores.work())) {
                    listing = files.map(Path::toString).collect(java.util.stream.Collectors.joining("\n"));
                }
                throw new AssertionError("no uploads under way: " + listing + "\n" + output(copy, 30));
            }
            Thread.sleep(300); // a part or so goes up
            copy.destroyForcibly(); // SIGKILL: no shutdown hook, no abort
            assertTrue(copy.waitFor(30, TimeUnit.SECONDS));
            KillNineIT.removeServerDebris(targetDir);
            int left = stores.targetClient.listMultipartUploads(b -> b.bucket("dst")).uploads().size();
            String debug;
            try (Stream<Path> files = Files.walk(data)) {
                debug = files.map(Path::toString).collect(java.util.stream.Collectors.joining("\n"));
            }
            assertTrue(left >= 2, "the kill left unfinished uploads on the target: " + left + "\n" + debug + "\n" + output(copy, 5));

            TestStores.Run again = stores.run("copy", stores.arguments("src:dst", "migration.multipart.threshold=6MiB",
                    "migration.multipart.part-size=5MiB"));
            assertEquals(0, again.exitCode(), again.all());
            assertTrue(again.out().contains("Aborted " + left + " unfinished multipart uploads"), again.out());
            assertEquals(0, stores.targetClient.listMultipartUploads(b -> b.bucket("dst")).uploads().size(), "none is left");
            assertEquals(0, journalledUploads(journal), "the journal is empty");
            assertEquals(TestStores.contents(stores.sourceClient, "src", ""), TestStores.contents(stores.targetClient, "dst", ""));
        }
    }

    /**
     * The fallback direction keeps every guarantee of the forward one: kill -9 during a fallback pass's multipart uploads
     * to MinIO, and the next fallback pass aborts what its own journal (migration.state.dir/fallback) recorded and ends with
     * MinIO equal to the target. Both stores are S3Proxy's filesystem-nio2, which lists unfinished uploads.
     */
    @Test
    void aKillMinus9DuringAFallbackPassLeavesNoUnfinishedUploadOnMinio() throws Exception {
        Path minioDir = Files.createDirectories(data.resolve("minio"));
        try (TestStores stores = new TestStores(
                io.github.miniomigrator.demo.EmbeddedS3Server.startNio2("source-access", TestStores.SOURCE_SECRET, minioDir),
                io.github.miniomigrator.demo.EmbeddedS3Server.startNio2("target-access", TestStores.TARGET_SECRET,
                        Files.createDirectories(data.resolve("oss"))));
                org.apache.curator.test.TestingServer zooKeeper = new org.apache.curator.test.TestingServer(true)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            TestStores.put(stores.sourceClient, "src", "scan/0.tif", "scan".getBytes());
            Path plan = stores.work().resolve("plan.txt");
            Files.writeString(plan, "/api-archive/pri=storeType=4\n");
            List<String> args = stores.arguments("src:dst", "migration.events.mode=off", "migration.cutover.zookeeper="
                    + zooKeeper.getConnectString(), "migration.cutover.quiet-period=0s", "migration.cutover.plan=" + plan,
                    "migration.cutover.smoke-test=false", "migration.multipart.threshold=6MiB", "migration.multipart.part-size=5MiB");
            assertEquals(0, stores.run("copy", args).exitCode());
            assertEquals(0, stores.run("cutover", args).exitCode());
            for (int i = 0; i < 4; i++) { // the application's large uploads on the target after the switch
                long size = (24L << 20) + i;
                stores.targetClient.putObject(b -> b.bucket("dst").key("big" + size), RequestBody.fromContentProvider(
                        () -> new PatternStream(size), size, "application/octet-stream"));
            }
            Path journal = stores.work().resolve("state").resolve("fallback").resolve("uploads");
            List<String> slow = new ArrayList<>(args);
            slow.addAll(List.of("migration.bandwidth=1M", "migration.concurrency=4"));
            Process fallback = start(stores, "-Xmx256m", "fallback", slow);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (journalledUploads(journal) < 2 && System.nanoTime() < deadline && fallback.isAlive()) {
                Thread.sleep(50);
            }
            if (journalledUploads(journal) < 2) {
                fallback.destroyForcibly();
                throw new AssertionError("no uploads to MinIO under way:\n" + output(fallback, 30));
            }
            Thread.sleep(300);
            fallback.destroyForcibly();
            assertTrue(fallback.waitFor(30, TimeUnit.SECONDS));
            output(fallback, 5);
            KillNineIT.removeServerDebris(minioDir);
            int left = stores.sourceClient.listMultipartUploads(b -> b.bucket("src")).uploads().size();
            assertTrue(left >= 2, "the kill left unfinished uploads on MinIO: " + left);

            TestStores.Run again = stores.run("fallback", args);
            assertEquals(0, again.exitCode(), again.all());
            assertTrue(again.out().contains("Aborted " + left + " unfinished multipart uploads"), again.out());
            assertEquals(0, stores.sourceClient.listMultipartUploads(b -> b.bucket("src")).uploads().size(), "none is left");
            assertEquals(TestStores.contents(stores.targetClient, "dst", ""), TestStores.contents(stores.sourceClient, "src", ""));
        }
    }

    private static long journalledUploads(Path journal) throws IOException {
        if (!Files.isDirectory(journal)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(journal)) {
            return files.filter(f -> f.toString().endsWith(".upload")).filter(f -> readLines(f).stream().anyMatch(l -> l.startsWith("uploadId="))).count();
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void assertNoSecret(String output, TestStores stores) throws IOException {
        assertFalse(output.contains(TestStores.SOURCE_SECRET), output);
        assertFalse(output.contains(TestStores.TARGET_SECRET), output);
        try (Stream<Path> reports = Files.walk(stores.work().resolve("reports"))) {
            for (Path report : reports.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(report);
                assertFalse(text.contains(TestStores.SOURCE_SECRET) || text.contains(TestStores.TARGET_SECRET), report.toString());
            }
        }
    }

    private static Process jar(TestStores stores, String heap, List<String> arguments) throws IOException {
        return start(stores, heap, "copy", arguments);
    }

    static Process start(TestStores stores, String heap, String commandName, List<String> arguments) throws IOException {
        Path jar = Path.of("target", "minio-migrator.jar");
        assertTrue(Files.isRegularFile(jar), "run after 'mvn package': " + jar.toAbsolutePath());
        return launch(stores, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heap, "-jar", jar.toString()),
                Map.of(), commandName, arguments);
    }

    /** Starts a command as {@code prefix} starts the tool (java -jar, or the launcher), its output to a file. */
    static Process launch(TestStores stores, List<String> prefix, Map<String, String> environment, String commandName,
            List<String> arguments) throws IOException {
        Path config = stores.work().resolve("empty.properties");
        Files.writeString(config, "");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(commandName, "--config", config.toString()));
        command.addAll(arguments);
        // output to a file: destroy() would close a pipe before the process has said its last words
        Path log = Files.createTempFile(stores.work(), "jar-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        LOGS.put(builder, log);
        builder.environment().putAll(stores.environment());
        builder.environment().put("MIGRATION_LANGUAGE", "en"); // English lines asserted, whatever the machine's locale
        builder.environment().putAll(environment);
        Process process = builder.start();
        OUTPUT.put(process, LOGS.remove(builder));
        return process;
    }

    private static final java.util.Map<ProcessBuilder, Path> LOGS = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<Process, Path> OUTPUT = new java.util.concurrent.ConcurrentHashMap<>();

    static String output(Process process, int seconds) throws Exception {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "the jar finished in time");
        // stdout and stderr share the file: a character's bytes may be split between the two, so decode leniently
        return new String(Files.readAllBytes(OUTPUT.remove(process)), StandardCharsets.UTF_8);
    }

    /** Pseudo-random bytes made on the fly, the same every time: a large body that never sits in memory. */
    static final class PatternStream extends InputStream {
        private final Random random = new Random(2024);
        private final byte[] block = new byte[1 << 16];
        private long remaining;
        private int position = block.length;

        PatternStream(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            if (position == block.length) {
                random.nextBytes(block);
                position = 0;
            }
            int n = (int) Math.min(Math.min(len, block.length - position), remaining);
            System.arraycopy(block, position, b, off, n);
            position += n;
            remaining -= n;
            return n;
        }
    }
}
