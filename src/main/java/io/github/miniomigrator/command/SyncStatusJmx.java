package io.github.miniomigrator.command;

import io.github.miniomigrator.events.SyncStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** `run`'s sync status as a JMX MBean beside Camel's own, registered while the run lasts. */
final class SyncStatusJmx {
    private static final Logger LOG = LoggerFactory.getLogger(SyncStatusJmx.class);

    private SyncStatusJmx() {
    }

    static final String MBEAN_NAME = "minio-migrator:type=SyncStatus";

    /** The lag as a JMX MBean beside Camel's own (routes, which jconsole can also stop and start). */
    static void register(SyncStatus status) {
        try {
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName name = new javax.management.ObjectName(MBEAN_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(status, name);
        } catch (Exception e) {
            LOG.warn("the sync status is not shown over JMX: {}", e.getMessage());
        }
    }

    static void unregister() {
        try {
            javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName name = new javax.management.ObjectName(MBEAN_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (Exception e) {
            LOG.debug("unregistering the sync status: {}", e.getMessage());
        }
    }
}
