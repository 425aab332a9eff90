package io.github.miniomigrator.events.kafka;

import io.github.miniomigrator.events.Watermark;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The partitions this instance holds in the consumer group now, each with a fresh {@link Watermark} per assignment: a
 * partition revoked and given back starts a new one, so events read under the old assignment (read again now from the
 * committed offset) can never move the new one. Changed and committed on the consumer's thread; read by health and
 * metrics from theirs.
 */
public final class HeldPartitions {
    private static final class Held {
        final Watermark watermark = new Watermark();
        volatile long committed = -1;
        volatile long lag;
    }

    private final Map<TopicPartition, Held> held = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean member;

    void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(partition -> held.put(partition, new Held()));
        listeners.forEach(Runnable::run);
    }

    void released(Collection<TopicPartition> partitions) {
        partitions.forEach(held::remove);
        listeners.forEach(Runnable::run);
    }

    /** Runs after every change of the partitions held (on the consumer's thread). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** The watermark of a partition this instance holds, or null when it holds it no longer. */
    public Watermark watermark(TopicPartition partition) {
        Held h = held.get(partition);
        return h == null ? null : h.watermark;
    }

    /** The offsets to commit among these partitions: where a watermark passed the last commit. */
    Map<TopicPartition, OffsetAndMetadata> due(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        for (TopicPartition partition : partitions) {
            Held h = held.get(partition);
            long safe = h == null ? -1 : h.watermark.safe();
            if (h != null && safe > h.committed) {
                due.put(partition, new OffsetAndMetadata(safe));
            }
        }
        return due;
    }

    Map<TopicPartition, OffsetAndMetadata> due() {
        return due(held.keySet());
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            Held h = held.get(partition);
            if (h != null) {
                h.committed = Math.max(h.committed, offset.offset());
            }
        });
    }

    /** After each poll: whether the consumer is a member of its group, and each partition's unread events. */
    void observe(Consumer<?, ?> consumer) {
        member = consumer.groupMetadata().generationId() > 0;
        held.forEach((partition, h) -> consumer.currentLag(partition).ifPresent(lag -> h.lag = lag));
    }

    /** Whether the consumer has joined its group (it may hold no partition when the group has more members than the topic partitions). */
    public boolean member() {
        return member;
    }

    public List<PartitionState> states() {
        return held.keySet().stream().map(this::state).filter(Objects::nonNull)
                .sorted(Comparator.comparing(PartitionState::topic).thenComparingInt(PartitionState::partition)).toList();
    }

    /** The state of a partition, or null when this instance does not hold it (now). */
    public PartitionState state(TopicPartition partition) {
        Held h = held.get(partition);
        return h == null ? null : new PartitionState(partition.topic(), partition.partition(), h.committed, h.watermark.end(), h.lag,
                h.watermark.waiting());
    }

    /** For the status line: the partitions held, what is unread, read and not committed, and waiting. */
    public String describe() {
        List<PartitionState> states = states();
        return String.format(Locale.ROOT, "%s partitions %s, lag %d, uncommitted %d, waiting %d", member ? "holds" : "not in the group;",
                states.stream().map(PartitionState::name).toList(), lag(), states.stream().mapToLong(PartitionState::uncommitted).sum(),
                states.stream().mapToLong(PartitionState::waiting).sum());
    }

    /** Events on the broker this instance has not read yet, over all its partitions. */
    public long lag() {
        return held.values().stream().mapToLong(h -> h.lag).sum();
    }
}
