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
        /** Events on the broker not read yet; -1 until Kafka has told it (a partition just given has none known). */
        volatile long lag = -1;
    }

    private final Map<TopicPartition, Held> held = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean member;
    /** How many partitions the topic has; -1 until the consumer has its metadata. */
    private volatile int topicPartitions = -1;

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

    /** After each poll: whether the consumer is a member of its group, each partition's unread events, the topic's size. */
    void observe(Consumer<?, ?> consumer) {
        Map<TopicPartition, Long> lags = new HashMap<>();
        held.keySet().forEach(partition -> consumer.currentLag(partition).ifPresent(lag -> lags.put(partition, lag)));
        boolean joined = consumer.groupMetadata().generationId() > 0;
        // a member has the topic's metadata: asking for it costs no request then (the short timeout is for the exception)
        int partitions = !joined ? 0 : consumer.subscription().stream().mapToInt(topic -> {
            try {
                List<?> known = consumer.partitionsFor(topic, java.time.Duration.ofSeconds(1));
                return known == null ? 0 : known.size();
            } catch (RuntimeException e) {
                return 0;
            }
        }).sum();
        observed(joined, lags, partitions);
    }

    /**
     * What a poll told: membership, the unread events of the partitions Kafka knows them for (a partition missing here
     * keeps what it had: not known yet, for one just given), and how many partitions the topic has (0 when not known).
     */
    void observed(boolean member, Map<TopicPartition, Long> lags, int topicPartitions) {
        this.member = member;
        lags.forEach((partition, lag) -> {
            Held h = held.get(partition);
            if (h != null) {
                h.lag = lag;
            }
        });
        if (topicPartitions > 0) {
            this.topicPartitions = topicPartitions;
        }
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

    /** Events on the broker this instance has not read yet, over all its partitions (those whose count is known). */
    public long lag() {
        return held.values().stream().mapToLong(h -> Math.max(0, h.lag)).sum();
    }

    /** The numbers of the partitions held, in order. */
    public List<Integer> numbers() {
        return held.keySet().stream().map(TopicPartition::partition).sorted().toList();
    }

    /** How many partitions the topic has; -1 while not known. */
    public int topicPartitions() {
        return topicPartitions;
    }

    /**
     * Why what this instance holds cannot be called drained, or null: a partition just given to it whose unread count
     * Kafka has not told yet (it may hold a backlog), or, when it must hold the whole topic, a partition it does not hold.
     */
    public String notDrainedBecause(boolean wholeTopic) {
        List<Integer> unknown = held.entrySet().stream().filter(e -> e.getValue().lag < 0).map(e -> e.getKey().partition()).sorted().toList();
        if (!unknown.isEmpty()) {
            return "Kafka has not told yet how many events are unread on partition(s) " + unknown + " (given to this instance moments ago)";
        }
        int total = topicPartitions;
        if (wholeTopic && total > 0) {
            List<Integer> missing = missing(numbers(), total);
            if (!missing.isEmpty()) {
                return "holds " + (total - missing.size()) + " of the topic's " + total + " partitions: partition(s) " + missing
                        + " are held by no consumer while the group rebalances, or by one outside this instance";
            }
        }
        return null;
    }

    /** The partitions of a topic of this size none of the held ones is. */
    public static List<Integer> missing(Collection<Integer> held, int topicPartitions) {
        return java.util.stream.IntStream.range(0, topicPartitions).filter(p -> !held.contains(p)).boxed().toList();
    }
}
