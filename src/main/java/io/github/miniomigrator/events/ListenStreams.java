package io.github.miniomigrator.events;

import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.StoreException;
import io.minio.CloseableIterator;
import io.minio.Result;
import io.minio.messages.Event;
import io.minio.messages.NotificationRecords;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.github.miniomigrator.logging.FailureBursts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ListenBucketNotification stream per source bucket. MinIO drops events for slow or absent listeners and the
 * stream ends silently on disconnect, so each stream reconnects with backoff and, after every reconnect, asks for a
 * catch-up pass that covers whatever the gap let through.
 */
public final class ListenStreams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenStreams.class);
    private final SourceStore source;
    private final EventIntake intake;
    private final Runnable requestCatchUp;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<CloseableIterator<Result<NotificationRecords>>> open = new CopyOnWriteArrayList<>();
    private int streams;
    /** Why a stream was refused before it ever connected (a 403): start() says it at once rather than wait out its timeout. */
    private final java.util.concurrent.atomic.AtomicReference<String> refused = new java.util.concurrent.atomic.AtomicReference<>();

    public ListenStreams(SourceStore source, EventIntake intake, Runnable requestCatchUp) {
        this.source = source;
        this.intake = intake;
        this.requestCatchUp = requestCatchUp;
    }

    /** Connects one stream per bucket and returns once all are connected: capture starts before any listing. */
    public void start(List<String> buckets, long timeoutSeconds) throws InterruptedException {
        CountDownLatch first = new CountDownLatch(buckets.size());
        streams = buckets.size();
        for (String bucket : buckets) {
            Thread thread = new Thread(() -> listen(bucket, first), "listen-" + bucket);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        boolean answered = first.await(timeoutSeconds, TimeUnit.SECONDS);
        if (refused.get() != null) {
            throw new io.github.miniomigrator.config.SettingsException(refused.get());
        }
        if (!answered) {
            throw new StoreException("the MinIO notification stream did not connect within " + timeoutSeconds
                    + " s; check migration.source.endpoint, or use migration.events.mode=webhook", null);
        }
    }

    public boolean connected() {
        return connected.get() == streams;
    }

    private void listen(String bucket, CountDownLatch first) {
        int failures = 0;
        boolean everConnected = false;
        while (running.get()) {
            CloseableIterator<Result<NotificationRecords>> current = null;
            try (CloseableIterator<Result<NotificationRecords>> stream = source.listen(bucket)) {
                current = stream;
                open.add(stream);
                connected.incrementAndGet();
                if (everConnected) {
                    LOG.info("notification stream of {} reconnected: running a catch-up pass for what the gap let through", bucket);
                    requestCatchUp.run();
                } else {
                    first.countDown();
                    everConnected = true;
                }
                failures = 0;
                while (running.get() && stream.hasNext()) {
                    NotificationRecords records = stream.next().get();
                    if (records == null || records.events() == null) {
                        continue; // a keep-alive: {"Records":null}
                    }
                    for (Event event : records.events()) {
                        if (event.bucketName() != null && event.objectName() != null) {
                            intake.accept(new ObjectChange(event.bucketName(), event.objectName()));
                        }
                    }
                }
                if (running.get()) {
                    LOG.warn("notification stream of {} ended (MinIO closed it); reconnecting", bucket);
                }
            } catch (Exception e) {
                if (!everConnected && StoreException.status(e) == 403) {
                    refused.compareAndSet(null, "the MinIO notification stream of source bucket '" + bucket + "' was refused: "
                            + StoreException.describe(e) + "; " + refusalAdvice());
                    first.countDown();
                    return;
                }
                if (running.get()) {
                    String reason = StoreException.describe(e) + (StoreException.status(e) == 403 ? " (" + refusalAdvice() + ")" : "");
                    FailureBursts.failed(LOG, "reconnects of notification streams", "reconnecting with backoff, then a catch-up pass",
                            "notification stream of " + bucket + " failed: " + reason + "; reconnecting", reason);
                }
            } finally {
                // on every way out, or each failed stream (a line that is no JSON, say) would stay referenced until the run ends
                if (current != null) {
                    open.remove(current);
                    connected.decrementAndGet();
                }
            }
            if (running.get()) {
                sleep(Math.min(30_000L, 250L << Math.min(failures++, 7)));
            }
        }
    }

    /** What a 403 to the listen API asks for: the permission MinIO's readonly policy lacks, or another event mode. */
    static String refusalAdvice() {
        return Setting.SOURCE_ACCESS_KEY.key() + " may not listen to the bucket's notifications: grant s3:ListenBucketNotification on "
                + "it (MinIO's built-in readonly policy lacks it), or set " + Setting.EVENTS_MODE.key() + "=webhook (MinIO sends the "
                + "events) or off with " + Setting.RECONCILE_INTERVAL.key() + " (e.g. 30m) for catch-up passes";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        for (CloseableIterator<Result<NotificationRecords>> stream : open) {
            try {
                stream.close();
            } catch (Exception e) {
                // closing a broken stream
            }
        }
        threads.forEach(Thread::interrupt);
    }
}
