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

    boolean isConnected();

    boolean isFullPassDone();

    boolean isDrained();
}
