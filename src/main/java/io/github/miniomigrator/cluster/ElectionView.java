package io.github.miniomigrator.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.zookeeper.KeeperException;

/**
 * One migration's election as a Camel cluster view: a Curator LeaderSelector on the path camel-zookeeper's own view
 * uses, with the same nodes (so instances of the previous release, which used that view, share the election), but
 * re-queued after every turn. Camel 4.18.0's ZooKeeperClusterView starts its selector without {@code autoRequeue()}:
 * a turn ended by a connection loss was its last, and the previous release restarted the view from a watchdog. Camel
 * fixed it the same way since (CAMEL-24457: autoRequeue, a leadership flag of the view's own, the selector closed on
 * stop; backported to its 4.18.x and 4.22.x branches): once the project's Camel has that fix, camel-zookeeper's own
 * service can take this one's place.
 *
 * <p>A turn ends the moment the connection is suspended (Curator's standard error policy cancels it), before ZooKeeper
 * ends the session and lets another instance lead, so two leaders never overlap.
 */
final class ElectionView extends AbstractCamelClusterView {
    private final CuratorFramework curator;
    private final String path;
    private final Member local;
    private volatile LeaderSelector selector;
    private volatile boolean leading;

    ElectionView(CamelClusterService service, CuratorFramework curator, String basePath, String namespace) {
        super(service, namespace);
        this.curator = curator;
        this.path = basePath + "/" + namespace;
        this.local = new Member(service.getId(), true);
    }

    @Override
    protected void doStart() {
        LeaderSelector standing = new LeaderSelector(curator, path, new Turn());
        standing.setId(getClusterService().getId());
        standing.autoRequeue();
        standing.start();
        selector = standing;
    }

    /** Leaves the election: a turn under way is interrupted, the node goes (on the selector's thread). */
    @Override
    protected void doStop() {
        LeaderSelector standing = selector;
        selector = null;
        if (standing != null) {
            standing.close();
        }
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        LeaderSelector standing = selector;
        if (standing == null) {
            return Optional.empty();
        }
        try {
            Participant leader = standing.getLeader();
            return leader.isLeader() ? Optional.of(member(leader)) : Optional.empty();
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty(); // nobody stood yet
        } catch (Exception e) {
            throw new RuntimeCamelException(e);
        }
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        LeaderSelector standing = selector;
        if (standing == null) {
            return List.of();
        }
        try {
            return standing.getParticipants().stream().map(this::member).toList();
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new RuntimeCamelException(e);
        }
    }

    private CamelClusterMember member(Participant participant) {
        return participant.getId().equals(local.getId()) ? local : new Member(participant.getId(), false);
    }

    /** A turn: it lasts until interrupted — the connection suspended or lost (the adapter cancels it), or the view stopped. */
    private final class Turn extends LeaderSelectorListenerAdapter {
        @Override
        public void takeLeadership(CuratorFramework client) throws InterruptedException {
            leading = true;
            fireLeadershipChangedEvent(local);
            try {
                new CountDownLatch(1).await();
            } finally {
                leading = false;
                fireLeadershipChangedEvent(Optional.empty());
            }
        }
    }

    private final class Member implements CamelClusterMember {
        private final String id;
        private final boolean isLocal;

        Member(String id, boolean isLocal) {
            this.id = id;
            this.isLocal = isLocal;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public boolean isLeader() {
            return isLocal ? leading : getLeader().map(leader -> leader.getId().equals(id)).orElse(false);
        }

        @Override
        public boolean isLocal() {
            return isLocal;
        }
    }
}
