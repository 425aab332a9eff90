package io.github.miniomigrator.cutover;

import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The one door every write of this process to the target passes (an interceptor on the target's S3Client: the copies,
 * the multipart uploads, the delete route's deletes alike). A cutover shuts it before its final verify: shutting waits
 * until every write in flight has been answered, and from then on every write is refused, so no forward write can land
 * after the ZooKeeper transaction — not even a copy that was under way when it began. A cutover that does not apply
 * opens it again. Reads (GET, HEAD, LIST) and aborting an upload always pass; the smoke test's canary passes through
 * {@link #canary}.
 */
public final class ForwardGate implements ExecutionInterceptor {
    private static final ExecutionAttribute<Boolean> ENTERED = new ExecutionAttribute<>("MigrationForwardWrite");
    private static final ThreadLocal<Boolean> CANARY = ThreadLocal.withInitial(() -> false);

    private int inFlight;
    /** Null while open; else why writes are refused (one line, for the refusal). */
    private String shutBecause;

    /** A write refused because the gate is shut: never transient, never retried. */
    public static final class ForwardWriteRefused extends RuntimeException {
        ForwardWriteRefused(String message) {
            super(message);
        }
    }

    /** A gate shut from the start, for a client that must never write (the source's). */
    public static ForwardGate shutForGood(String because) {
        ForwardGate gate = new ForwardGate();
        gate.shutBecause = because;
        return gate;
    }

    /** Runs the smoke test's canary (a write the tool deletes again) while the gate may be shut. */
    public static <T> T canary(Supplier<T> work) {
        boolean before = CANARY.get();
        CANARY.set(true);
        try {
            return work.get();
        } finally {
            CANARY.set(before);
        }
    }

    /** Whether an S3 operation changes what the store holds: everything but reads and aborting an upload (deny by default). */
    static boolean writes(String operation) {
        return !(operation.startsWith("Get") || operation.startsWith("Head") || operation.startsWith("List")
                || operation.equals("AbortMultipartUpload"));
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (operation == null || !writes(operation) || CANARY.get()) {
            return;
        }
        enter();
        attributes.putAttribute(ENTERED, true);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        leave(attributes);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        leave(attributes);
    }

    private void leave(ExecutionAttributes attributes) {
        if (Boolean.TRUE.equals(attributes.getAttribute(ENTERED))) {
            attributes.putAttribute(ENTERED, false);
            synchronized (this) {
                inFlight--;
                notifyAll();
            }
        }
    }

    synchronized void enter() {
        if (shutBecause != null) {
            throw new ForwardWriteRefused("no write to the target: " + shutBecause);
        }
        inFlight++;
    }

    /**
     * Refuses every write from now on and waits until the writes in flight have been answered (landed or failed).
     * @return true when none is in flight any more; false when one still was after {@code patience} (the gate stays shut)
     */
    public synchronized boolean shut(String because, Duration patience) throws InterruptedException {
        shutBecause = because;
        long deadline = System.nanoTime() + patience.toNanos();
        while (inFlight > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Lets writes through again (a cutover that did not apply). */
    public synchronized void open() {
        shutBecause = null;
    }

    public synchronized boolean isShut() {
        return shutBecause != null;
    }

    /** Writes under way now, for the refusal that names what is still in flight. */
    public synchronized int inFlight() {
        return inFlight;
    }
}
