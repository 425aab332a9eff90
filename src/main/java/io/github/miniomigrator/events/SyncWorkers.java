package io.github.miniomigrator.events;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.ProducerTemplate;
import io.github.miniomigrator.logging.FailureBursts;
import io.github.miniomigrator.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * migration.concurrency threads taking keys from the queue and sending each through the sync-on-event route, whose
 * answer (a {@link SyncOutcome}) tells the queue whether the events waiting on it converged.
 */
public final class SyncWorkers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncWorkers.class);
    private final ChangeQueue queue;
    private final ProducerTemplate producer;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    public SyncWorkers(ChangeQueue queue, ProducerTemplate producer) {
        this.queue = queue;
        this.producer = producer;
    }

    public void start(int count) {
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(this::work, "sync-" + (i + 1));
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    private void work() {
        while (running.get()) {
            ObjectChange change;
            try {
                change = queue.take(200);
            } catch (InterruptedException e) {
                return;
            }
            if (change == null) {
                continue;
            }
            SyncOutcome outcome = SyncOutcome.FAILED;
            try {
                outcome = outcome(producer.requestBody("direct:sync-on-event", change));
            } catch (RuntimeException e) {
                FailureBursts.failed(LOG, "syncs", "each stays owed and is tried again", "sync of " + change.bucket() + "/" + change.key()
                        + " failed: " + StoreException.describe(e), StoreException.describe(e));
            } finally {
                queue.done(change, outcome);
            }
        }
    }

    /** The route's answer: the step's outcome, or true/false from a route an integrator changed to answer so. */
    static SyncOutcome outcome(Object answer) {
        if (answer instanceof SyncOutcome outcome) {
            return outcome;
        }
        if (answer instanceof Boolean converged) {
            return SyncOutcome.of(converged);
        }
        return answer != null && answer.toString().equals(SyncOutcome.CONVERGED.name()) ? SyncOutcome.CONVERGED
                : answer != null && answer.toString().equals(SyncOutcome.HELD.name()) ? SyncOutcome.HELD : SyncOutcome.FAILED;
    }

    /** Lets the syncs under way finish (each leaves the target key old or complete), for at most the timeout. */
    @Override
    public void close() {
        running.set(false);
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
