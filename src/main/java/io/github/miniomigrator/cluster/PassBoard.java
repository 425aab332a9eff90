package io.github.miniomigrator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The books of the passes several instances share, kept in ZooKeeper beside the election, under
 * /[chroot/]minio-migrator/passes/NAME:
 * <pre>
 *   pass-0000000007                 PERSISTENT_SEQUENTIAL, {kind, term, leader, started, mappings}
 *     shards/&lt;m&gt;-&lt;n&gt;               {mapping, buckets, shard}           written by the leader, then
 *     ready                         the number of shards               written last: workers ignore a pass without it
 *     claims/&lt;m&gt;-&lt;n&gt;               EPHEMERAL, the member running it   vanishes with the member's session
 *     done/&lt;m&gt;-&lt;n&gt;                 {member, clean, extras}
 *     tallies/&lt;member&gt;-NNNNNNNNNN     PERSISTENT_SEQUENTIAL, one batch's counts
 *     finished                      written by the leader once the pass is over
 * </pre>
 * A batch's tally, its done nodes and the removal of its claims are one transaction, written only while none of its
 * shards is done: once every shard is done, every tally is there to be added up, and each shard is in exactly one.
 * Who waits on the board is woken by its changes ({@link BoardChanges}) instead of reading it again and again.
 */
public final class PassBoard {
    /** Finished passes kept for operators to look at; older ones are deleted. */
    static final int KEPT_FINISHED = 2;
    /** Nodes written per transaction when a pass is published. */
    private static final int OPS_PER_TRANSACTION = 200;
    /** Waiters read the board at least this often without a change: a watch may be missed (see {@link BoardChanges}). */
    static final long FALLBACK_POLL_MILLIS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a pass is: written by its leader, read by operators and by a leader adopting it. */
    public record PassInfo(String kind, long term, String leader, String started, List<String> mappings) {
    }

    private final CuratorFramework curator;
    private final String root;
    private final BoardChanges changes;

    public PassBoard(CuratorFramework curator, String migrationName) {
        this(curator, migrationName, FALLBACK_POLL_MILLIS);
    }

    PassBoard(CuratorFramework curator, String migrationName, long fallbackPollMillis) {
        this.curator = curator;
        this.root = "/passes/" + migrationName;
        this.changes = new BoardChanges(curator, root, fallbackPollMillis);
    }

    /** Starts watching the board for its waiters; closing the answer stops it (waiters then look every quarter second). */
    public AutoCloseable watch() {
        changes.start();
        return changes;
    }

    /** The board's changes seen so far: taken before reading the board, then given to {@link #awaitChange}. */
    public long seen() {
        return changes.seen();
    }

    /**
     * Waits until the board changed after {@code seen}, a fallback poll is due or {@code goOn} turns false.
     * @return whether it changed
     */
    public boolean awaitChange(long seen, BooleanSupplier goOn) throws InterruptedException {
        return changes.awaitAfter(seen, goOn);
    }

    /** Whether the watch has read the board once and now reports its changes (before that, and closed, waiters poll). */
    boolean watching() {
        return changes.watching();
    }

    /** Wakes the waiters without a change on the board: they should look again now (a reconnection, a stop). */
    public void wake() {
        changes.changed();
    }

    /** Writes a pass with its shards, `ready` last, and returns its id. */
    public String publish(PassInfo info, List<PlannedShard> shards) throws Exception {
        String path = curator.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
                .forPath(root + "/pass-", json(info));
        String id = path.substring(path.lastIndexOf('/') + 1);
        List<CuratorOp> ops = new ArrayList<>();
        for (String folder : List.of("shards", "claims", "done", "tallies")) {
            ops.add(curator.transactionOp().create().forPath(path + "/" + folder));
        }
        for (PlannedShard shard : shards) {
            ops.add(curator.transactionOp().create().forPath(path + "/shards/" + shard.name(), json(shard)));
            if (ops.size() == OPS_PER_TRANSACTION) {
                curator.transaction().forOperations(ops);
                ops = new ArrayList<>();
            }
        }
        ops.add(curator.transactionOp().create().forPath(path + "/ready", String.valueOf(shards.size()).getBytes(StandardCharsets.UTF_8)));
        curator.transaction().forOperations(ops);
        return id;
    }

    /** The passes, oldest first. */
    public List<String> passes() throws Exception {
        try {
            return curator.getChildren().forPath(root).stream().sorted().toList();
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    /**
     * Passes whose shards may be run: ready and not finished, oldest first. "finished" is read before "ready": an old
     * pass being deleted loses "ready" first, so it never looks open half way (read the other way round, it did, and a
     * worker woken by that very deletion read its books as they went).
     */
    public List<String> open() throws Exception {
        List<String> open = new ArrayList<>();
        for (String id : passes()) {
            if (!exists(id, "finished") && exists(id, "ready")) {
                open.add(id);
            }
        }
        return open;
    }

    /** Deletes the passes a leader died writing (never ready, never finished): a new leader plans its pass anew. */
    public void dropUnready() throws Exception {
        for (String id : passes()) {
            if (!exists(id, "ready") && !exists(id, "finished")) {
                deleteQuietly(root + "/" + id);
            }
        }
    }

    public PassInfo info(String id) throws Exception {
        return read(root + "/" + id, PassInfo.class);
    }

    /** How many shards a ready pass has. */
    public int shardCount(String id) throws Exception {
        return Integer.parseInt(new String(curator.getData().forPath(root + "/" + id + "/ready"), StandardCharsets.UTF_8).trim());
    }

    /** Every shard of a pass, ordered by mapping and number. */
    public List<PlannedShard> shards(String id) throws Exception {
        List<PlannedShard> shards = new ArrayList<>();
        for (String name : curator.getChildren().forPath(root + "/" + id + "/shards").stream().sorted(PlannedShard::compareNames).toList()) {
            shards.add(read(root + "/" + id + "/shards/" + name, PlannedShard.class));
        }
        return shards;
    }

    public Set<String> claimed(String id) throws Exception {
        return new TreeSet<>(curator.getChildren().forPath(root + "/" + id + "/claims"));
    }

    public Set<String> doneNames(String id) throws Exception {
        return new TreeSet<>(curator.getChildren().forPath(root + "/" + id + "/done"));
    }

    public Map<String, ShardDone> done(String id) throws Exception {
        Map<String, ShardDone> done = new HashMap<>();
        for (String name : sortedChildren(id, "done")) {
            done.put(name, read(root + "/" + id + "/done/" + name, ShardDone.class));
        }
        return done;
    }

    public List<BatchTally> tallies(String id) throws Exception {
        List<BatchTally> tallies = new ArrayList<>();
        for (String name : sortedChildren(id, "tallies")) {
            tallies.add(read(root + "/" + id + "/tallies/" + name, BatchTally.class));
        }
        return tallies;
    }

    /**
     * Claims a shard for this member (an ephemeral node: it vanishes with the member's session). False when another
     * member holds it, or when it was done meanwhile: a claim taken after a done node was written sees that node.
     */
    public boolean claim(String id, String shard, String member) throws Exception {
        String claim = root + "/" + id + "/claims/" + shard;
        try {
            curator.create().withMode(CreateMode.EPHEMERAL).forPath(claim, member.getBytes(StandardCharsets.UTF_8));
        } catch (KeeperException.NodeExistsException e) {
            return false;
        }
        if (exists(id, "done/" + shard)) {
            deleteQuietly(claim);
            return false;
        }
        return true;
    }

    /**
     * Records a finished batch: its tally, a done node per shard, its claims removed — in one transaction, so a shard
     * is done exactly when one tally counts it. A batch's counts cannot be split by shard: should any of its shards be
     * done already (its claim vanished with an expired session and another member ran the shard too, or this record was
     * sent before and its answer lost), nothing is written — the shard's first record counts it, a second tally would
     * count it twice — and the batch's claims are given up, so its shards not done yet run again in another batch,
     * which counts them.
     *
     * @param done per shard of the batch, what its done node says
     * @return whether the batch's shards are recorded done as it ran them (now, or by an earlier send of this record);
     *     false: some of them were recorded by another run, and this batch counts nothing
     */
    public boolean complete(String id, Map<String, ShardDone> done, BatchTally tally, String member) throws Exception {
        String pass = root + "/" + id;
        List<String> shards = List.copyOf(done.keySet());
        for (int attempt = 1; ; attempt++) {
            List<CuratorOp> ops = new ArrayList<>();
            ops.add(curator.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL).forPath(tallyPrefix(pass, member), json(tally)));
            for (String shard : shards) {
                ops.add(curator.transactionOp().create().forPath(pass + "/done/" + shard, json(done.get(shard))));
            }
            ops.addAll(ownClaimDeletes(pass, shards));
            try {
                curator.transaction().forOperations(ops);
                return true;
            } catch (KeeperException.NodeExistsException e) {
                release(id, shards);
                return recordedBefore(pass, done);
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
                // a claim of ours vanished or changed between the look and the transaction: look again
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Whether every shard of the batch is recorded done as this batch would record it: an earlier send of this record landed. */
    private boolean recordedBefore(String pass, Map<String, ShardDone> done) throws Exception {
        for (Map.Entry<String, ShardDone> shard : done.entrySet()) {
            try {
                if (!read(pass + "/done/" + shard.getKey(), ShardDone.class).equals(shard.getValue())) {
                    return false;
                }
            } catch (KeeperException.NoNodeException e) {
                return false;
            }
        }
        return true;
    }

    /** Deletes of the batch's claims this session holds (one whose session expired is gone, or another member's now). */
    private List<CuratorOp> ownClaimDeletes(String pass, List<String> shards) throws Exception {
        long session = sessionId();
        List<CuratorOp> ops = new ArrayList<>();
        for (String shard : shards) {
            String claim = pass + "/claims/" + shard;
            Stat stat = curator.checkExists().forPath(claim);
            if (stat != null && stat.getEphemeralOwner() == session) {
                ops.add(curator.transactionOp().delete().withVersion(stat.getVersion()).forPath(claim));
            }
        }
        return ops;
    }

    private static String tallyPrefix(String pass, String member) {
        return pass + "/tallies/" + member.replaceAll("[^A-Za-z0-9_.:#-]", "_") + "-";
    }

    /**
     * Gives up this session's claims (a stopped batch): another member runs those shards. A claim another session
     * holds now (this one's vanished and was taken again) is left alone.
     */
    public void release(String id, List<String> shards) throws Exception {
        long session = sessionId();
        for (String shard : shards) {
            String claim = root + "/" + id + "/claims/" + shard;
            try {
                Stat stat = curator.checkExists().forPath(claim);
                if (stat != null && stat.getEphemeralOwner() == session) {
                    curator.delete().withVersion(stat.getVersion()).forPath(claim);
                }
            } catch (KeeperException.NoNodeException e) {
                // vanished with the session already
            }
        }
    }

    /** Marks a pass finished and deletes all but the last few finished passes. */
    public void finish(String id, String result) throws Exception {
        try {
            curator.create().forPath(root + "/" + id + "/finished", result.getBytes(StandardCharsets.UTF_8));
        } catch (KeeperException.NodeExistsException e) {
            // finished already by a leader that lost the lead just after
        }
        List<String> finished = new ArrayList<>();
        for (String pass : passes()) {
            if (exists(pass, "finished")) {
                finished.add(pass);
            }
        }
        for (String old : finished.subList(0, Math.max(0, finished.size() - KEPT_FINISHED))) {
            deleteFinished(old);
        }
    }

    /**
     * Deletes a finished pass so that, cut off half way (the leader's session lost between two deletes), it can never
     * look open: "ready" goes first. A recursive delete takes the children in ZooKeeper's order, and one that removed
     * "finished" before "ready" and then stopped left a pass that was ready and unfinished, with its shards and books
     * gone — the next leader adopted it and waited for it forever (seen in CI: ClusterLeaderIT). Without "ready" what is
     * left is dropped by the next leader as never ready ({@link #dropUnready}).
     */
    private void deleteFinished(String id) throws Exception {
        deleteQuietly(root + "/" + id + "/ready");
        deleteQuietly(root + "/" + id);
    }

    public boolean finished(String id) throws Exception {
        return exists(id, "finished");
    }

    /** The ZooKeeper session now: claims taken in an earlier session are gone. */
    public long sessionId() throws Exception {
        return curator.getZookeeperClient().getZooKeeper().getSessionId();
    }

    private boolean exists(String id, String child) throws Exception {
        return curator.checkExists().forPath(root + "/" + id + "/" + child) != null;
    }

    private List<String> sortedChildren(String id, String folder) throws Exception {
        return curator.getChildren().forPath(root + "/" + id + "/" + folder).stream().sorted().toList();
    }

    private void deleteQuietly(String path) throws Exception {
        try {
            curator.delete().deletingChildrenIfNeeded().forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // gone already
        }
    }

    private <T> T read(String path, Class<T> type) throws Exception {
        return JSON.readValue(curator.getData().forPath(path), type);
    }

    private static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
