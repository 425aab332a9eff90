package io.github.miniomigrator.cluster;

import java.util.List;

/**
 * Whether this `run` instance runs the singletons — the full pass, the reconcile passes, their reports, the cutover
 * route: always when it runs alone, while it is the elected leader when several share a migration on ZooKeeper.
 */
public interface Leadership extends AutoCloseable {
    boolean leads();

    /**
     * How many times this instance has become leader. A new term asks for a full pass: the last leader's may have been
     * cut short by its death, and passes are idempotent.
     */
    long term();

    /** Runs (on a ZooKeeper or timer thread) when this instance stops leading: what it runs as a singleton must stop. */
    default void onLost(Runnable action) {
        // alone, the lead is never lost
    }

    /** For the status line and the cutover's refusal; empty when alone. */
    String describe();

    /**
     * With several instances, those of the migration that are not drained, each named with why (this one among them);
     * empty when every one is. Alone, empty: the instance's own status says.
     */
    default List<String> notDrained() {
        return List.of();
    }

    /** The status line's part on the cluster: who leads, and whether every instance is drained; empty when alone. */
    default String statusLine() {
        return describe();
    }

    /** Leaves the election; alone, there is none. */
    @Override
    default void close() {
    }

    /** One instance, no ZooKeeper: it leads from start to end, as `run` always did. */
    static Leadership alone() {
        return Alone.INSTANCE;
    }

    enum Alone implements Leadership {
        INSTANCE;

        @Override
        public boolean leads() {
            return true;
        }

        @Override
        public long term() {
            return 1;
        }

        @Override
        public String describe() {
            return "";
        }
    }
}
