package io.github.miniomigrator.command;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.cutover.CutoverRecord;
import io.github.miniomigrator.cutover.CutoverRecords;
import io.github.miniomigrator.cutover.ZooKeeperSwitch;
import io.github.miniomigrator.fallback.ReversedSettings;
import io.github.miniomigrator.store.StoreException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * `run` after a cutover: the fallback window. A fallback pass brings MinIO level with the target every
 * migration.fallback.interval until the run is stopped, the cutover is rolled back, or MinIO is retired. Where the
 * cutover's ZooKeeper is set, one process at a time runs these passes (an ephemeral node under the record path says
 * which); the others wait and take over when it goes.
 */
final class FallbackSync {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackSync.class);

    private final Settings settings;
    private final PrintStream out;
    private final CountDownLatch stop;
    private volatile CopyPass current;

    FallbackSync(Settings settings, PrintStream out, CountDownLatch stop) {
        this.settings = settings;
        this.out = out;
        this.stop = stop;
    }

    /** Cancels the pass under way (the run is being stopped). */
    void cancel() {
        CopyPass pass = current;
        if (pass != null) {
            pass.cancel();
        }
    }

    int loop(CutoverRecord record) throws Exception {
        List<BucketMapping> mappings = ReversedSettings.mappings(settings);
        if (record.retired() != null) {
            out.println("MinIO was retired at " + record.retired() + " (after the cutover at " + record.at() + "): nothing is synced "
                    + "in either direction any more; this run ends.");
            return 0;
        }
        Duration interval = settings.duration(Setting.FALLBACK_INTERVAL);
        out.println("The application writes to the target since the cutover at " + record.at() + ": this run keeps MinIO level with it"
                + (interval.isZero() ? " only when asked (migration.fallback.interval=off)" : ", a fallback pass every " + settings.get(Setting.FALLBACK_INTERVAL))
                + ", until a rollback or retire. Nothing is synced forward.");
        out.flush();
        int result = 0;
        try (Turn turn = Turn.take(settings)) {
            while (stop.getCount() > 0) {
                Optional<CutoverRecords.Found> now = CutoverRecords.find(settings, mappings);
                if (now.isEmpty()) {
                    out.println("The cutover was rolled back: the fallback sync ends here; start `run` again to sync forward.");
                    return result;
                }
                if (now.get().record().retired() != null) {
                    out.println("MinIO was retired at " + now.get().record().retired() + ": the fallback sync has ended for good.");
                    return 0;
                }
                if (!interval.isZero() && turn.mine()) {
                    try {
                        FallbackCommand.Levelled levelled = FallbackCommand.pass(settings, out, false, false, pass -> {
                            current = pass;
                            if (stop.getCount() == 0) {
                                pass.cancel();
                            }
                        });
                        if (stop.getCount() == 0) {
                            break; // stopped during the pass: it says so in its report; the next run passes again
                        }
                        result = levelled.pass().ok() ? 0 : 1;
                        LOG.info("fallback pass {}: {} on the target carried to MinIO", levelled.pass().ok() ? "ok" : "FAILED", levelled.counts());
                    } catch (RuntimeException e) {
                        result = 1;
                        LOG.error("fallback pass failed: {}", StoreException.describe(e));
                        out.println("The fallback pass failed: " + StoreException.describe(e) + "; it runs again in "
                                + settings.get(Setting.FALLBACK_INTERVAL) + ".");
                    }
                }
                stop.await(interval.isZero() ? Duration.ofMinutes(1).toMillis() : interval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        out.println("Stopped: the fallback sync goes on when run starts again.");
        return result;
    }

    /** Whose turn it is to run the fallback passes: this process's alone without ZooKeeper; else the holder of an ephemeral node. */
    private static final class Turn implements AutoCloseable {
        private final ZooKeeperSwitch zk;
        private final String node;
        private boolean held;

        private Turn(ZooKeeperSwitch zk, String node) {
            this.zk = zk;
            this.node = node;
        }

        static Turn take(Settings settings) throws Exception {
            String connect = settings.get(Setting.CUTOVER_ZOOKEEPER);
            if (connect.isEmpty()) {
                return new Turn(null, null);
            }
            return new Turn(new ZooKeeperSwitch(connect, settings.get(Setting.CUTOVER_AUTH)), CutoverRecords.root(settings) + "/fallback-runner");
        }

        boolean mine() throws Exception {
            if (zk == null || held) {
                return true;
            }
            try {
                zk.create(node, io.github.miniomigrator.cutover.ForwardSyncs.hostName().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        CreateMode.EPHEMERAL);
                held = true;
                LOG.info("this process runs the fallback passes ({})", node);
            } catch (KeeperException.NodeExistsException e) {
                byte[] who = zk.read(node);
                LOG.info("the fallback passes run on {}; this process takes over if it goes", who == null ? "another process"
                        : new String(who, java.nio.charset.StandardCharsets.UTF_8));
            }
            return held;
        }

        @Override
        public void close() throws Exception {
            if (zk != null) {
                zk.close(); // the ephemeral node goes with the session
            }
        }
    }
}
