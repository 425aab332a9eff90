package io.github.miniomigrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.Wait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The election on a real ZooKeeper (curator-test): the leader gives up its turn as soon as its connection is gone, and
 * every member stands again once ZooKeeper is back — camel-zookeeper's own view left a member whose turn ended so out
 * of the election for good.
 */
@Tag("cluster")
@Tag("slow")
class ElectionViewTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    static CuratorFramework client(TestingServer zooKeeper) throws Exception {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(zooKeeper.getConnectString()).namespace("minio-migrator")
                .sessionTimeoutMs(60_000).connectionTimeoutMs(5_000).retryPolicy(new RetryOneTime(100)).build();
        client.start();
        client.blockUntilConnected();
        return client;
    }

    static long leaders(List<CamelClusterView> views) {
        return views.stream().filter(view -> view.getLocalMember().isLeader()).count();
    }

    static List<String> members(CamelClusterView view) {
        try {
            return view.getMembers().stream().map(CamelClusterMember::getId).sorted().toList();
        } catch (RuntimeException e) {
            return List.of(); // ZooKeeper away
        }
    }

    @Test
    void aLeaderCutOffGivesUpItsTurnAndEveryMemberStandsAgainOnceZooKeeperIsBack() throws Exception {
        try (TestingServer zooKeeper = new TestingServer(true); CuratorFramework one = client(zooKeeper);
                CuratorFramework two = client(zooKeeper); DefaultCamelContext context = new DefaultCamelContext()) {
            ZooKeeperClusterService serviceOne = new ZooKeeperClusterService(one, "/leaders", "one");
            ZooKeeperClusterService serviceTwo = new ZooKeeperClusterService(two, "/leaders", "two");
            context.addService(serviceOne, true, true);
            context.addService(serviceTwo, true, true);
            context.start();
            CamelClusterView viewOne = serviceOne.getView("it");
            CamelClusterView viewTwo = serviceTwo.getView("it");
            List<CamelClusterView> views = List.of(viewOne, viewTwo);
            AtomicInteger changes = new AtomicInteger();
            viewOne.addEventListener((CamelClusterEventListener.Leadership) (view, leader) -> changes.incrementAndGet());
            viewTwo.addEventListener((CamelClusterEventListener.Leadership) (view, leader) -> changes.incrementAndGet());
            Wait.until("one of the two leads and both stand", WAIT, () -> leaders(views) == 1 && members(viewOne).equals(List.of("one", "two")));
            CamelClusterView leader = viewOne.getLocalMember().isLeader() ? viewOne : viewTwo;
            assertEquals(leader.getLocalMember().getId(), viewTwo.getLeader().orElseThrow().getId(), "both name the same leader");
            assertTrue(serviceOne.isLeader("it") != serviceTwo.isLeader("it"), "the service answers as JMX asks it");

            int before = changes.get();
            zooKeeper.stop(); // both connections are suspended: the leader's turn ends at once, no session has expired yet
            Wait.until("nobody leads while ZooKeeper is away", WAIT, () -> leaders(views) == 0);
            assertTrue(changes.get() > before, "the lost turn was reported to the view's listeners");

            zooKeeper.restart();
            Wait.until("one leads again and both stand again", WAIT, () -> leaders(views) == 1 && members(viewOne).equals(List.of("one", "two")));

            // the leader stops: the other leads without waiting for a session to time out
            CamelClusterView next = viewOne.getLocalMember().isLeader() ? viewTwo : viewOne;
            (next == viewOne ? serviceTwo : serviceOne).stop();
            Wait.until("the other member leads", WAIT, () -> next.getLocalMember().isLeader());
        }
    }
}
