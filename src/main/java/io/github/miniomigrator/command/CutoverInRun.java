package io.github.miniomigrator.command;

import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.cluster.Leadership;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.store.StoreException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cutover route's step in a running `run`: an operator starts the `cutover` route over JMX (jconsole, or any JMX
 * client: startRoute on org.apache.camel:…,type=routes,name="cutover"); it takes the same path and guards as the command.
 * With several instances only the leader cuts over: it alone ran the full pass, and the cutover is a singleton; it waits
 * until every instance is drained, each applying its own events (their statuses on ZooKeeper).
 */
public final class CutoverInRun {
    private static final Logger LOG = LoggerFactory.getLogger(CutoverInRun.class);
    private final Settings settings;
    private final Map<String, String> environment;
    private final PrintStream out;
    private final SyncStatus status;
    private volatile MigrationRuntime runtime;
    private volatile Leadership leadership = Leadership.alone();
    private final AtomicInteger lastResult = new AtomicInteger(-1);
    private volatile boolean running;
    private volatile Runnable switched = () -> { };

    public CutoverInRun(Settings settings, Map<String, String> environment, PrintStream out, SyncStatus status) {
        this.settings = settings;
        this.environment = environment;
        this.out = out;
        this.status = status;
    }

    public void attach(MigrationRuntime runtime) {
        this.runtime = runtime;
    }

    /** Told once a cutover of this run applied (the forward gate is shut by then): the run stops its forward sync. */
    public void onSwitched(Runnable switched) {
        this.switched = switched;
    }

    public void ledBy(Leadership leadership) {
        this.leadership = leadership;
    }

    /** The exit code the last cutover would have had: 0 done, 1 refused, 2 failed; -1 before any. */
    public int lastResult() {
        return lastResult.get();
    }

    /** A cutover is under way (started over JMX or from the console). */
    public boolean running() {
        return running;
    }

    public void execute() {
        running = true;
        try {
            cutOver();
        } finally {
            running = false;
        }
    }

    private void cutOver() {
        LOG.info("cutover started (over JMX or from the console)");
        if (!leadership.leads()) {
            lastResult.set(CutoverCommand.EXIT_REFUSED);
            String refusal = Messages.text("cli.cutover.not-leader", leadership.describe());
            LOG.warn(refusal);
            out.println(refusal);
            return;
        }
        try {
            lastResult.set(CutoverCommand.performInRun(settings, environment, out, status, leadership, runtime));
        } catch (Exception e) {
            lastResult.set(CutoverCommand.EXIT_FAILED);
            out.println(new SecretMask(settings.secretValues()).apply(Messages.text("cli.cutover.failed", StoreException.describe(e))));
        }
        LOG.info("cutover ended with {}", lastResult.get() == 0 ? "success" : "code " + lastResult.get());
        if (runtime.forwardGate().isShut()) {
            switched.run(); // applied (or unknown whether it applied): nothing goes forward any more
        }
    }
}
