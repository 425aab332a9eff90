package io.github.miniomigrator.events;

/** The sync status as JMX shows it (jconsole: MBean minio-migrator:type=SyncStatus); read-only, no secret. */
public interface SyncStatusMBean {
    long getEventsReceived();

    long getEventsApplied();

    long getEventsIgnored();

    long getEventsMalformed();

    long getSyncFailures();

    int getPending();

    int getPeakPending();

    double getOldestPendingSeconds();

    String getLastEventTime();

    long getQueueOverflows();

    long getCatchUpPasses();

    /** Events the broker keeps that this instance has not read yet (Kafka's lag over the partitions it holds); 0 in other modes. */
    long getUnreadEvents();

    boolean isConnected();

    boolean isFullPassDone();

    boolean isDrained();
}
