package io.github.miniomigrator.events;

/** The sync status as JMX shows it (jconsole: MBean minio-migrator:type=SyncStatus); no secret; releaseDeletes is its one operation. */
public interface SyncStatusMBean {
    long getEventsReceived();

    long getEventsApplied();

    long getEventsIgnored();

    long getEventsMalformed();

    /** Webhook deliveries refused (401: no or wrong secret; 400: not S3 event records the tool can read); nothing of them applied. */
    long getDeliveriesRefused();

    long getSyncFailures();

    /** Syncs that converged by deleting the target key. */
    long getEventDeletes();

    /** Owed keys tried again after a failed sync. */
    long getSyncRetries();

    /** Keys waiting for a sync (or being synced). */
    int getPending();

    /** Keys whose last sync failed, waiting for their next try. */
    int getKeysOwed();

    /** Deletes the delete brake holds. */
    int getDeletesHeld();

    boolean isDeleteBrakeEngaged();

    /** Releases the delete brake: the held deletes are applied. */
    String releaseDeletes();

    /** Seconds since the oldest change not converged yet came: grows through an outage. */
    double getLagSeconds();

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
