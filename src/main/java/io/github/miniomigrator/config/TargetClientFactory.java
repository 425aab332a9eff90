package io.github.miniomigrator.config;

import io.github.miniomigrator.cutover.ForwardGate;
import java.time.Duration;
import software.amazon.awssdk.services.s3.S3Client;

/** The target's S3Client (built by {@link S3ClientFactory} from the migration.target.* settings) and the limits both stores' clients share. */
public final class TargetClientFactory {
    private TargetClientFactory() {
    }

    /** migration.timeout: how long a request may go without a byte in either direction. */
    static Duration idleTimeout(Settings settings) {
        Duration timeout = settings.duration(Setting.TIMEOUT);
        if (timeout.isZero() || timeout.toMillis() < 100) {
            throw new SettingsException(Setting.TIMEOUT.key() + "=" + settings.get(Setting.TIMEOUT)
                    + " is too short: a request that stalls must fail, but a slow answer must not; use e.g. 60s.");
        }
        return timeout;
    }

    /**
     * Connections (and requests in flight) each store's client allows, so that no request waits for a connection: every
     * transfer in flight (at most migration.concurrency in the whole process, {@link io.github.miniomigrator.copy.TransferSlots};
     * an event's sync holds its slot for its lookups too; a multipart copy's parts in parallel each hold a slot, the first
     * the copy's own, so a slot never carries two requests to one store at once), as many again for a pass's threads deciding by HEAD between
     * their transfers, every listing shard, and a few more (preflight, health checks).
     */
    static int connections(Settings settings) {
        return 2 * settings.concurrency() + settings.listingConcurrency() + 4;
    }

    /** A client for the demo's and the tests' own servers: bodies unsigned, no bucket domains. */
    public static S3Client create(Settings settings) {
        return create(settings, new PayloadSigning(), BucketDomains.of(settings), new ForwardGate());
    }

    /**
     * @param signing whether bodies go out unsigned (preflight's canary may switch it for the whole run)
     * @param domains buckets reached through their own domain rather than through migration.target.endpoint
     * @param gate every write of the client passes it (a cutover shuts it)
     */
    public static S3Client create(Settings settings, PayloadSigning signing, BucketDomains domains, ForwardGate gate) {
        return S3ClientFactory.create(settings, StoreSide.TARGET, signing, domains, TargetProxy.of(settings), gate);
    }
}
