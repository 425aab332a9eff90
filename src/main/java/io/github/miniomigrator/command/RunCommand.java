package io.github.miniomigrator.command;

import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.cluster.ClusterSettings;
import io.github.miniomigrator.cluster.HeldShards;
import io.github.miniomigrator.cluster.Leadership;
import io.github.miniomigrator.cluster.PassBoard;
import io.github.miniomigrator.cluster.ShardWorker;
import io.github.miniomigrator.cluster.SharedPass;
import io.github.miniomigrator.cluster.ZooKeeperLeadership;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.KeyFilter;
import io.github.miniomigrator.console.Console;
import io.github.miniomigrator.observe.ObserveCredentials;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.SettingRange;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.ExtraObjectRemover;
import io.github.miniomigrator.copy.PassPlanner;
import io.github.miniomigrator.cutover.CutoverRecords;
import io.github.miniomigrator.cutover.ForwardSyncs;
import io.github.miniomigrator.events.ChangeQueue;
import io.github.miniomigrator.events.DeleteBrake;
import io.github.miniomigrator.events.EventIntake;
import io.github.miniomigrator.events.ListenStreams;
import io.github.miniomigrator.events.Receipts;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.SyncWorkers;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.report.CopyReport;
import io.github.miniomigrator.report.PassSummary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.spi.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `run`: event capture first, then a full pass, then every event applied until stopped; a catch-up pass after any gap
 * (a reconnect, a queue overflow) and on migration.reconcile.interval. Stops cleanly on SIGTERM.
 *
 * <p>With migration.cluster.zookeeper, several instances share the migration: each captures and applies its events,
 * and only the elected leader runs the singletons — the full pass (again whenever an instance becomes leader: the last
 * leader's may have been cut short; an open one it left is adopted), the reconcile passes and their reports; the
 * cutover route refuses elsewhere. Those passes are shared: the leader publishes their shards and every instance's
 * {@link ShardWorker} runs them ({@link SharedPass}). A
 * catch-up pass for a gap in this instance's own events (its queue overflowed, its stream reconnected, a pass its events
 * wait on failed) still runs here, leader or not: only a pass that started after the gap covers what it let go.
 */
public final class RunCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    private final Settings settings;
    private final PrintStream out;
    /** Ends the forward sync: the operator's stop, or a cutover. */
    private final CountDownLatch stop = new CountDownLatch(1);
    /** The operator's stop (SIGTERM, Ctrl-C, a test): ends the fallback sync too. */
    private final CountDownLatch userStop = new CountDownLatch(1);
    private volatile FallbackSync fallbackSync;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean catchUpWanted = new AtomicBoolean();
    private volatile SyncStatus status;
    private volatile CutoverInRun cutoverInRun;
    /** Set once a cutover of this run's mappings applied: the run stops and says why. */
    private volatile boolean switchedOver;
    /** What this run's passes could not copy (kept by PassSummary, so bounded): a cutover refuses with them. */
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile CopyPass currentPass;
    /** The kind of the pass under way ("full", "catch-up"), null between passes: the console shows it. */
    private volatile String passKind;
    /** The last finished pass of each mapping, and the last pass report's file name: the console shows them. */
    private final Map<BucketMapping, PassSummary> lastPasses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String lastReport;
    private volatile List<BucketMapping> mappings = List.of();
    private volatile String mode = "off";
    private volatile boolean turnedRound;
    /** The shards this instance runs of the shared passes (none when alone), for health and metrics. */
    private final HeldShards shards = new HeldShards();
    /** Set when several instances share the passes: the leader's passes run through it. */
    private volatile SharedPass sharedPass;
    /** Null until the run has joined its cluster (or found it runs alone). */
    private volatile Leadership leadership;
    /** The pass under way is a singleton (full or reconcile): it stops when this instance stops leading. */
    private volatile boolean singletonPass;
    /** Passes this instance ran (full, takeover, catch-up and reconcile alike): one report each. */
    private final java.util.concurrent.atomic.AtomicInteger passesRun = new java.util.concurrent.atomic.AtomicInteger();

    private final Map<String, String> environment;
    /** What ends the sync, as the line after the full pass says it: a signal from the operator, unless a caller stops it. */
    private volatile String stoppedBy;

    public RunCommand(Settings settings, PrintStream out) {
        this(settings, Map.of(), out);
    }

    public RunCommand(Settings settings, Map<String, String> environment, PrintStream out) {
        this.settings = settings;
        this.environment = environment;
        this.out = out;
    }

    /** Says what will stop this sync (a caller that stops it itself: the cutover, the demo), instead of "SIGTERM or Ctrl-C". */
    public RunCommand stoppedBy(String until) {
        this.stoppedBy = until;
        return this;
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

    /** The fallback window: MinIO kept level with the target until the operator stops this run, a rollback or a retire. */
    private int fallback(io.github.miniomigrator.cutover.CutoverRecord record) throws Exception {
        FallbackSync fallback = new FallbackSync(settings, environment, out);
        fallbackSync = fallback;
        if (userStop.getCount() == 0) {
            return 0;
        }
        return fallback.loop(record);
    }

    /** A cutover applied (this run's own when record is null): the forward sync stops here, its gate already shut. */
    private void switched(io.github.miniomigrator.cutover.CutoverRecord record) {
        switchedOver = true;
        if (record != null) {
            out.println(Messages.text("cli.run.forward-sync-ends", record.refusal(Messages.text("cli.subject.forward-sync"))));
        }
        // the forward sync ends (the operator's stop is another matter: it also ends the fallback sync that follows)
        stop.countDown();
        cancelPass();
    }

    /** Asks a running `run` to finish: the syncs under way complete, nothing new starts. */
    public void stop() {
        userStop.countDown();
        stop.countDown();
        cancelPass();
        FallbackSync fallback = fallbackSync;
        if (fallback != null) {
            fallback.stop();
        }
    }

    private void cancelPass() {
        CopyPass pass = currentPass;
        if (pass != null) {
            pass.cancel();
        }
    }

    /** Whether this instance runs the singletons now (always when alone, once started), for tests. */
    public boolean leads() {
        Leadership current = leadership;
        return current != null && current.leads();
    }

    /** The instances of this run's migration that are not drained, each with why; empty alone (its status says) or when all are. */
    public List<String> clusterNotDrained() {
        Leadership current = leadership;
        return current == null ? List.of() : current.notDrained();
    }

    /** How many passes this instance has run, each with its report. */
    public int passesRun() {
        return passesRun.get();
    }

    public void awaitStopped(Duration timeout) {
        try {
            stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The cutover route's step (null before the run starts), for tests: execute() does what starting the route does. */
    public CutoverInRun cutover() {
        return cutoverInRun;
    }

    /** The live status (null before the run starts), for tests and the cutover. */
    public SyncStatus status() {
        return status;
    }

    public int execute() throws Exception {
        try {
            int result = loop();
            if (switchedOver && userStop.getCount() > 0) {
                // the forward runtime is closed by now: the fallback window begins in this process
                Optional<CutoverRecords.Found> record = CutoverRecords.find(settings, settings.mappings());
                if (record.isPresent()) {
                    return fallback(record.get().record());
                }
            }
            return result;
        } finally {
            SyncStatusJmx.unregister();
            stopped.countDown();
        }
    }

    private int loop() throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        String mode = Preflight.checkEventSettings(settings);
        this.mappings = mappings;
        this.mode = mode;
        Optional<CutoverRecords.Found> switched;
        try {
            switched = CutoverRecords.find(settings, mappings);
        } catch (IllegalStateException e) {
            throw new io.github.miniomigrator.config.SettingsException(Messages.text("cli.run.refused", e.getMessage()));
        }
        if (switched.isPresent()) {
            return fallback(switched.get().record());
        }
        Preflight.checkHttpAccess(settings).ifPresent(note -> {
            LOG.warn(note);
            out.println(Messages.text("cli.note", note));
        });
        Preflight.checkHttpPortFree(settings);
        Optional<ClusterSettings> cluster = ClusterSettings.of(settings);
        Duration reconcile = settings.duration(Setting.RECONCILE_INTERVAL);
        SecretMask mask = new SecretMask(settings.secretValues());
        status = new SyncStatus(settings.duration(Setting.QUIET_PERIOD),
                new DeleteBrake(SettingRange.EVENTS_MAX_DELETES.read(settings)));
        ChangeQueue queue = new ChangeQueue(SettingRange.EVENTS_QUEUE.readInt(settings), status);
        EventIntake intake = new EventIntake(mappings, KeyFilter.of(settings), queue, status);
        CutoverInRun cutover = new CutoverInRun(settings, environment, out, status);
        cutoverInRun = cutover;
        HeldPartitions partitions = mode.equals("kafka") ? new HeldPartitions() : null;
        try (MigrationRuntime runtime = MigrationRuntime.start(settings, new MigrationRuntime.Events(status, intake, cutover::attach, partitions),
                started -> Preflight.checkTargets(started, mappings, out))) {
            Preflight.checkSources(runtime, mappings);
            SyncStatusJmx.register(status);
            Console console = Console.start(runtime.context(), settings, new RunConsoleState(this), runtime.bandwidth(),
                    () -> runtime.passHistory().sum(s -> s.movedBytes.sum()), ObserveCredentials.of(settings).isPresent());
            // a cutover, this run's own or another process's, ends the forward sync for good: the gate is shut by then
            cutover.onSwitched(() -> switched(null));
            try (Console shown = console;
                    AutoCloseable watch = ForwardSyncs.register(settings, mappings, runtime.forwardGate(), this::switched).orElse(null);
                    Leadership leader = join(runtime, cluster, cutover);
                    ListenStreams listen = new ListenStreams(runtime.sourceStore(), intake, () -> catchUpWanted.set(true));
                    ShardWorker worker = share(runtime, leader, mappings)) {
                // 1. capture first, so nothing written during the full listing is missed
                startCapture(runtime, mode, listen, mappings);
                if (partitions != null) {
                    // without a cluster, a cutover needs this instance to hold the whole topic; in one the leader checks the union
                    status.attach(queue, partitions, cluster.isEmpty());
                } else {
                    status.attach(queue, mode.equals("listen") ? listen::connected : () -> true);
                }
                String capture = settings.get(Setting.EVENTS_URI).isEmpty() ? mode
                        : Messages.text("cli.run.mode-and-uri", mode, Setting.EVENTS_URI.key());
                out.println(leader.leads() ? Messages.text("cli.run.capturing-full-pass", capture) : Messages.text("cli.run.capturing", capture));
                // 2. the full pass, on the leader; events wait in the queue meanwhile (a follower applies them at once)
                int result = 0;
                long passedTerm = 0;
                if (leader.leads()) {
                    passedTerm = leader.term();
                    result = pass(runtime, queue, mappings, mask, "full", true);
                    if (stop.getCount() == 0) {
                        out.println(Messages.text("cli.run.stopped-in-full-pass"));
                        return 1;
                    }
                    fullPassDone(leader, passedTerm);
                } else {
                    out.println(Messages.text("cli.run.follower", leader.describe()));
                }
                // 3. apply events until stopped
                try (SyncWorkers workers = new SyncWorkers(queue, runtime.producer())) {
                    workers.start(settings.concurrency());
                    String until = stoppedBy != null ? stoppedBy : Messages.text("cli.run.until-stopped");
                    out.println(status.isFullPassDone() ? Messages.text("cli.run.syncing-after-full-pass", until) : Messages.text("cli.run.syncing", until));
                    out.flush();
                    PassSchedule schedule = new PassSchedule(System::nanoTime, reconcile, passedTerm);
                    while (!stop.await(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        long term = leader.term();
                        if (schedule.takesOver(leader.leads(), term)) {
                            // a new leader: the last one's pass may have been cut short, so the whole pass runs again
                            LOG.info("full pass: this instance took over the lead");
                            status.fullPassStarted();
                            result = Math.max(result, pass(runtime, queue, mappings, mask, "full", true));
                            fullPassDone(leader, term);
                            schedule.passEnded();
                            continue;
                        }
                        // each signal is taken (and so reset) every tick, in this order
                        boolean overflow = queue.takeOverflow();
                        boolean waiting = queue.awaitsPass() || status.lastPassFailed() != null;
                        boolean gap = catchUpWanted.getAndSet(false);
                        boolean recovered = queue.takeErrorsEnded();
                        Optional<PassSchedule.CatchUp> catchUp = schedule.catchUp(new PassSchedule.Tick(overflow, gap, recovered, waiting,
                                leader.leads()));
                        if (catchUp.isPresent()) {
                            LOG.info("catch-up pass: {}", catchUp.get().reason());
                            status.catchUpPassRun();
                            result = Math.max(result, pass(runtime, queue, mappings, mask, "catch-up", catchUp.get().singleton()));
                            schedule.passEnded();
                        }
                        if (schedule.statusDue()) {
                            String line = partitions == null ? status.line() : status.line() + "; kafka: " + partitions.describe();
                            LOG.info(leader.describe().isEmpty() ? line : line + "; cluster: " + leader.statusLine() + "; shards: "
                                    + shards.held().size() + " held, " + shards.finished() + " done");
                        }
                    }
                    out.println(Messages.text("cli.run.stopping"));
                    if (worker != null) {
                        worker.close(); // its batch stops, its claims are given up: the other instances run those shards
                    }
                    leader.close(); // another instance leads at once, without waiting for the session to time out
                }
                out.println(Messages.text("cli.run.stopped", status.line()));
                if (switchedOver) {
                    out.println(Messages.text("cli.run.forward-sync-ended"));
                }
                return result;
            }
        }
    }

    /** Alone without migration.cluster.zookeeper; else a member of the migration's election, shown in health and metrics. */
    private Leadership join(MigrationRuntime runtime, Optional<ClusterSettings> cluster, CutoverInRun cutover) throws Exception {
        Leadership joined = Leadership.alone();
        if (cluster.isPresent()) {
            ZooKeeperLeadership member = ZooKeeperLeadership.join(runtime.context(), cluster.get(),
                    ZooKeeperLeadership.memberId(settings.get(Setting.HTTP_PORT)), settings.get(Setting.CUTOVER_AUTH));
            member.onLost(() -> {
                if (singletonPass) {
                    cancelPass();
                }
            });
            runtime.observe(member, shards);
            member.publish(status); // the leader's cutover waits until every instance is drained
            joined = member;
        }
        cutover.ledBy(joined);
        leadership = joined;
        return joined;
    }

    /**
     * With several instances: the passes are shared — every instance (the leader too) runs a worker that takes shards of
     * the open pass, and the leader publishes and closes the passes; null when this instance runs alone.
     */
    private ShardWorker share(MigrationRuntime runtime, Leadership leader, List<BucketMapping> mappings) {
        if (!(leader instanceof ZooKeeperLeadership member)) {
            return null;
        }
        PassBoard board = new PassBoard(member.curator(), member.name());
        Registry registry = runtime.context().getRegistry();
        sharedPass = new SharedPass(board, registry.lookupByNameAndType("passPlanner", PassPlanner.class),
                registry.lookupByNameAndType("extraObjectRemover", ExtraObjectRemover.class), mappings, pass -> {
                    currentPass = pass;
                    if (stop.getCount() == 0 || !leadership.leads()) {
                        pass.cancel();
                    }
                    CopyCommand.runPass(runtime, pass);
                }, member.id());
        ShardWorker worker = new ShardWorker(board, member.curator(), member.id(), mappings,
                settings.listingConcurrency(), pass -> {
                    CopyCommand.runPass(runtime, pass);
                    runtime.passHistory().retire(pass.stats()); // batches come by the thousand: their counts stay, not they
                }, shards);
        worker.start();
        return worker;
    }

    /** Drained needs a finished full pass: on a leader that kept the lead through it (else the next leader runs it again). */
    private void fullPassDone(Leadership leader, long term) {
        if (stop.getCount() > 0 && leader.leads() && leader.term() == term) {
            status.fullPassDone();
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
    private int pass(MigrationRuntime runtime, ChangeQueue queue, List<BucketMapping> mappings, SecretMask mask, String kind,
            boolean singleton) throws Exception {
        singletonPass = singleton;
        passesRun.incrementAndGet();
        passKind = kind;
        Receipts covered = queue.passStarts();
        boolean clean = false;
        CopyReport report;
        try {
            if (singleton && sharedPass != null) {
                Optional<CopyReport> shared = sharedPass(runtime, kind);
                if (shared.isEmpty()) {
                    return stopped(kind);
                }
                report = shared.get();
                // a pass a former leader published began before this instance's queue let its keys go: it covers none
                clean = report.ok() && stop.getCount() > 0 && !sharedPass.adopted();
            } else {
                report = CopyCommand.copyAll(runtime, mappings, out, started -> {
                    currentPass = started;
                    if (stop.getCount() == 0 || singleton && !leadership.leads()) {
                        started.cancel();
                    }
                });
                clean = report.ok() && stop.getCount() > 0;
            }
        } finally {
            queue.passEnded(covered, clean);
            passKind = null;
        }
        if (singleton && !leadership.leads()) {
            // the report is the leader's: the new one runs the whole pass again and writes it
            LOG.warn("{} pass stopped: this instance no longer leads; the new leader runs it again", kind);
            out.println(Messages.text("cli.run.pass-lost-lead", passWord(kind)));
            return 0;
        }
        report.print(out, mask);
        Path file = report.write(Path.of(settings.get(Setting.REPORT_DIR)), mask);
        io.github.miniomigrator.hooks.PassFinished.send(runtime.producer(), passWord(kind), report, file);
        lastReport = file.getFileName().toString();
        report.mappings().forEach(summary -> mappings.stream()
                .filter(m -> m.sourceBucket().equals(summary.sourceBucket()) && m.targetBucket().equals(summary.targetBucket())
                        && m.targetPrefix().equals(summary.targetPrefix()))
                .forEach(m -> lastPasses.put(m, summary)));
        LOG.info("{} pass {}: report {}", kind, report.ok() ? "ok" : "FAILED", file.toAbsolutePath());
        if (stop.getCount() > 0) {
            // drained means converged: a pass that failed keeps this instance from being drained until one runs clean
            status.passEnded(report.ok() ? null : failedPass(report, kind));
        }
        report.mappings().forEach(summary -> {
            summary.failures().stream().limit(Math.max(0, 1000 - failures.size())).forEach(failures::add);
            if (summary.passError() != null && failures.size() < 1000) {
                failures.add(summary.sourceBucket() + ": " + summary.passError());
            }
        });
        return report.ok() ? 0 : 1;
    }

    /** A shared pass to its end, or empty when this instance stopped or stopped leading first. */
    private Optional<CopyReport> sharedPass(MigrationRuntime runtime, String kind) throws InterruptedException {
        Instant started = Instant.now();
        out.println(Messages.text("cli.run.pass-shared", passWord(kind)));
        out.flush();
        Optional<List<PassSummary>> summaries = sharedPass.run(kind, leadership.term(), () -> stop.getCount() > 0 && leadership.leads());
        return summaries.map(done -> CopyCommand.report(runtime, started, done));
    }

    private int stopped(String kind) {
        if (stop.getCount() == 0) {
            out.println(Messages.text("cli.run.pass-stopped-here", passWord(kind)));
            return 1;
        }
        LOG.warn("{} pass: this instance no longer leads; the new leader adopts the pass and closes it", kind);
        out.println(Messages.text("cli.run.pass-adopted", passWord(kind)));
        return 0;
    }

    /** A pass's kind (full, catch-up) in the output's language; the kind itself stays English in logs and reports. */
    private static String passWord(String kind) {
        return kind.equals("full") ? Messages.text("cli.run.pass.full") : kind.equals("catch-up") ? Messages.text("cli.run.pass.catch-up") : kind;
    }

    /** Why a pass failed, in a few words for the status line: its kind, how many objects, the first ones. */
    private static String failedPass(CopyReport report, String kind) {
        long failed = report.mappings().stream().mapToLong(PassSummary::failedObjects).sum();
        List<String> first = report.mappings().stream().flatMap(m -> m.failures().stream()).limit(3).toList();
        String error = report.mappings().stream().map(PassSummary::passError).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        return "the last " + kind + " pass failed (" + (error != null ? error : failed + " object(s): " + String.join("; ", first))
                + "); a pass runs again within " + PassSchedule.PASS_AGAIN_AFTER.toMinutes() + " min";
    }

    CopyPass currentPass() {
        return currentPass;
    }

    String passKind() {
        return passKind;
    }

    PassSummary lastPass(BucketMapping mapping) {
        return lastPasses.get(mapping);
    }

    String lastReport() {
        return lastReport;
    }

    List<BucketMapping> mappings() {
        return mappings;
    }

    String mode() {
        return mode;
    }

    Leadership leadership() {
        return leadership;
    }

    boolean switchedOver() {
        return switchedOver;
    }

    /** This run is a fallback sync's (its settings turned round): its console says so. */
    RunCommand asFallbackSync() {
        turnedRound = true;
        return this;
    }

    boolean turnedRound() {
        return turnedRound;
    }

    /** The failures of this run's passes so far: key and reason each. */
    public List<String> failures() {
        return List.copyOf(failures);
    }
}
