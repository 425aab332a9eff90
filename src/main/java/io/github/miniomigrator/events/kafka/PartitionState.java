package io.github.miniomigrator.events.kafka;

/**
 * One partition this instance holds, as health and metrics show it: the offset committed (the next event another
 * member would read if this one died; -1 before the first commit), how far it has read, the events still unread on
 * the broker (lag; -1 until Kafka has told it for a partition just given), and the offsets whose events wait for their
 * keys to converge.
 */
public record PartitionState(String topic, int partition, long committed, long read, long lag, int waiting) {
    public String name() {
        return topic + "-" + partition;
    }

    /** Events read and not committed yet: what another member would read again if this one died now. */
    public long uncommitted() {
        return read < 0 ? 0 : read - Math.max(committed, 0);
    }
}
