package io.github.miniomigrator.command;

import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.cluster.Leadership;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.cutover.CutoverBackup;
import io.github.miniomigrator.cutover.CutoverPlan;
import io.github.miniomigrator.cutover.CutoverRecord;
import io.github.miniomigrator.cutover.CutoverRecords;
import io.github.miniomigrator.cutover.CutoverResult;
import io.github.miniomigrator.cutover.CutoverStep;
import io.github.miniomigrator.cutover.ForwardGate;
import io.github.miniomigrator.cutover.ForwardSyncs;
import io.github.miniomigrator.cutover.PropertiesNode;
import io.github.miniomigrator.cutover.ZooKeeperSwitch;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.logging.SecretMaskingConverter;
import io.github.miniomigrator.verify.VerifyReport;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `cutover`: the runbook's steps 4 and 5 with guards. Stop the application (optional), sync until events are drained,
 * verify and refuse on any difference, back up every value it will change, write the plan to ZooKeeper in one
 * transaction and read it back, show old → new with secrets masked, start the application (optional).
 */
public final class CutoverCommand {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverCommand.class);
    public static final int EXIT_REFUSED = CutoverResult.EXIT_REFUSED;
    public static final int EXIT_FAILED = CutoverResult.EXIT_FAILED;

    private CutoverCommand() {
    }

    /** Waits until the sync is drained; returns null then, else why it is not (timed out, or its pass failed). */
    @FunctionalInterface
    interface Drain {
        String await() throws Exception;
    }

    static String stillFlowing(Settings settings) {
        return stillFlowing(settings, List.of());
    }

    /** The refusal when the drain timed out, naming what was not drained at the end (instances, each with why). */
    static String stillFlowing(Settings settings, List<String> notDrained) {
        String timeout = settings.get(Setting.CUTOVER_DRAIN_TIMEOUT);
        return notDrained.isEmpty() ? Messages.text("cli.cutover.still-flowing", timeout)
                : Messages.text("cli.cutover.still-flowing-because", timeout, String.join("; ", notDrained));
    }

    /**
     * What keeps a running sync from being drained: this instance's own status and, with several instances, every other
     * instance's published one (each applies its own events). Empty when all are drained.
     */
    static List<String> notDrained(SyncStatus status, Leadership leadership) {
        List<String> cluster = leadership.notDrained();
        String own = ownNotDrained(status);
        if (own == null || cluster.stream().anyMatch(CutoverCommand::namesThisInstance)) {
            return cluster;
        }
        List<String> all = new ArrayList<>();
        all.add(Messages.text("cli.cutover.this-instance", own));
        all.addAll(cluster);
        return all;
    }

    /** Whether a reason names this instance: the cluster's own words ("this instance (id): …") or this class's. */
    private static boolean namesThisInstance(String why) {
        return why.startsWith("this instance") || why.startsWith(Messages.text("cli.cutover.this-instance", ""));
    }

    /** Why this instance's own sync is not ready for a cutover, or null: not drained, or (alone on Kafka) not holding the whole topic. */
    private static String ownNotDrained(SyncStatus status) {
        String own = status.notDrainedBecause(null);
        return own != null ? own : status.cutoverGap();
    }

    /** Gives the runtime to verify and smoke-test with: a new one for the command, the running one inside `run`. */
    @FunctionalInterface
    interface Runtimes {
        <T> T with(java.util.function.Function<MigrationRuntime, T> work) throws Exception;
    }

    /**
     * The standalone command, through the perform-cutover route like the cutover inside `run`: it runs its own sync
     * until drained; the runtime that hosts the route does the final verify and the smoke test.
     */
    public static int run(Settings settings, Map<String, String> environment, PrintStream out) throws Exception {
        Preflight.checkSettings(settings);
        try (MigrationRuntime runtime = MigrationRuntime.startNamed(settings, "minio-migrator-cutover")) {
            Runtimes host = new Runtimes() {
                @Override
                public <T> T with(java.util.function.Function<MigrationRuntime, T> work) {
                    return work.apply(runtime);
                }
            };
            // the drain's own sync has stopped (its runtime closed) before the final verify: no forward write of this process
            // is left to shut out; the hosting runtime writes nothing but the smoke test's canary
            runtime.cutoverStep().performedBy(() -> perform(settings, environment, out, () -> drain(settings, out), host, new ForwardGate()));
            CutoverResult result = runtime.producer().requestBody(CutoverStep.ROUTE, null, CutoverResult.class);
            if (result.thrown() != null) {
                throw result.thrown();
            }
            return result.exitCode();
        }
    }

    /** Inside a running `run`, started over JMX: its live status says when it is drained; its runtime does the checks. */
    static CutoverResult performInRun(Settings settings, Map<String, String> environment, PrintStream out,
            SyncStatus status, Leadership leadership, MigrationRuntime runtime) throws Exception {
        Duration timeout = settings.duration(Setting.CUTOVER_DRAIN_TIMEOUT);
        Drain live = () -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            DrainLines lines = new DrainLines(out);
            List<String> notDrained;
            do {
                if (!leadership.leads()) {
                    return Messages.text("cli.cutover.no-longer-leads", leadership.describe());
                }
                notDrained = notDrained(status, leadership);
                if (notDrained.isEmpty()) {
                    return null;
                }
                lines.waiting(String.join("; ", notDrained));
                Thread.sleep(200);
            } while (System.nanoTime() < deadline);
            LOG.warn("not drained: {}", String.join("; ", notDrained));
            return stillFlowing(settings, notDrained);
        };
        Runtimes running = new Runtimes() {
            @Override
            public <T> T with(java.util.function.Function<MigrationRuntime, T> work) {
                return work.apply(runtime);
            }
        };
        return perform(settings, environment, out, live, running, runtime.forwardGate());
    }

    static CutoverResult perform(Settings settings, Map<String, String> environment, PrintStream out, Drain drain, Runtimes runtimes,
            ForwardGate gate) throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        String connect = settings.required(Setting.CUTOVER_ZOOKEEPER);
        String layout = CutoverPlan.layoutName(settings.get(Setting.CUTOVER_LAYOUT));
        String recordRoot = CutoverRecords.root(settings);
        CutoverPlan plan = CutoverPlan.read(Path.of(settings.required(Setting.CUTOVER_PLAN)), settings, environment);
        List<String> secrets = new ArrayList<>(settings.secretValues());
        secrets.addAll(plan.secretValues());
        SecretMask mask = new SecretMask(secrets);
        SecretMaskingConverter.register(secrets);
        Path reportDir = Path.of(settings.get(Setting.REPORT_DIR));

        try (ZooKeeperSwitch zk = new ZooKeeperSwitch(connect, settings.get(Setting.CUTOVER_AUTH))) {
            List<ZooKeeperSwitch.NodeChange> planned = zk.changes(plan, layout); // reachable and readable before anything runs
            // cut over already: the drain would be a forward sync over what the application wrote since
            java.util.Optional<CutoverRecords.Found> done = CutoverRecords.local(settings, mappings);
            if (done.isEmpty()) {
                done = CutoverRecords.inZooKeeper(zk, recordRoot, mappings);
            }
            if (done.isPresent()) {
                throw new SettingsException(done.get().refusal(Messages.text("cli.subject.cutover")));
            }
            if (!ShellStep.run(Messages.text("cli.step.stop"), settings.get(Setting.CUTOVER_STOP_COMMAND), out, mask)) {
                return said(out, EXIT_FAILED, Messages.text("cli.cutover.stop-failed"), null);
            }
            String stillStopped = settings.get(Setting.CUTOVER_STOP_COMMAND).isEmpty() ? ""
                    : settings.get(Setting.CUTOVER_START_COMMAND).isEmpty()
                            ? Messages.text("cli.cutover.stopped-start-by-hand", Setting.CUTOVER_START_COMMAND.key())
                            : Messages.text("cli.cutover.stopped-start-again");
            String notDrained;
            try {
                notDrained = drain.await();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
                return backOnMinio(said(out, EXIT_FAILED, mask.apply(Messages.text("cli.cutover.drain-failed", cause.getMessage(), stillStopped)), null),
                        settings, out, mask);
            }
            if (notDrained != null) {
                return backOnMinio(said(out, EXIT_REFUSED, mask.apply(Messages.text("cli.cutover.refused", notDrained, stillStopped)), null), settings, out, mask);
            }
            // from here no forward write lands, of this process or any registered `run`: the final verify sees the target as
            // the switch will leave it
            Duration patience = settings.duration(Setting.CUTOVER_DRAIN_TIMEOUT);
            List<String> closing = ForwardSyncs.beginClosing(zk, recordRoot, mappings);
            boolean switched = false;
            try {
                if (!gate.shut("the cutover is switching the application to the target", patience)) {
                    return backOnMinio(said(out, EXIT_REFUSED, Messages.text("cli.cutover.writes-unanswered", gate.inFlight(), settings.get(Setting.CUTOVER_DRAIN_TIMEOUT),
                            stillStopped), null), settings, out, mask);
                }
                List<String> open = ForwardSyncs.awaitShut(zk, recordRoot, mappings, patience);
                if (!open.isEmpty()) {
                    return backOnMinio(said(out, EXIT_REFUSED, Messages.text("cli.cutover.syncs-not-shut", settings.get(Setting.CUTOVER_DRAIN_TIMEOUT), String.join(", ", open),
                            stillStopped), null), settings, out, mask);
                }
                VerifyReport verify = runtimes.with(runtime -> VerifyCommand.verifyAll(runtime, mappings, reportDir, out));
                verify.print(out, mask);
                if (verify.exitCode() != 0) {
                    return backOnMinio(said(out, EXIT_REFUSED, Messages.text("cli.cutover.verify-refused", verify.resultWords(), stillStopped), null), settings, out, mask);
                }
                try {
                    planned = zk.changes(plan, layout); // read again: versions as of now, for the transaction's checks
                } catch (org.apache.zookeeper.KeeperException.ConnectionLossException | org.apache.zookeeper.KeeperException.SessionExpiredException
                        | org.apache.zookeeper.KeeperException.OperationTimeoutException e) {
                    return backOnMinio(said(out, EXIT_FAILED, mask.apply(Messages.text("cli.cutover.zk-lost-before", connect, e.getMessage(), stillStopped)), null), settings, out, mask);
                }
                Path backup = reportDir.resolve("cutover-backup-" + io.github.miniomigrator.report.ReportFiles.stamp(Instant.now()) + ".json");
                CutoverRecord record = new CutoverRecord(Instant.now().toString(), mappings, backup.toAbsolutePath().toString(),
                        Path.of(settings.get(Setting.CUTOVER_PLAN)).toAbsolutePath().toString(), hostName(), null);
                List<ZooKeeperSwitch.RecordNode> recordNodes = CutoverRecords.nodes(recordRoot, record);
                List<String> recordPaths = recordNodes.stream().map(ZooKeeperSwitch.RecordNode::node).toList();
                CutoverBackup.of(connect, layout, planned, List.of(), recordPaths, mappings).write(backup);
                ZooKeeperSwitch.Applied applied;
                try {
                    applied = zk.apply(planned, recordNodes, closing);
                } catch (ZooKeeperSwitch.NotAppliedException e) {
                    return backOnMinio(said(out, EXIT_FAILED, mask.apply(Messages.text("cli.cutover.zk-lost-not-applied", connect, e.getMessage(),
                            stillStopped.isEmpty() ? Messages.text("cli.cutover.run-again") : stillStopped)), null), settings, out, mask);
                } catch (ZooKeeperSwitch.OutcomeUnknownException e) {
                    switched = true; // unknown: forward writes stay refused in this process, as after a switch
                    return said(out, EXIT_FAILED, mask.apply(Messages.text("cli.cutover.zk-lost-unknown", connect, e.getMessage(), backup.toAbsolutePath())),
                            backup);
                } catch (Exception e) {
                    return backOnMinio(said(out, EXIT_FAILED, mask.apply(Messages.text("cli.cutover.zk-refused", e.getMessage(), stillStopped)), null),
                            settings, out, mask);
                }
                switched = true;
                if (applied.connectionLost() != null) {
                    out.println(mask.apply(Messages.text("cli.cutover.zk-lost-applied", connect, applied.connectionLost())));
                }
                CutoverBackup.of(connect, layout, planned, applied.created(), recordPaths, mappings).write(backup);
                recordLocally(settings, record, out);
                zk.checkReadBack(planned, true);
                out.println(Messages.text("cli.cutover.backup", backup.toAbsolutePath()));
                printChanges(plan, layout, planned, out, mask);
                out.println(Messages.text("cli.cutover.recorded", String.join(", ", mappings.stream().map(BucketMapping::describeTarget).toList()),
                        recordRoot));
                if (settings.flag(Setting.CUTOVER_SMOKE_TEST)
                        && !runtimes.with(runtime -> SmokeTestCommand.check(runtime, mappings, settings, out))) {
                    return said(out, EXIT_FAILED, Messages.text("cli.cutover.smoke-test-failed", backup.toAbsolutePath()), backup);
                }
                if (!ShellStep.run(Messages.text("cli.step.start"), settings.get(Setting.CUTOVER_START_COMMAND), out, mask)) {
                    return said(out, EXIT_FAILED, Messages.text("cli.cutover.not-started", backup.toAbsolutePath()), backup);
                }
                out.println(Messages.text("cli.cutover.done", backup.toAbsolutePath()));
                return CutoverResult.cutOver(String.join(", ", mappings.stream().map(BucketMapping::describeTarget).toList()),
                        backup.toAbsolutePath().toString());
            } finally {
                if (!switched) {
                    ForwardSyncs.endClosing(zk, closing);
                    gate.open();
                }
            }
        }
    }

    /**
     * A cutover that stopped the application and then did not switch starts it again: it still uses MinIO, which the
     * forward sync kept level. @return the cutover's exit code
     */
    private static CutoverResult backOnMinio(CutoverResult result, Settings settings, PrintStream out, SecretMask mask) throws Exception {
        if (!settings.get(Setting.CUTOVER_STOP_COMMAND).isEmpty()
                && !ShellStep.run(Messages.text("cli.step.start-again"), settings.get(Setting.CUTOVER_START_COMMAND), out, mask)) {
            out.println(Messages.text("cli.cutover.not-started-again"));
        }
        return result;
    }

    /** Prints the line that ends the cutover and makes it the result's reason. */
    private static CutoverResult said(PrintStream out, int code, String line, Path backup) {
        out.println(line);
        return CutoverResult.ended(code, line, backup == null ? null : backup.toAbsolutePath().toString());
    }

    /** The record in migration.state.dir beside the one in ZooKeeper; ZooKeeper's stands alone should the disk refuse. */
    private static void recordLocally(Settings settings, CutoverRecord record, PrintStream out) {
        try {
            CutoverRecords.writeLocal(settings, record);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("the cutover record could not be written in {}: {}", settings.get(Setting.STATE_DIR), e.getMessage());
            out.println(Messages.text("cli.cutover.record-not-written", Setting.STATE_DIR.key(), e.getMessage()));
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "this machine";
        }
    }

    /**
     * Runs the sync until drained (the full pass, then events until quiet), then stops it cleanly. Null when drained
     * after clean passes; else why not: a pass that failed (naming its objects), a sync that ended, or the timeout.
     */
    private static String drain(Settings settings, PrintStream out) throws Exception {
        Duration timeout = settings.duration(Setting.CUTOVER_DRAIN_TIMEOUT);
        RunCommand sync = new RunCommand(settings, out).stoppedBy(Messages.text("cli.cutover.until-quiet"));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> result = thread.submit(sync::execute);
            long deadline = System.nanoTime() + timeout.toNanos();
            DrainLines lines = new DrainLines(out);
            while (System.nanoTime() < deadline) {
                if (result.isDone()) {
                    return Messages.text("cli.cutover.sync-ended", result.get());
                }
                if (sync.status() != null && sync.status().lastPassFailed() != null) {
                    sync.stop(); // its pass failed: not drained, and waiting would not mend it
                    result.get();
                    return passFailed(sync);
                }
                String own = sync.status() == null ? null : ownNotDrained(sync.status());
                if (sync.status() != null && own == null && sync.clusterNotDrained().isEmpty()) {
                    sync.stop();
                    return result.get() == 0 ? null : passFailed(sync);
                }
                if (sync.status() != null && sync.status().isFullPassDone()) {
                    lines.waiting(own != null ? own : String.join("; ", sync.clusterNotDrained()));
                }
                Thread.sleep(200);
            }
            LOG.warn("not drained: {}", sync.status() == null ? "not started" : sync.status().line());
            List<String> notDrained = new ArrayList<>(sync.clusterNotDrained());
            String own = sync.status() == null ? Messages.text("cli.cutover.sync-not-started") : ownNotDrained(sync.status());
            if (own != null && notDrained.stream().noneMatch(CutoverCommand::namesThisInstance)) {
                notDrained.add(0, Messages.text("cli.cutover.this-instance", own));
            }
            sync.stop();
            result.get();
            return sync.failures().isEmpty() ? stillFlowing(settings, notDrained) : passFailed(sync);
        } finally {
            thread.shutdown();
        }
    }

    private static String passFailed(RunCommand sync) {
        List<String> failures = sync.failures();
        String which = failures.isEmpty() ? Messages.text("cli.cutover.see-report")
                : Messages.text("cli.cutover.objects-failed", failures.size(),
                        String.join("; ", failures.subList(0, Math.min(10, failures.size()))) + (failures.size() > 10 ? "; ..." : ""));
        return Messages.text("cli.cutover.pass-failed", which);
    }

    private static void printChanges(CutoverPlan plan, String layout, List<ZooKeeperSwitch.NodeChange> changes, PrintStream out,
            SecretMask mask) {
        StringBuilder text = new StringBuilder(Messages.text("cli.cutover.changed", layout)).append('\n');
        for (CutoverPlan.Entry entry : plan.entries()) {
            String node = layout.equals("node-per-key") ? entry.path() + "/" + entry.key() : entry.path();
            ZooKeeperSwitch.NodeChange change = changes.stream().filter(c -> c.node().equals(node)).findFirst().orElseThrow();
            String old = !change.existed() ? Messages.text("cli.cutover.absent") : layout.equals("node-per-key")
                    ? new String(change.before(), StandardCharsets.UTF_8) : String.valueOf(PropertiesNode.valueOf(change.before(), entry.key()));
            String shownOld = entry.secret() ? "****" : old;
            text.append("  ").append(entry.path()).append(' ').append(entry.key()).append(": ").append(shownOld).append(" -> ")
                    .append(entry.shown()).append('\n');
        }
        out.print(mask.apply(text.toString()));
    }
}
