package io.github.miniomigrator.command;

import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.cutover.CutoverRecord;
import io.github.miniomigrator.cutover.CutoverRecords;
import io.github.miniomigrator.cutover.ZooKeeperSwitch;
import io.github.miniomigrator.fallback.ReversedSettings;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `run` after a cutover: the fallback window. It is a `run` in the other direction ({@link ReversedSettings#forRun}): no
 * events, a pass when it starts and one every migration.fallback.interval — shared in shards between the instances of a
 * cluster, as forward — until the operator stops it, the cutover is rolled back, or MinIO is retired (the record, looked at
 * every few seconds, says which).
 */
final class FallbackSync {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackSync.class);
    private static final long LOOK_EVERY_SECONDS = 5;

    private final Settings settings;
    private final Map<String, String> environment;
    private final PrintStream out;
    private final RunCommand passes;
    private volatile String ended;
    /** Whether what ended the sync is MinIO's retirement (exit 0), not a rollback. */
    private volatile boolean endedByRetirement;
    /** Used by the one thread that looks at the record, and closed after it has stopped. */
    private ZooKeeperSwitch zooKeeper;

    FallbackSync(Settings settings, Map<String, String> environment, PrintStream out) {
        this.settings = settings;
        this.environment = environment;
        this.out = out;
        this.passes = new RunCommand(ReversedSettings.forRun(settings), environment, out).asFallbackSync();
    }

    /** The operator's stop: the pass under way is cancelled, as forward. */
    void stop() {
        passes.stop();
    }

    int loop(CutoverRecord record) throws Exception {
        ReversedSettings.mappings(settings); // a mapping that cannot be turned round is refused by name
        if (record.retired() != null) {
            out.println(Messages.text("cli.fallback-sync.retired-already", record.retired(), record.at()));
            return 0;
        }
        boolean periodic = !settings.duration(Setting.FALLBACK_INTERVAL).isZero();
        out.println(periodic ? Messages.text("cli.fallback-sync.start-periodic", record.at(), settings.get(Setting.FALLBACK_INTERVAL))
                : Messages.text("cli.fallback-sync.start-once", record.at()));
        out.flush();
        ScheduledExecutorService looks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "fallback-record");
            thread.setDaemon(true);
            return thread;
        });
        looks.scheduleWithFixedDelay(this::lookAtTheRecord, LOOK_EVERY_SECONDS, LOOK_EVERY_SECONDS, TimeUnit.SECONDS);
        try {
            int result = passes.execute();
            if (ended != null) {
                out.println(ended);
                return endedByRetirement ? 0 : result;
            }
            out.println(Messages.text("cli.fallback-sync.stopped"));
            return result;
        } finally {
            looks.shutdownNow();
            looks.awaitTermination(5, TimeUnit.SECONDS);
            closeZooKeeper();
        }
    }

    /**
     * A rollback (the record gone) or a retirement ends the fallback window here. The record is read through one ZooKeeper
     * session kept open (the application's own ZooKeeper: no new session every few seconds), opened again after a failure.
     */
    private void lookAtTheRecord() {
        try {
            Optional<CutoverRecords.Found> now = CutoverRecords.local(settings, settings.mappings());
            String connect = settings.get(Setting.CUTOVER_ZOOKEEPER);
            if (now.isEmpty() && !connect.isEmpty()) {
                if (zooKeeper == null) {
                    zooKeeper = new ZooKeeperSwitch(connect, settings.get(Setting.CUTOVER_AUTH));
                }
                now = CutoverRecords.inZooKeeper(zooKeeper, CutoverRecords.root(settings), settings.mappings());
            }
            if (now.isEmpty()) {
                ended = Messages.text("cli.fallback-sync.rolled-back");
            } else if (now.get().record().retired() != null) {
                endedByRetirement = true;
                ended = Messages.text("cli.fallback-sync.retired", now.get().record().retired());
            }
            if (ended != null) {
                passes.stop();
            }
        } catch (Exception e) {
            LOG.warn("cannot read the cutover record ({}); the fallback sync goes on and looks again in {} s", e.getMessage(), LOOK_EVERY_SECONDS);
            closeZooKeeper();
        }
    }

    private void closeZooKeeper() {
        ZooKeeperSwitch open = zooKeeper;
        zooKeeper = null;
        if (open != null) {
            try {
                open.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
