package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.events.ChangeQueue;
import io.github.miniomigrator.events.EventIntake;
import io.github.miniomigrator.events.ListenStreams;
import io.github.miniomigrator.events.Receipts;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.SyncWorkers;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.report.CopyReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `run`: event capture first, then a full pass, then every event applied until stopped; a catch-up pass after any gap
 * (a reconnect, a queue overflow) and on migration.reconcile.interval. Stops cleanly on SIGTERM.
 */
public final class RunCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    private static final Duration STATUS_EVERY = Duration.ofSeconds(30);
    /** After a catch-up pass with errors, events still wait on it (kafka mode): the next one starts this long after. */
    private static final Duration PASS_AGAIN_AFTER = Duration.ofMinutes(1);

    private final Settings settings;
    private final PrintStream out;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean catchUpWanted = new AtomicBoolean();
    private volatile SyncStatus status;
    /** What this run's passes could not copy (kept by PassSummary, so bounded): a cutover refuses with them. */
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CopyPass currentPass;

    private final Map<String, String> environment;

    public RunCommand(Settings settings, PrintStream out) {
        this(settings, Map.of(), out);
    }

    public RunCommand(Settings settings, Map<String, String> environment, PrintStream out) {
        this.settings = settings;
        this.environment = environment;
        this.out = out;
    }

    public static int run(Settings settings, Map<String, String> environment, PrintStream out) throws Exception {
        RunCommand command = new RunCommand(settings, environment, out);
        Thread hook = new Thread(() -> {
            command.stop();
            command.awaitStopped(Duration.ofSeconds(60));
        }, "sigterm");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return command.execute();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    /** Asks a running `run` to finish: the syncs under way complete, nothing new starts. */
    public void stop() {
        stop.countDown();
        CopyPass pass = currentPass;
        if (pass != null) {
            pass.cancel();
        }
    }

    public void awaitStopped(Duration timeout) {
        try {
            stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The live status (null before the run starts), for tests and the cutover. */
    public SyncStatus status() {
        return status;
    }

    public int execute() throws Exception {
        try {
            return loop();
        } finally {
            unmanage();
            stopped.countDown();
        }
    }

    private int loop() throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        String mode = Preflight.checkEventSettings(settings);
        Duration reconcile = settings.duration(Setting.RECONCILE_INTERVAL);
        SecretMask mask = new SecretMask(settings.secretValues());
        status = new SyncStatus(settings.duration(Setting.QUIET_PERIOD));
        ChangeQueue queue = new ChangeQueue((int) settings.number(Setting.EVENTS_QUEUE, 1, 10_000_000), status);
        EventIntake intake = new EventIntake(mappings, queue, status);
        CutoverInRun cutover = new CutoverInRun(settings, environment, out, status);
        HeldPartitions partitions = mode.equals("kafka") ? new HeldPartitions() : null;
        try (MigrationRuntime runtime = MigrationRuntime.start(settings, new MigrationRuntime.Events(status, intake, cutover, partitions))) {
            Preflight.checkBuckets(runtime, mappings, out);
            manage(status);
            try (ListenStreams listen = new ListenStreams(runtime.sourceStore(), intake, () -> catchUpWanted.set(true))) {
                // 1. capture first, so nothing written during the full listing is missed
                startCapture(runtime, mode, listen, mappings);
                if (partitions != null) {
                    status.attach(queue, partitions::member, partitions::lag);
                } else {
                    status.attach(queue, mode.equals("listen") ? listen::connected : () -> true);
                }
                out.println("Capturing events (" + mode + (settings.get(Setting.EVENTS_URI).isEmpty() ? "" : " and migration.events.uri")
                        + "); starting the full pass.");
                // 2. the full pass; events wait in the queue meanwhile
                int result = pass(runtime, queue, mappings, mask, "full");
                if (stop.getCount() == 0) {
                    out.println("Stopped during the full pass; a restart runs it again.");
                    return 1;
                }
                status.fullPassDone();
                // 3. apply events until stopped
                try (SyncWorkers workers = new SyncWorkers(queue, runtime.producer())) {
                    workers.start((int) settings.number(Setting.CONCURRENCY, 1, 1024));
                    out.println("Full pass done; syncing events until stopped (SIGTERM or Ctrl-C).");
                    out.flush();
                    long lastStatus = System.nanoTime();
                    long lastReconcile = System.nanoTime();
                    while (!stop.await(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        boolean overflow = queue.takeOverflow();
                        long sinceLast = System.nanoTime() - lastReconcile;
                        boolean due = !reconcile.isZero() && sinceLast >= reconcile.toNanos();
                        boolean again = queue.awaitsPass() && sinceLast >= PASS_AGAIN_AFTER.toNanos();
                        if (overflow || catchUpWanted.getAndSet(false) || due || again) {
                            LOG.info("catch-up pass: {}", overflow ? "the event queue overflowed" : due ? "reconcile interval"
                                    : again ? "events wait on the last catch-up pass, which had errors" : "after a gap in events");
                            status.catchUpPassRun();
                            result = Math.max(result, pass(runtime, queue, mappings, mask, "catch-up"));
                            lastReconcile = System.nanoTime();
                        }
                        if (System.nanoTime() - lastStatus >= STATUS_EVERY.toNanos()) {
                            LOG.info(partitions == null ? status.line() : status.line() + "; kafka: " + partitions.describe());
                            lastStatus = System.nanoTime();
                        }
                    }
                    out.println("Stopping: letting the syncs under way finish.");
                }
                out.println("Stopped. " + status.line());
                return result;
            }
        }
    }

    private void startCapture(MigrationRuntime runtime, String mode, ListenStreams listen, List<BucketMapping> mappings) throws Exception {
        if (mode.equals("webhook")) {
            runtime.context().getRouteController().startRoute("receive-webhook");
        } else if (mode.equals("listen")) {
            listen.start(mappings.stream().map(BucketMapping::sourceBucket).distinct().toList(), 30);
        } else if (mode.equals("kafka")) {
            // Kafka keeps the events: whatever the group has not committed is read, nothing to wait for here
            runtime.context().getRouteController().startRoute("receive-kafka-events");
        }
        if (!settings.get(Setting.EVENTS_URI).isEmpty()) {
            runtime.context().getRouteController().startRoute("receive-events");
        }
    }

    /** A pass covers the events whose keys the queue let go before it started: they converge if it ends cleanly. */
    private int pass(MigrationRuntime runtime, ChangeQueue queue, List<BucketMapping> mappings, SecretMask mask, String kind) throws Exception {
        Receipts covered = queue.passStarts();
        boolean clean = false;
        CopyReport report;
        try {
            report = CopyCommand.copyAll(runtime, mappings, out, started -> {
                currentPass = started;
                if (stop.getCount() == 0) {
                    started.cancel();
                }
            });
            clean = report.ok() && stop.getCount() > 0;
        } finally {
            queue.passEnded(covered, clean);
        }
        report.print(out, mask);
        Path file = report.write(Path.of(settings.get(Setting.REPORT_DIR)), mask);
        LOG.info("{} pass {}: report {}", kind, report.ok() ? "ok" : "FAILED", file.toAbsolutePath());
        report.mappings().forEach(summary -> {
            summary.failures().stream().limit(Math.max(0, 1000 - failures.size())).forEach(failures::add);
            if (summary.passError() != null && failures.size() < 1000) {
                failures.add(summary.sourceBucket() + ": " + summary.passError());
            }
        });
        return report.ok() ? 0 : 1;
    }

    /** The failures of this run's passes so far: key and reason each. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    static final String MBEAN_NAME = "minio-migrator:type=SyncStatus";

    /** The lag as a JMX MBean beside Camel's own (routes, which jconsole can also stop and start). */
    private static void manage(SyncStatus status) {
        try {
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName name = new javax.management.ObjectName(MBEAN_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(status, name);
        } catch (Exception e) {
            LOG.warn("the sync status is not shown over JMX: {}", e.getMessage());
        }
    }

    private static void unmanage() {
        try {
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName name = new javax.management.ObjectName(MBEAN_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (Exception e) {
            LOG.debug("unregistering the sync status: {}", e.getMessage());
        }
    }
}
