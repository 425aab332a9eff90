package io.github.miniomigrator.events;

/** How one key's sync after an event ended: what the queue does with the events waiting on it. */
public enum SyncOutcome {
    /** The target key matches the source now: the events on it converged. */
    CONVERGED,
    /** The sync failed (a store error): the key stays owed and is tried again, with backoff. */
    FAILED,
    /** The source lacks the key and the delete brake holds its delete: it waits for an operator to release it. */
    HELD;

    static SyncOutcome of(boolean converged) {
        return converged ? CONVERGED : FAILED;
    }
}
