package io.github.miniomigrator.observe;

import io.github.miniomigrator.cluster.HeldShards;
import io.github.miniomigrator.cluster.ZooKeeperLeadership;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.events.kafka.PartitionState;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** /observe/health: the source and every target bucket answer, the event stream is connected, the lag is within bounds. */
public final class MigrationHealthChecks {
    private MigrationHealthChecks() {
    }

    public static void register(CamelContext context, SourceStore source, TargetStore target, List<BucketMapping> mappings,
            SyncStatus status, Duration maxLag) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            throw new IllegalStateException("Camel's health check registry is not enabled (camel.health.enabled)");
        }
        registry.register(new Check("migration-source", builder -> {
            for (BucketMapping mapping : mappings) {
                source.checkReadable(mapping.sourceBucket());
            }
        }));
        registry.register(new Check("migration-target", builder -> {
            for (BucketMapping mapping : mappings) {
                target.list(mapping.targetBucket(), mapping.targetPrefix()).hasNext();
            }
        }));
        if (status != null) {
            registry.register(new Check("migration-events", builder -> {
                if (!status.isConnected()) {
                    throw new IllegalStateException("the MinIO event stream is not connected (reconnecting)");
                }
                if (status.getLagSeconds() > maxLag.toSeconds()) {
                    String why = status.notDrainedBecause(null);
                    throw new IllegalStateException(String.format(Locale.ROOT, "the oldest change not converged waits %.0f s, more than %d s%s",
                            status.getLagSeconds(), maxLag.toSeconds(), why == null ? "" : " (" + why + ")"));
                }
                builder.detail("pending", status.getPending());
                builder.detail("owed", status.getKeysOwed());
                builder.detail("deletesHeld", status.getDeletesHeld());
                builder.detail("lagSeconds", Math.round(status.getLagSeconds()));
                builder.detail("drained", status.isDrained());
            }));
        }
    }

    /**
     * kafka mode: which partitions this instance holds, and per partition the offset committed, the events read and
     * not committed, those unread on the broker (lag) and those waiting for their keys to converge; down while it is
     * no member of its consumer group.
     */
    public static void registerKafka(CamelContext context, HeldPartitions partitions, String group) {
        HealthCheckRegistry.get(context).register(new Check("migration-kafka", builder -> {
            if (!partitions.member()) {
                throw new IllegalStateException("not a member of Kafka consumer group " + group
                        + " (joining, or the brokers are unreachable: check migration.events.kafka.brokers)");
            }
            List<PartitionState> states = partitions.states();
            builder.detail("partitions", states.stream().map(PartitionState::name).collect(Collectors.joining(",")));
            builder.detail("lag", partitions.lag());
            for (PartitionState state : states) {
                builder.detail(state.name(), String.format(Locale.ROOT, "committed %d, uncommitted %d, lag %d, waiting %d",
                        state.committed(), state.uncommitted(), state.lag(), state.waiting()));
            }
        }));
    }

    /**
     * With several instances: whether this one leads (and so runs the passes, reports and cutover), the leader's id, how
     * many stand in the election, whether every instance is drained (which ones are not, and why), the shards of shared
     * passes it runs now and how many it finished; down while ZooKeeper is out of reach, when this instance cannot lead.
     */
    public static void registerCluster(CamelContext context, ZooKeeperLeadership leadership, HeldShards shards) {
        HealthCheckRegistry.get(context).register(new Check("migration-cluster", builder -> {
            if (!leadership.connected()) {
                throw new IllegalStateException("not connected to ZooKeeper (reconnecting): this instance cannot lead migration '"
                        + leadership.name() + "' until it is back; its events still sync");
            }
            builder.detail("cluster", leadership.name());
            builder.detail("member", leadership.id());
            builder.detail("leader", leadership.leads());
            builder.detail("leaderId", leadership.leaderId().orElse(""));
            builder.detail("members", leadership.members());
            // each instance applies its own events: the cutover waits until every one is drained
            List<String> notDrained = leadership.notDrained();
            builder.detail("drained", notDrained.isEmpty());
            builder.detail("notDrained", String.join("; ", notDrained));
            builder.detail("shards", String.join(",", shards.held()));
            builder.detail("shardsDone", shards.finished());
        }));
    }

    @FunctionalInterface
    interface Probe {
        void check(HealthCheckResultBuilder builder) throws Exception;
    }

    /** Up when the probe returns; down with the reason (never a secret: store errors are described by code) when it throws. */
    private static final class Check extends AbstractHealthCheck {
        private final Probe probe;

        Check(String id, Probe probe) {
            super("migration", id);
            this.probe = probe;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            try {
                probe.check(builder);
                builder.up();
            } catch (Exception e) {
                builder.message(StoreException.describe(e)).down();
            }
        }

        @Override
        public boolean isLiveness() {
            return false; // a store that is down makes the tool not ready; it is still alive and retrying
        }
    }
}
