package io.github.miniomigrator.observe;

import io.github.miniomigrator.cluster.HeldShards;
import io.github.miniomigrator.cluster.ZooKeeperLeadership;
import io.github.miniomigrator.events.SyncStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import java.util.function.ToLongFunction;
import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.events.kafka.PartitionState;

/** The tool's own counters on Camel's Micrometer registry, served as Prometheus text at /observe/metrics. */
public final class MigrationMetrics {
    private MigrationMetrics() {
    }

    public static void bind(MeterRegistry registry, PassHistory history, SyncStatus status) {
        counter(registry, "migration.objects.copied", "objects copied to the target", history, s -> s.copiedObjects.sum());
        counter(registry, "migration.bytes.copied", "bytes copied to the target", history, s -> s.copiedBytes.sum());
        counter(registry, "migration.objects.identical", "objects found identical, not copied", history, s -> s.identicalObjects.sum());
        counter(registry, "migration.objects.deleted", "target objects deleted (migration.remove)", history, s -> s.deletedObjects.sum());
        counter(registry, "migration.objects.failed", "objects that failed after retries", history, s -> s.failedObjects.sum());
        counter(registry, "migration.retries", "transfers retried after a transient failure", history, s -> s.retries.sum());
        counter(registry, "migration.rewrites", "keys written again because the source changed while they were written", history,
                s -> s.rewrites.sum());
        if (status != null) {
            FunctionCounter.builder("migration.events.received", status, SyncStatus::getEventsReceived)
                    .description("keys named by MinIO events").register(registry);
            FunctionCounter.builder("migration.events.applied", status, SyncStatus::getEventsApplied)
                    .description("keys converged after an event").register(registry);
            FunctionCounter.builder("migration.events.failed", status, SyncStatus::getSyncFailures)
                    .description("syncs after an event that ended without converging, each try once (their keys stay owed)").register(registry);
            FunctionCounter.builder("migration.events.malformed", status, SyncStatus::getEventsMalformed)
                    .description("event bodies refused as unreadable (not S3 event records of a known sender, or a key not decodable), any transport")
                    .register(registry);
            FunctionCounter.builder("migration.events.refused", status, SyncStatus::getDeliveriesRefused)
                    .description("webhook deliveries refused with 401 (no or wrong secret) or 400 (unreadable); nothing of them applied")
                    .register(registry);
            FunctionCounter.builder("migration.events.retried", status, SyncStatus::getSyncRetries)
                    .description("owed keys tried again after a failed sync").register(registry);
            FunctionCounter.builder("migration.events.deleted", status, SyncStatus::getEventDeletes)
                    .description("target objects deleted after an event (the source lacks them); also in migration_objects_deleted_total")
                    .register(registry);
            Gauge.builder("migration.events.pending", status, SyncStatus::getPending).description("keys waiting to be synced").register(registry);
            Gauge.builder("migration.events.owed", status, SyncStatus::getKeysOwed)
                    .description("keys whose last sync failed, waiting for their next try").register(registry);
            Gauge.builder("migration.events.deletes.held", status, SyncStatus::getDeletesHeld)
                    .description("deletes the delete brake holds until released over JMX").register(registry);
            Gauge.builder("migration.events.delete.brake", status, s -> s.isDeleteBrakeEngaged() ? 1 : 0)
                    .description("1 while the delete brake is engaged (migration.events.max-deletes)").register(registry);
            Gauge.builder("migration.events.lag.seconds", status, SyncStatus::getLagSeconds)
                    .description("age of the oldest change not converged yet (waiting, owed, held, or left to a catch-up pass)").register(registry);
            Gauge.builder("migration.events.drained", status, s -> s.isDrained() ? 1 : 0)
                    .description("1 when nothing is pending or owed, the last pass was clean and events have been quiet").register(registry);
        }
    }

    /** Object transfers (copies, deletes, event syncs) in flight now, and the bound they share (migration.concurrency). */
    public static void bindTransfers(MeterRegistry registry, io.github.miniomigrator.copy.TransferSlots slots) {
        Gauge.builder("migration.transfers.in.flight", slots, io.github.miniomigrator.copy.TransferSlots::inFlight)
                .description("object transfers (copies, deletes, event syncs) in flight now; at most migration.concurrency").register(registry);
        Gauge.builder("migration.transfers.limit", slots, io.github.miniomigrator.copy.TransferSlots::size)
                .description("migration.concurrency: the bound every pass and event sync of this process shares").register(registry);
    }

    /**
     * With several instances: 1 while this instance leads (publishes and closes the passes, writes their reports, runs
     * the cutover), how many stand, and the shards of shared passes this instance runs now and has finished.
     */
    public static void bindCluster(MeterRegistry registry, ZooKeeperLeadership leadership, HeldShards shards) {
        Gauge.builder("migration.cluster.leader", leadership, l -> l.leads() ? 1 : 0)
                .description("1 while this instance leads the migration: it runs the passes, their reports and the cutover").register(registry);
        Gauge.builder("migration.cluster.members", leadership, ZooKeeperLeadership::members)
                .description("instances standing in the migration's election on ZooKeeper (-1: ZooKeeper cannot say)").register(registry);
        Gauge.builder("migration.cluster.drained", leadership, l -> l.notDrained().isEmpty() ? 1 : 0)
                .description("1 when every instance of the migration is drained (what the leader's cutover waits for)").register(registry);
        Gauge.builder("migration.cluster.shards.held", shards, s -> s.held().size())
                .description("shards of the shared pass this instance runs now").register(registry);
        FunctionCounter.builder("migration.cluster.shards.done", shards, HeldShards::finished)
                .description("shards of shared passes this instance ran to their end").register(registry);
        MultiGauge held = MultiGauge.builder("migration.cluster.shard.held")
                .description("1 for each shard this instance runs now (tags: pass, shard)").register(registry);
        shards.onChange(() -> held.register(shards.held().stream().<MultiGauge.Row<?>>map(name -> MultiGauge.Row.of(
                Tags.of("pass", name.substring(0, name.indexOf('/')), "shard", name.substring(name.indexOf('/') + 1)), 1)).toList(), true));
    }

    /** kafka mode: the partitions this instance holds, and per partition the events read and not committed and those unread. */
    public static void bindKafka(MeterRegistry registry, HeldPartitions partitions) {
        Gauge.builder("migration.events.kafka.partitions", partitions, p -> p.states().size())
                .description("Kafka partitions this instance holds in its consumer group").register(registry);
        Gauge.builder("migration.events.kafka.lag", partitions, HeldPartitions::lag)
                .description("events on the broker this instance has not read yet").register(registry);
        MultiGauge uncommitted = MultiGauge.builder("migration.events.kafka.partition.uncommitted")
                .description("events read and not committed yet: another member would read them again").register(registry);
        MultiGauge lag = MultiGauge.builder("migration.events.kafka.partition.lag")
                .description("events of the partition on the broker not read yet").register(registry);
        partitions.onChange(() -> {
            List<TopicPartition> held = partitions.states().stream().map(s -> new TopicPartition(s.topic(), s.partition())).toList();
            uncommitted.register(rows(held, partitions, PartitionState::uncommitted), true);
            lag.register(rows(held, partitions, PartitionState::lag), true);
        });
    }

    private static List<MultiGauge.Row<?>> rows(List<TopicPartition> held, HeldPartitions partitions, ToLongFunction<PartitionState> value) {
        return held.stream().<MultiGauge.Row<?>>map(partition -> MultiGauge.Row.of(
                Tags.of("topic", partition.topic(), "partition", String.valueOf(partition.partition())), () -> {
                    PartitionState state = partitions.state(partition);
                    return state == null ? 0 : value.applyAsLong(state);
                })).toList();
    }

    private static void counter(MeterRegistry registry, String name, String description, PassHistory history,
            ToLongFunction<PassStats> value) {
        FunctionCounter.builder(name, history, h -> h.sum(value)).description(description).register(registry);
    }
}
