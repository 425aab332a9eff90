package io.github.miniomigrator.cluster;

import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.events.SyncStatus;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader among the `run` instances of one migration, elected through a Camel cluster service on ZooKeeper
 * ({@link ZooKeeperClusterService}: a Curator LeaderSelector on /[chroot/]minio-migrator/leaders/NAME that stands again
 * after every turn). The service is added to the CamelContext, so JMX shows it (type=clusterservices, operation isLeader).
 *
 * <p>Leadership is read again on every change the view reports and on every change of the connection: this instance
 * stops leading as soon as the connection is suspended, before ZooKeeper ends the session and elects another, so two
 * leaders never overlap; the actions given to {@link #onLost} run then.
 */
public final class ZooKeeperLeadership implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeadership.class);
    private static final String BASE_PATH = "/leaders";

    private final CuratorFramework curator;
    private final ZooKeeperClusterService service;
    private final CamelClusterView view;
    private final ClusterSettings cluster;
    private final String id;
    private final List<Runnable> lostActions = new CopyOnWriteArrayList<>();
    private final AtomicLong term = new AtomicLong();
    private volatile MemberStatuses statuses;
    private volatile boolean leading;
    private volatile boolean connected = true;
    private volatile boolean closed;

    private ZooKeeperLeadership(CuratorFramework curator, ZooKeeperClusterService service, CamelClusterView view, ClusterSettings cluster,
            String id) {
        this.curator = curator;
        this.service = service;
        this.view = view;
        this.cluster = cluster;
        this.id = id;
    }

    /** This instance's name among the members: host, HTTP port and a random tag (two containers may share host name and port). */
    public static String memberId(String httpPort) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + ":" + httpPort + "#" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
    }

    /**
     * Connects to ZooKeeper (refusing clearly when nobody answers) and stands in the election of the migration's name.
     * @param digestAuth user:password for ZooKeeper's digest scheme (migration.cutover.auth, a secret), or empty
     */
    public static ZooKeeperLeadership join(CamelContext context, ClusterSettings cluster, String id, String digestAuth) throws Exception {
        int session = (int) cluster.sessionTimeout().toMillis();
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder();
        if (!digestAuth.isEmpty()) {
            builder.authorization("digest", digestAuth.getBytes(StandardCharsets.UTF_8));
        }
        CuratorFramework curator = builder
                .connectString(cluster.servers())
                .namespace(cluster.namespace())
                .sessionTimeoutMs(session)
                .connectionTimeoutMs(Math.min(15_000, session))
                // a read for the status line or the health check must not hang while ZooKeeper is away; the election's own
                // requests, given up, end the turn and the selector stands again
                .retryPolicy(new ExponentialBackoffRetry(250, 3, 2_000))
                .build();
        curator.start();
        if (!curator.blockUntilConnected(15, TimeUnit.SECONDS)) {
            curator.close();
            throw new SettingsException(Setting.CLUSTER_ZOOKEEPER.key() + ": no ZooKeeper answered at " + cluster.servers()
                    + " within 15 s; check the servers and the firewall, or leave the setting empty to run this instance alone.");
        }
        ZooKeeperClusterService service = new ZooKeeperClusterService(curator, BASE_PATH, id);
        context.addService(service, true, true);
        CamelClusterView view = service.getView(cluster.name());
        ZooKeeperLeadership leadership = new ZooKeeperLeadership(curator, service, view, cluster, id);
        leadership.start();
        leadership.awaitElection();
        LOG.info("joined migration '{}' on ZooKeeper {}{} as {} (session timeout {} ms, as ZooKeeper granted it)", cluster.name(),
                cluster.servers(), cluster.chroot(), id, curator.getZookeeperClient().getZooKeeper().getSessionTimeout());
        return leadership;
    }

    private void start() {
        curator.getConnectionStateListenable().addListener((client, state) -> {
            connected = state.isConnected();
            if (state == ConnectionState.SUSPENDED) {
                LOG.warn("lost the connection to ZooKeeper: this instance does not lead until it is back");
            } else if (state == ConnectionState.LOST) {
                LOG.warn("the ZooKeeper session expired: another instance may lead now");
            } else if (state == ConnectionState.RECONNECTED) {
                LOG.info("reconnected to ZooKeeper");
            }
            readLeadership();
        });
        view.addEventListener((CamelClusterEventListener.Leadership) (v, leader) -> readLeadership());
    }

    /** Up to a few seconds for a leader to be known, so that the first instance of a migration starts as its leader. */
    private void awaitElection() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Optional<String> leader = leaderId();
            // ZooKeeper names the leader a moment before the leader's own selector thread takes the lead
            if (leader.isPresent() && (!leader.get().equals(id) || view.getLocalMember().isLeader())) {
                break;
            }
            Thread.sleep(50);
        }
        readLeadership();
    }

    private void readLeadership() {
        if (!closed) {
            synchronized (this) {
                changeLeadership();
            }
        }
    }

    private void changeLeadership() {
        boolean now = connected && view.getLocalMember().isLeader();
        if (now && !leading) {
            leading = true;
            LOG.info("this instance ({}) now leads migration '{}' (term {}): it runs the passes, their reports and the cutover route",
                    id, cluster.name(), term.incrementAndGet());
        } else if (!now && leading) {
            leading = false;
            LOG.warn("this instance ({}) no longer leads migration '{}': its passes stop, the next leader adopts them", id, cluster.name());
            lostActions.forEach(Runnable::run);
        }
    }

    /**
     * Publishes this instance's sync status on ZooKeeper every second (an EPHEMERAL node beside the election, on its
     * connection), so that the leader's cutover waits until every instance is drained.
     */
    public synchronized void publish(SyncStatus status) {
        if (statuses == null && !closed) {
            statuses = new MemberStatuses(curator, cluster.name(), id, status, this::leads);
            statuses.start();
        }
    }

    /**
     * Every instance of the migration that is not drained, each with why: this one by its own status (as leader or
     * follower), the others by the status each published — missing, stale or saying not drained; empty when all are.
     */
    @Override
    public List<String> notDrained() {
        MemberStatuses published = statuses;
        if (published == null) {
            return List.of("this instance (" + id + "): does not publish its sync status");
        }
        if (!connected) {
            return List.of("this instance (" + id + "): not connected to ZooKeeper, which cannot say whether the others are drained");
        }
        List<String> participants;
        try {
            participants = view.getMembers().stream().map(CamelClusterMember::getId).toList();
        } catch (RuntimeException e) {
            return List.of("ZooKeeper cannot say which instances stand in migration '" + cluster.name() + "' (" + e.getMessage() + ")");
        }
        return published.notDrained(participants);
    }

    @Override
    public String statusLine() {
        if (statuses == null) {
            return describe();
        }
        List<String> notDrained = notDrained();
        return describe() + (notDrained.isEmpty() ? ", every instance drained" : ", not drained: " + String.join("; ", notDrained));
    }

    @Override
    public boolean leads() {
        return leading;
    }

    @Override
    public long term() {
        return term.get();
    }

    @Override
    public void onLost(Runnable action) {
        lostActions.add(action);
    }

    /** The migration's ZooKeeper client (namespace /[chroot/]minio-migrator): the shared passes keep their books with it. */
    public CuratorFramework curator() {
        return curator;
    }

    public boolean connected() {
        return connected;
    }

    public String id() {
        return id;
    }

    public String name() {
        return cluster.name();
    }

    /** The leader's member id, when ZooKeeper can say. */
    public Optional<String> leaderId() {
        if (!connected) {
            return Optional.empty();
        }
        try {
            return view.getLeader().map(CamelClusterMember::getId);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The ids of the instances in the election now (this one among them); empty while ZooKeeper is away. */
    public List<String> memberIds() {
        if (!connected) {
            return List.of();
        }
        try {
            return view.getMembers().stream().map(CamelClusterMember::getId).sorted().toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** How many instances stand in the election (the leader among them); -1 when ZooKeeper cannot say. */
    public int members() {
        if (!connected) {
            return -1;
        }
        try {
            return view.getMembers().size();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public String describe() {
        int count = members();
        String members = count < 0 ? ", not connected to ZooKeeper" : ", " + count + " members";
        return leading ? "leader of migration '" + cluster.name() + "' (" + id + members + ")"
                : "follower in migration '" + cluster.name() + "' (" + id + ", leader " + leaderId().orElse("unknown") + members + ")";
    }

    /**
     * The stopped view lets go of its election node on the selector's thread; a client closed before that thread is
     * done makes Curator log an ERROR ("The leader threw an exception") on every stop. Up to 2 s for the node to go.
     */
    private void awaitOwnNodeGone() {
        String election = BASE_PATH + "/" + cluster.name();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            while (connected && System.nanoTime() < deadline && holdsNode(election)) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("reading the election before leaving: {}", e.getMessage()); // the session's end removes the node anyway
        }
    }

    private boolean holdsNode(String election) throws Exception {
        for (String child : curator.getChildren().forPath(election)) {
            try {
                byte[] data = curator.getData().forPath(election + "/" + child);
                if (data != null && id.equals(new String(data, StandardCharsets.UTF_8))) {
                    return true;
                }
            } catch (org.apache.zookeeper.KeeperException.NoNodeException gone) {
                // another member's node, gone meanwhile
            }
        }
        return false;
    }

    /** Leaves the election at once (its node goes, so another instance leads without waiting for a session timeout). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        leading = false;
        if (statuses != null) {
            statuses.close();
        }
        try {
            service.getCamelContext().removeService(service);
        } catch (Exception e) {
            LOG.debug("removing the cluster service: {}", e.getMessage());
        }
        try {
            ServiceHelper.stopAndShutdownServices(view, service);
        } catch (RuntimeException e) {
            LOG.debug("stopping the cluster view: {}", e.getMessage()); // ZooKeeper out of reach: closing the client is what counts
        }
        awaitOwnNodeGone();
        curator.close();
        LOG.info("left migration '{}' on ZooKeeper", cluster.name());
    }
}
