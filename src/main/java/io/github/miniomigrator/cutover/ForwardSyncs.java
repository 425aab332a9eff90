package io.github.miniomigrator.cutover;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.zookeeper.CreateMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The forward syncs alive on the cutover's ZooKeeper, so that a cutover can shut every one of them before its final
 * verify, wherever they run (the instances of a cluster, a `run` left running in another terminal):
 * <ul>
 * <li>each `run` registers an ephemeral node under {@code <record-path>/syncs} naming its mappings, and looks every
 * quarter second for a cutover closing them ({@code <record-path>/closing/<target>}, ephemeral, the cutover's) or one
 * recorded ({@code <record-path>/records/<target>});</li>
 * <li>on a closing cutover it shuts its forward gate — waiting until its writes in flight have been answered — and says so
 * in its node ({@code "shut": true}); when the closing node goes without a record (the cutover was refused, failed or
 * died) it opens the gate again;</li>
 * <li>the cutover waits until every registered sync of its mappings says it is shut, then verifies; its transaction
 * creates the records and deletes the closing nodes with the application's settings, all or none;</li>
 * <li>on a record the run stops its forward sync for good.</li>
 * </ul>
 * A `run` registers and looks once before it writes anything, so one started while a cutover closes is shut too.
 */
public final class ForwardSyncs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ForwardSyncs.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration EVERY = Duration.ofMillis(250);

    /** What a registered sync publishes. */
    public record Member(List<BucketMapping> mappings, String host, boolean shut) {
    }

    private final Settings settings;
    private final List<BucketMapping> mappings;
    private final ForwardGate gate;
    private final Consumer<CutoverRecord> recorded;
    private final String root;
    private final String connect;
    private final Thread thread;
    private volatile boolean closed;
    private ZooKeeperSwitch zk;
    private String node;
    private boolean shutHere;

    private ForwardSyncs(Settings settings, List<BucketMapping> mappings, ForwardGate gate, Consumer<CutoverRecord> recorded) {
        this.settings = settings;
        this.mappings = mappings;
        this.gate = gate;
        this.recorded = recorded;
        this.root = CutoverRecords.root(settings);
        this.connect = settings.get(Setting.CUTOVER_ZOOKEEPER);
        this.thread = new Thread(this::watch, "forward-sync-watch");
        this.thread.setDaemon(true);
    }

    /**
     * Registers this run's forward sync and looks once (a cutover closing or recorded is acted on before this returns),
     * then keeps looking; empty where migration.cutover.zookeeper is not set (no cutover can be seen then).
     * @param recorded told once when a cutover of these mappings is recorded (the gate is shut by then)
     */
    public static Optional<ForwardSyncs> register(Settings settings, List<BucketMapping> mappings, ForwardGate gate,
            Consumer<CutoverRecord> recorded) throws Exception {
        if (settings.get(Setting.CUTOVER_ZOOKEEPER).isEmpty()) {
            return Optional.empty();
        }
        ForwardSyncs syncs = new ForwardSyncs(settings, mappings, gate, recorded);
        try {
            syncs.connect();
            syncs.zk.catchUp("/");
            if (syncs.look()) {
                syncs.thread.start();
            }
        } catch (Exception e) {
            syncs.close();
            throw new IllegalStateException("cannot register this run's forward sync in ZooKeeper at " + syncs.connect + " ("
                    + e.getMessage() + "): a cutover could not shut it. Check " + Setting.CUTOVER_ZOOKEEPER.key() + ".", e);
        }
        return Optional.of(syncs);
    }

    static String syncs(String root) {
        return root + "/syncs";
    }

    static String closing(String root) {
        return root + "/closing";
    }

    private void connect() throws Exception {
        zk = new ZooKeeperSwitch(connect, settings.get(Setting.CUTOVER_AUTH));
        node = zk.create(syncs(root) + "/sync-", member(false), CreateMode.EPHEMERAL_SEQUENTIAL);
        shutHere = false;
    }

    private byte[] member(boolean shut) throws Exception {
        return JSON.writeValueAsBytes(new Member(mappings, hostName(), shut));
    }

    /** One look: acts on a record or a closing cutover. @return false once a record ended the forward sync */
    private boolean look() throws Exception {
        Optional<CutoverRecords.Found> found = CutoverRecords.inZooKeeper(zk, root, mappings);
        if (found.isPresent()) {
            CutoverRecord record = found.get().record();
            gate.shut("the application writes to the target since the cutover at " + record.at(), Duration.ZERO);
            LOG.warn("{}", found.get().refusal(io.github.miniomigrator.i18n.Messages.text("cli.subject.forward-sync")));
            recorded.accept(record);
            return false;
        }
        boolean closingNow = !closingCutovers(zk, root, mappings).isEmpty();
        if (closingNow && !shutHere) {
            LOG.info("a cutover of these mappings is closing the forward syncs: no more writes to the target from here");
            // waits until every write in flight has been answered: only then may the cutover verify
            while (!gate.shut("a cutover is switching the application to the target", Duration.ofSeconds(1))) {
                if (closed) {
                    return false;
                }
            }
            zk.write(node, member(true));
            shutHere = true;
        } else if (!closingNow && shutHere) {
            LOG.info("the cutover that closed the forward syncs did not switch: writing to the target again");
            zk.write(node, member(false));
            gate.open();
            shutHere = false;
        }
        return true;
    }

    private void watch() {
        boolean warned = false;
        while (!closed) {
            try {
                Thread.sleep(EVERY.toMillis());
                if (zk == null) {
                    connect();
                }
                if (!look()) {
                    return;
                }
                if (warned) {
                    LOG.info("ZooKeeper at {} answers again: this run's forward sync is registered for cutovers", connect);
                    warned = false;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                if (!warned) {
                    LOG.warn("cannot read the cutover records in ZooKeeper at {} ({}); looking again every {} ms", connect,
                            e.getMessage(), EVERY.toMillis());
                    warned = true;
                }
                // a new session registers again; a gate shut for a closing cutover stays shut until a look says otherwise
                closeClient();
            }
        }
    }

    /** The closing nodes of cutovers that cover one of these mappings. */
    static List<String> closingCutovers(ZooKeeperSwitch zk, String root, List<BucketMapping> mappings) throws Exception {
        List<String> closing = new ArrayList<>();
        for (String child : zk.children(closing(root))) {
            BucketMapping cut = CutoverRecords.target(child);
            if (mappings.stream().anyMatch(cut::sharesTargetWith)) {
                closing.add(closing(root) + "/" + child);
            }
        }
        return closing;
    }

    /** The cutover's side: closing nodes for its mappings (ephemeral, its session's); their paths, for its transaction. */
    public static List<String> beginClosing(ZooKeeperSwitch zk, String root, List<BucketMapping> mappings) throws Exception {
        List<String> nodes = new ArrayList<>();
        try {
            for (BucketMapping mapping : mappings) {
                nodes.add(zk.create(closing(root) + "/" + CutoverRecords.name(mapping), hostName().getBytes(
                        java.nio.charset.StandardCharsets.UTF_8), CreateMode.EPHEMERAL));
            }
        } catch (Exception e) {
            endClosing(zk, nodes);
            throw e;
        }
        return nodes;
    }

    /** The cutover did not switch: the syncs it closed write again. */
    public static void endClosing(ZooKeeperSwitch zk, List<String> nodes) {
        for (String node : nodes) {
            try {
                zk.delete(node);
            } catch (Exception e) {
                LOG.warn("could not delete {} ({}); it goes with the cutover's ZooKeeper session", node, e.getMessage());
            }
        }
    }

    /**
     * Waits until every registered forward sync of these mappings says it is shut. @return the hosts of those that did
     * not within {@code patience}; empty when all did
     */
    public static List<String> awaitShut(ZooKeeperSwitch zk, String root, List<BucketMapping> mappings, Duration patience)
            throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            List<String> open = new ArrayList<>();
            for (String child : zk.children(syncs(root))) {
                byte[] data = zk.read(syncs(root) + "/" + child);
                if (data == null) {
                    continue; // it ended
                }
                Member member = JSON.readValue(data, Member.class);
                if (!member.shut() && member.mappings().stream().anyMatch(m -> mappings.stream().anyMatch(m::sharesTargetWith))) {
                    open.add(member.host() + " (" + child + ")");
                }
            }
            if (open.isEmpty() || System.nanoTime() > deadline) {
                return open;
            }
            Thread.sleep(EVERY.toMillis());
        }
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName() + ":" + ProcessHandle.current().pid();
        } catch (java.io.IOException e) {
            return "pid " + ProcessHandle.current().pid();
        }
    }

    private void closeClient() {
        if (zk != null) {
            try {
                zk.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            zk = null;
        }
    }

    /** Ends the registration (its node goes with the session). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeClient();
    }
}
