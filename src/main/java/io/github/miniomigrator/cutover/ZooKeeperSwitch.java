package io.github.miniomigrator.cutover;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Stat;

/**
 * Reads and writes the application's settings in ZooKeeper: every change of a cutover or rollback in one multi()
 * transaction (all or none, with each node's version checked), PERSISTENT nodes, digest auth when given. camel-zookeeper
 * has no multi-op and creates EPHEMERAL nodes by default, so the ZooKeeper client it brings is used directly.
 */
public final class ZooKeeperSwitch implements AutoCloseable {
    /** Replaced by a new connection when one is lost during a transaction: what follows reads and writes through that. */
    private ZooKeeper zk;
    private final boolean authenticated;
    private final String connect;
    private final String digestAuth;

    /** The connection was lost during the transaction and a new one could not tell whether it applied. */
    public static final class OutcomeUnknownException extends Exception {
        OutcomeUnknownException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The connection was lost during the transaction and a new one read every node back holding its old value. */
    public static final class NotAppliedException extends Exception {
        NotAppliedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * What a transaction left: the nodes it created (parents included), for a rollback to remove; and, when the connection
     * was lost during it and a new one read every node back holding its new value, why it was lost (else null).
     */
    public record Applied(List<String> created, String connectionLost) {
    }

    /** A cutover record's node: created in the switch's transaction, removed in the rollback's. */
    public record RecordNode(String node, byte[] data) {
    }

    /** The state of one node before the change, and what it will hold after. */
    public record NodeChange(String node, boolean existed, byte[] before, int version, byte[] after) {
    }

    public ZooKeeperSwitch(String connect, String digestAuth) throws Exception {
        this.connect = connect;
        this.digestAuth = digestAuth;
        this.authenticated = digestAuth != null && !digestAuth.isEmpty();
        this.zk = connect(connect, digestAuth);
    }

    private static ZooKeeper connect(String connect, String digestAuth) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper client = new ZooKeeper(connect, 15_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(15, TimeUnit.SECONDS)) {
            client.close();
            throw new IllegalStateException("cannot reach ZooKeeper at " + connect + " within 15 s: check migration.cutover.zookeeper");
        }
        if (digestAuth != null && !digestAuth.isEmpty()) {
            client.addAuthInfo("digest", digestAuth.getBytes(StandardCharsets.UTF_8));
        }
        return client;
    }

    /** What the plan changes, node by node, read from ZooKeeper now. */
    public List<NodeChange> changes(CutoverPlan plan, String layout) throws Exception {
        List<NodeChange> changes = new ArrayList<>();
        if (layout.equals("node-per-key")) {
            for (CutoverPlan.Entry entry : plan.entries()) {
                changes.add(change(entry.path() + "/" + entry.key(), current -> entry.value().getBytes(StandardCharsets.UTF_8)));
            }
        } else {
            for (String path : plan.paths()) {
                Map<String, String> values = new LinkedHashMap<>();
                plan.entries().stream().filter(e -> e.path().equals(path)).forEach(e -> values.put(e.key(), e.value()));
                changes.add(change(path, current -> PropertiesNode.update(current, values)));
            }
        }
        return changes;
    }

    private NodeChange change(String node, java.util.function.UnaryOperator<byte[]> update) throws Exception {
        Stat stat = new Stat();
        try {
            byte[] data = zk.getData(node, false, stat);
            byte[] before = data == null ? new byte[0] : data;
            return new NodeChange(node, true, before, stat.getVersion(), update.apply(before));
        } catch (KeeperException.NoNodeException e) {
            return new NodeChange(node, false, null, -1, update.apply(new byte[0]));
        }
    }

    /**
     * Writes every change in one transaction: a node changed since it was read, or one the ACL forbids, fails the whole
     * transaction and nothing is written. A lost connection is settled by reading the nodes back on a new one: all new
     * is applied, all old throws {@link NotAppliedException}, anything else {@link OutcomeUnknownException}.
     */
    public Applied apply(List<NodeChange> changes) throws Exception {
        return apply(changes, List.of());
    }

    /**
     * The same, creating the cutover's record nodes in the same transaction: the switch and its record are one fact.
     * Their parents are created before (empty and shared between cutovers, a rollback leaves them); a record node that
     * exists already fails the transaction.
     */
    public Applied apply(List<NodeChange> changes, List<RecordNode> records) throws Exception {
        return apply(changes, records, List.of());
    }

    /** The same, deleting {@code deletes} in the transaction too (each must exist, or nothing applies). */
    public Applied apply(List<NodeChange> changes, List<RecordNode> records, List<String> deletes) throws Exception {
        List<Op> ops = new ArrayList<>();
        for (String node : deletes) {
            ops.add(Op.delete(node, -1));
        }
        Set<String> created = new LinkedHashSet<>();
        List<ACL> acl = authenticated ? ZooDefs.Ids.CREATOR_ALL_ACL : ZooDefs.Ids.OPEN_ACL_UNSAFE;
        for (RecordNode record : records) {
            for (String parent : parents(record.node())) {
                try {
                    zk.create(parent, new byte[0], acl, CreateMode.PERSISTENT);
                } catch (KeeperException.NodeExistsException e) {
                    // made by an earlier cutover
                }
            }
            ops.add(Op.create(record.node(), record.data(), acl, CreateMode.PERSISTENT));
        }
        for (NodeChange change : changes) {
            if (change.existed()) {
                ops.add(Op.setData(change.node(), change.after(), change.version()));
            } else {
                for (String parent : parents(change.node())) {
                    if (!created.contains(parent) && zk.exists(parent, false) == null) {
                        ops.add(Op.create(parent, new byte[0], acl, CreateMode.PERSISTENT));
                        created.add(parent);
                    }
                }
                ops.add(Op.create(change.node(), change.after(), acl, CreateMode.PERSISTENT));
                created.add(change.node());
            }
        }
        try {
            zk.multi(ops);
        } catch (KeeperException.ConnectionLossException | KeeperException.SessionExpiredException | KeeperException.OperationTimeoutException e) {
            // the transaction may or may not have been applied: a new connection reads what the nodes hold
            if (!appliedAfterLoss(changes, e)) {
                throw new NotAppliedException(e.getMessage(), e);
            }
            return new Applied(List.copyOf(created), e.getMessage());
        }
        return new Applied(List.copyOf(created), null);
    }

    /**
     * Whether every node holds its new value (applied) or every one its old (not): a multi is all or none. Read on a new
     * connection, which also serves what follows (the read-back, the backup): the old session may be expired. The server
     * it reaches first catches up with the leader (sync), so a follower that has not yet seen the transaction cannot
     * answer "old" for it.
     */
    private boolean appliedAfterLoss(List<NodeChange> changes, KeeperException lost) throws OutcomeUnknownException {
        boolean allNew = true;
        boolean allOld = true;
        try {
            // the old session is closed first where it can still reach a server: a session ended cannot apply anything later
            zk.close(1_000);
            zk = connect(connect, digestAuth);
            for (NodeChange change : changes) {
                sync(change.node());
                byte[] now = read(change.node());
                allNew &= Arrays.equals(now, change.after());
                allOld &= Arrays.equals(now, change.existed() ? change.before() : null);
            }
        } catch (Exception e) {
            throw new OutcomeUnknownException(lost.getMessage(), e);
        }
        if (allNew) {
            return true;
        }
        if (allOld) {
            return false;
        }
        throw new OutcomeUnknownException(lost.getMessage() + "; the nodes hold neither all old nor all new values", null);
    }

    /** Waits until the server this connection reaches has applied everything the leader had committed. */
    private void sync(String node) throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        zk.sync(node, (rc, path, context) -> done.complete(rc), null);
        int rc = done.get(15, TimeUnit.SECONDS);
        if (rc != KeeperException.Code.OK.intValue() && rc != KeeperException.Code.NONODE.intValue()) {
            throw KeeperException.create(KeeperException.Code.get(rc), node);
        }
    }

    /** Puts every node back as the backup recorded it, in one transaction; removes the nodes the cutover created. */
    public void restore(List<NodeChange> recorded, List<String> created) throws Exception {
        restore(recorded, created, List.of());
    }

    /** The same, removing the cutover's record nodes (those that still exist) in the same transaction. */
    public void restore(List<NodeChange> recorded, List<String> created, List<String> records) throws Exception {
        List<Op> ops = new ArrayList<>();
        for (String record : records) {
            if (zk.exists(record, false) != null) {
                ops.add(Op.delete(record, -1));
            }
        }
        for (NodeChange change : recorded) {
            if (change.existed()) {
                ops.add(Op.setData(change.node(), change.before(), -1));
            }
        }
        List<String> remove = new ArrayList<>(created);
        java.util.Collections.reverse(remove);
        for (String node : remove) {
            if (zk.exists(node, false) != null) {
                ops.add(Op.delete(node, -1));
            }
        }
        zk.multi(ops);
    }

    public byte[] read(String node) throws Exception {
        try {
            return zk.getData(node, false, null);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    /** Creates a node of the given mode (its missing parents persistent and empty); the path created (sequential: numbered). */
    public String create(String node, byte[] data, CreateMode mode) throws Exception {
        List<ACL> acl = authenticated ? ZooDefs.Ids.CREATOR_ALL_ACL : ZooDefs.Ids.OPEN_ACL_UNSAFE;
        for (String parent : parents(node)) {
            try {
                zk.create(parent, new byte[0], acl, CreateMode.PERSISTENT);
            } catch (KeeperException.NodeExistsException e) {
                // there already
            }
        }
        return zk.create(node, data, acl, mode);
    }

    /** Replaces a node's data whatever its version. */
    public void write(String node, byte[] data) throws Exception {
        zk.setData(node, data, -1);
    }

    /** Deletes a node if it exists. */
    public void delete(String node) throws Exception {
        try {
            zk.delete(node, -1);
        } catch (KeeperException.NoNodeException e) {
            // gone already
        }
    }

    /** Lets the server this connection reaches catch up with the leader before the next read (as a fresh client must). */
    public void catchUp(String node) throws Exception {
        sync(node);
    }

    /** The names of a node's children; none when it does not exist. */
    public List<String> children(String node) throws Exception {
        try {
            return zk.getChildren(node, false);
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        }
    }

    /** Reads every node back and names the first that does not hold what was written. */
    public void checkReadBack(List<NodeChange> changes, boolean after) throws Exception {
        for (NodeChange change : changes) {
            byte[] expected = after ? change.after() : change.before();
            byte[] actual = read(change.node());
            if (!Arrays.equals(expected, actual)) {
                throw new IllegalStateException("read-back of " + change.node() + " does not match what was written");
            }
        }
    }

    private static List<String> parents(String node) {
        List<String> parents = new ArrayList<>();
        int slash = node.indexOf('/', 1);
        while (slash > 0) {
            parents.add(node.substring(0, slash));
            slash = node.indexOf('/', slash + 1);
        }
        return parents;
    }

    @Override
    public void close() throws InterruptedException {
        zk.close();
    }
}
