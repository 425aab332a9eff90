package io.github.miniomigrator.cutover;

import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.store.StoreException;
import org.apache.camel.Exchange;

/**
 * The perform-cutover route's step (bean {@code cutover}): one path for the `cutover` command and for the cutover
 * route inside `run` (started over JMX or from the console). Who runs the cutover's steps is set by the command that
 * owns the process ({@link #performedBy}); elsewhere (copy, verify …) the step refuses. The result goes on the
 * exchange: the body, the header MigrationOutcome, the property MigrationResult — what the cutover-finished hook reads.
 */
public final class CutoverStep {
    /** The cutover's steps: the guards, the ZooKeeper write, the smoke test, the start command. */
    @FunctionalInterface
    public interface Performer {
        CutoverResult perform() throws Exception;
    }

    /** The route every cutover goes through (routes/perform-cutover.yaml). */
    public static final String ROUTE = "direct:perform-cutover";
    private final SecretMask mask;
    private volatile Performer performer;

    public CutoverStep(SecretMask mask) {
        this.mask = mask;
    }

    public void performedBy(Performer performer) {
        this.performer = performer;
    }

    /** Runs the cutover; never throws: an error is a FAILED result, the error kept in it for the command. */
    public CutoverResult perform(Exchange exchange) {
        Performer steps = performer;
        CutoverResult result;
        if (steps == null) {
            IllegalStateException e = new IllegalStateException("a cutover runs in the `cutover` command or inside `run`, not in this command");
            result = CutoverResult.thrown(e, e.getMessage());
        } else {
            try {
                result = steps.perform();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                result = CutoverResult.thrown(e, "interrupted");
            } catch (Exception e) {
                result = CutoverResult.thrown(e, mask.apply(StoreException.describe(e)));
            }
        }
        exchange.getMessage().setHeader(CutoverResult.OUTCOME, result.outcome());
        exchange.setProperty(CutoverResult.PROPERTY, result);
        return result;
    }
}
