package io.github.miniomigrator.command;

import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.cluster.Leadership;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.cutover.CutoverResult;
import io.github.miniomigrator.cutover.CutoverStep;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.store.StoreException;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cutover's steps inside a running `run`: an operator starts the `cutover` route over JMX (jconsole, or any JMX
 * client: startRoute on org.apache.camel:…,type=routes,name="cutover") or from the console; it goes through the
 * perform-cutover route, the same path and guards as the command. With several instances only the leader cuts over:
 * it alone ran the full pass, and the cutover is a singleton; it waits until every instance is drained, each applying
 * its own events (their statuses on ZooKeeper).
 */
public final class CutoverInRun implements CutoverStep.Performer {
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

    /** The running runtime: its status, verify and smoke test; its perform-cutover route now runs these steps. */
    public void attach(MigrationRuntime runtime) {
        this.runtime = runtime;
        runtime.cutoverStep().performedBy(this);
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

    /** What starting the cutover route does (for tests): the perform-cutover route, to its end. */
    public CutoverResult execute() {
        return runtime.producer().requestBody(CutoverStep.ROUTE, null, CutoverResult.class);
    }

    @Override
    public CutoverResult perform() {
        running = true;
        try {
            CutoverResult result = cutOver();
            lastResult.set(result.exitCode());
            return result;
        } finally {
            running = false;
        }
    }

    private CutoverResult cutOver() {
        LOG.info("cutover started (over JMX or from the console)");
        if (!leadership.leads()) {
            String refusal = Messages.text("cli.cutover.not-leader", leadership.describe());
            LOG.warn(refusal);
            out.println(refusal);
            return CutoverResult.ended(CutoverResult.EXIT_REFUSED, refusal, null);
        }
        CutoverResult result;
        try {
            result = CutoverCommand.performInRun(settings, environment, out, status, leadership, runtime);
        } catch (Exception e) {
            String line = new SecretMask(settings.secretValues()).apply(Messages.text("cli.cutover.failed", StoreException.describe(e)));
            out.println(line);
            result = CutoverResult.ended(CutoverResult.EXIT_FAILED, line, null);
        }
        LOG.info("cutover ended with {}", result.exitCode() == 0 ? "success" : "code " + result.exitCode());
        if (runtime.forwardGate().isShut()) {
            switched.run(); // applied (or unknown whether it applied): nothing goes forward any more
        }
        return result;
    }
}
