package io.github.miniomigrator.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every instance's sync status on ZooKeeper, so that "drained" can hold for the whole migration: each instance applies
 * its own events (its Kafka partitions, its webhook or listen stream) from its own queue, so the leader's own status says
 * nothing of the others'. Each instance keeps an EPHEMERAL node {@code /members/<migration name>/<member id>} (under the
 * cluster's namespace, on the election's own connection) holding its status as JSON: a Curator PersistentNode, which
 * creates it again after a session ended and deletes it when the instance stops. Its data is rewritten every second,
 * changed or not: that rewrite is the heartbeat the leader's cutover reads.
 *
 * <p>Freshness is judged on ZooKeeper's clock: a node's mtime against that of this instance's own node, written just
 * before the read, so the machines' clocks need not agree. A member whose session lives but whose status stopped
 * changing (a hung process, a stuck thread) is not drained: it may be holding events nobody else will apply.
 */
final class MemberStatuses implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberStatuses.class);
    static final String BASE_PATH = "/members";
    /** The heartbeat: a status not rewritten for {@link #STALE_AFTER_MILLIS} tells of a hung process. */
    static final long REFRESH_MILLIS = 1_000;
    private static final long CREATE_WAIT_SECONDS = 5;
    /** A status not rewritten for this long is stale: the member says nothing any more about its events. */
    static final long STALE_AFTER_MILLIS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CuratorFramework curator;
    private final String folder;
    private final String id;
    private final SyncStatus status;
    private final BooleanSupplier leads;
    private final ScheduledExecutorService publisher;
    private PersistentNode node;
    private Instant followingSince;
    private volatile String lastFailure;

    MemberStatuses(CuratorFramework curator, String name, String id, SyncStatus status, BooleanSupplier leads) {
        this.curator = curator;
        this.folder = BASE_PATH + "/" + name;
        this.id = id;
        this.status = status;
        this.leads = leads;
        this.publisher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "cluster-member-status");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start() {
        publisher.scheduleWithFixedDelay(() -> {
            try {
                publish();
                if (lastFailure != null) {
                    LOG.info("publishing this instance's sync status on ZooKeeper again");
                    lastFailure = null;
                }
            } catch (Exception e) {
                if (lastFailure == null) {
                    LOG.warn("cannot publish this instance's sync status on ZooKeeper ({}): the leader cannot cut over meanwhile", e.getMessage());
                }
                lastFailure = String.valueOf(e.getMessage());
            }
        }, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Since when this instance follows (null while it leads): a follower's quiet period counts from there. */
    private synchronized Instant followingSince() {
        if (leads.getAsBoolean()) {
            followingSince = null;
        } else if (followingSince == null) {
            followingSince = Instant.now();
        }
        return followingSince;
    }

    /** Why this instance is not drained (as a leader, or as a follower, which has no full pass of its own); null when it is. */
    String ownNotDrained() {
        return status.notDrainedBecause(followingSince());
    }

    /** Writes this instance's status; returns its node's stat, whose mtime is ZooKeeper's time of the write. */
    synchronized Stat publish() throws Exception {
        byte[] data = statusJson();
        String path = folder + "/" + id;
        if (node == null) {
            PersistentNode created = new PersistentNode(curator, CreateMode.EPHEMERAL, false, path, data);
            created.start();
            if (!created.waitForInitialCreate(CREATE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                created.close();
                throw new IllegalStateException("its node " + path + " was not created within " + CREATE_WAIT_SECONDS + " s");
            }
            node = created;
        } else {
            node.setData(data); // sent at once in the background; the recipe keeps it to create the node again with
        }
        // ZooKeeper answers one session's requests in order: this read sees the write above, and its time
        Stat stat = new Stat();
        curator.getData().storingStatIn(stat).forPath(node.getActualPath());
        return stat;
    }

    private byte[] statusJson() throws Exception {
        Instant following = followingSince();
        String why = status.notDrainedBecause(following);
        ObjectNode json = JSON.createObjectNode();
        json.put("member", id);
        json.put("role", following == null ? "leader" : "follower");
        json.put("pending", status.getPending());
        json.put("unread", status.getUnreadEvents());
        json.put("oldestPendingSeconds", Math.round(status.getOldestPendingSeconds()));
        json.put("fullPassDone", status.isFullPassDone());
        json.put("following", following != null);
        json.put("connected", status.isConnected());
        json.put("secondsSinceLastEvent", status.secondsSinceLastEvent());
        json.put("drained", why == null);
        json.put("notDrained", why == null ? "" : why);
        json.put("updated", Instant.now().toString());
        status.partitions().ifPresent(held -> {
            held.numbers().forEach(json.putArray("partitions")::add);
            json.put("topicPartitions", held.topicPartitions());
        });
        return JSON.writeValueAsBytes(json);
    }

    /**
     * The instances that are not drained, each with why, this one first; empty when all are. An instance standing in
     * the election without a status, one whose status is stale and one that is unreadable count as not drained. In kafka
     * mode the drained instances must hold every partition of the topic between them: while the group rebalances a
     * partition is held by none, and its unread events are nobody's.
     *
     * @param participants the member ids standing in the election
     */
    List<String> notDrained(Collection<String> participants) {
        List<String> notDrained = new ArrayList<>();
        String own = ownNotDrained();
        if (own != null) {
            notDrained.add("this instance (" + id + "): " + own);
        }
        Set<String> unseen = new TreeSet<>(participants);
        unseen.remove(id);
        Set<Integer> held = new TreeSet<>(status.partitions().map(HeldPartitions::numbers).orElse(List.of()));
        int topicPartitions = status.partitions().map(HeldPartitions::topicPartitions).orElse(-1);
        try {
            long now = publish().getMtime();
            List<String> members = new ArrayList<>(curator.getChildren().forPath(folder));
            members.sort(null);
            for (String member : members) {
                unseen.remove(member);
                if (member.equals(id)) {
                    continue;
                }
                Stat stat = new Stat();
                byte[] data;
                try {
                    data = curator.getData().storingStatIn(stat).forPath(folder + "/" + member);
                } catch (KeeperException.NoNodeException e) {
                    continue; // it left meanwhile: its session ended
                }
                JsonNode node = parsed(data);
                String why = memberNotDrained(node, now - stat.getMtime());
                if (why != null) {
                    notDrained.add(member + ": " + why);
                } else {
                    node.path("partitions").forEach(partition -> held.add(partition.asInt()));
                    topicPartitions = Math.max(topicPartitions, node.path("topicPartitions").asInt(-1));
                }
            }
        } catch (Exception e) {
            notDrained.add("ZooKeeper cannot say which instances are drained (" + e.getMessage() + ")");
            return notDrained;
        }
        for (String member : unseen) {
            notDrained.add(member + ": stands in the election but has published no sync status");
        }
        if (notDrained.isEmpty() && topicPartitions > 0) {
            List<Integer> missing = HeldPartitions.missing(held, topicPartitions);
            if (!missing.isEmpty()) {
                notDrained.add("partition(s) " + missing + " of the topic's " + topicPartitions + " are held by no instance: the consumer "
                        + "group is rebalancing (or a consumer outside this cluster holds them)");
            }
        }
        return notDrained;
    }

    private static JsonNode parsed(byte[] data) {
        try {
            return JSON.readTree(new String(data, StandardCharsets.UTF_8));
        } catch (Exception e) {
            return null;
        }
    }

    private static String memberNotDrained(JsonNode node, long ageMillis) {
        if (ageMillis > STALE_AFTER_MILLIS) {
            return "has not reported for " + ageMillis / 1000 + " s (its process may hang; its events wait)";
        }
        if (node == null || !node.path("drained").isBoolean()) {
            return "its sync status is unreadable";
        }
        if (node.path("drained").asBoolean()) {
            return null;
        }
        String why = node.path("notDrained").asText("");
        return node.path("role").asText("?") + ", " + (why.isEmpty() ? "not drained" : why);
    }

    /** Stops the heartbeat and deletes this instance's node: the leader no longer waits on it. */
    @Override
    public void close() {
        publisher.shutdownNow();
        try {
            publisher.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (node != null) {
                try {
                    node.close();
                } catch (Exception e) {
                    LOG.debug("deleting this instance's status node: {}", e.getMessage()); // it goes with the session anyway
                }
                node = null;
            }
        }
    }
}
