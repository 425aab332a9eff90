package io.github.miniomigrator.cluster;

import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.curator.framework.CuratorFramework;

/**
 * The Camel cluster service of the `run` instances: one {@link ElectionView} per migration name, on the instance's own
 * Curator client. Named as camel-zookeeper's service it replaces, so the JMX name operators watch stays
 * ({@code type=clusterservices,name=ZooKeeperClusterService}, operation isLeader).
 */
final class ZooKeeperClusterService extends AbstractCamelClusterService<ElectionView> {
    private final CuratorFramework curator;
    private final String basePath;

    ZooKeeperClusterService(CuratorFramework curator, String basePath, String id) {
        super(id);
        this.curator = curator;
        this.basePath = basePath;
    }

    @Override
    protected ElectionView createView(String namespace) {
        return new ElectionView(this, curator, basePath, namespace);
    }
}
