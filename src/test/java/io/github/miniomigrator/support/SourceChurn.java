package io.github.miniomigrator.support;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An application writing and deleting on the source at a steady rate over a bounded set of keys: small objects
 * mostly, now and then one above the multipart threshold (every other one of those uploaded in parts, as clients do
 * with large files). Each change is announced on the listen stream in MinIO's format, but only while a stream is up:
 * MinIO drops events nobody is listening for, so what changed meanwhile is for a catch-up pass to find.
 */
public final class SourceChurn implements AutoCloseable {
    public static final int SMALL_KEYS = 200;
    public static final int LARGE_KEYS = 3;
    /** One change in this many is to a multipart-sized key: a few a minute at a few changes a second. */
    private static final int LARGE_EVERY = 40;
    /** One change in this many is a delete. */
    private static final int DELETE_EVERY = 4;
    private static final int MIB = 1 << 20;

    private final S3Client source;
    private final String bucket;
    private final FaultyProxy listen;
    private final long periodMicros;
    private final Random random;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "source-churn");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong multipartSized = new AtomicLong();
    private final AtomicLong deletes = new AtomicLong();
    private final AtomicLong announced = new AtomicLong();
    private final AtomicLong unannounced = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure = "";
    private long changes;

    /** @param listen the proxy whose listen streams carry the announcements */
    public SourceChurn(S3Client source, String bucket, FaultyProxy listen, double changesPerSecond, long seed) {
        this.source = source;
        this.bucket = bucket;
        this.listen = listen;
        this.periodMicros = Math.max(1, Math.round(1_000_000 / changesPerSecond));
        this.random = new Random(seed);
    }

    /** Half the small keys and one large key, before the run starts: work for its full pass. */
    public void seed() {
        for (int i = 0; i < SMALL_KEYS; i += 2) {
            putSmall(smallKey(i));
        }
        putLarge(largeKey(0), false);
    }

    public void start() {
        thread.scheduleAtFixedRate(this::changeOne, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Makes no more changes; returns once the one under way is done. */
    public void stop() throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("a source write did not finish within 2 minutes");
        }
    }

    private void changeOne() {
        try {
            long n = changes++;
            boolean large = n % LARGE_EVERY == LARGE_EVERY - 1;
            String key = large ? largeKey(random.nextInt(LARGE_KEYS)) : smallKey(random.nextInt(SMALL_KEYS));
            String event;
            if (random.nextInt(DELETE_EVERY) == 0) {
                source.deleteObject(b -> b.bucket(bucket).key(key));
                deletes.incrementAndGet();
                event = "s3:ObjectRemoved:Delete";
            } else if (large) {
                boolean inParts = multipartSized.get() % 2 == 1;
                putLarge(key, inParts);
                puts.incrementAndGet();
                multipartSized.incrementAndGet();
                event = inParts ? "s3:ObjectCreated:CompleteMultipartUpload" : "s3:ObjectCreated:Put";
            } else {
                putSmall(key);
                puts.incrementAndGet();
                event = "s3:ObjectCreated:Put";
            }
            announce(event, key);
        } catch (RuntimeException e) {
            // a write the store refused changed nothing, so there is nothing to announce; the count shows in the result
            failures.incrementAndGet();
            lastFailure = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    /** After the write, as MinIO does; a stream that ends in between gets the line on its successor (a late hint, harmless). */
    private void announce(String event, String key) {
        if (listen.openListenStreams() > 0) {
            listen.listenLines.add(MinioEvents.listenLine(event, bucket, key));
            announced.incrementAndGet();
        } else {
            unannounced.incrementAndGet();
        }
    }

    private void putSmall(String key) {
        byte[] body = new byte[100 + random.nextInt(64 * 1024)];
        random.nextBytes(body);
        source.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
    }

    /** 6 to 12 MiB: above the soak's 6 MiB multipart threshold, so the tool copies it in 5 MiB parts. */
    private void putLarge(String key, boolean inParts) {
        byte[] body = new byte[6 * MIB + 1 + random.nextInt(6 * MIB)];
        random.nextBytes(body);
        if (inParts) {
            String upload = source.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            for (int offset = 0, number = 1; offset < body.length; offset += 5 * MIB, number++) {
                int length = Math.min(5 * MIB, body.length - offset);
                int part = number;
                String etag = source.uploadPart(b -> b.bucket(bucket).key(key).uploadId(upload).partNumber(part),
                        RequestBody.fromByteBuffer(ByteBuffer.wrap(body, offset, length))).eTag();
                parts.add(CompletedPart.builder().partNumber(part).eTag(etag).build());
            }
            source.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(parts)));
        } else {
            source.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(body));
        }
    }

    // flat keys: the filesystem-backed S3Proxy would list each folder as an object of its own
    private static String smallKey(int i) {
        return String.format("small-%03d", i);
    }

    private static String largeKey(int i) {
        return "large-" + i;
    }

    /** Changes since {@link #start()} (the seed not counted). */
    public long changes() {
        return puts.get() + deletes.get();
    }

    public long deletes() {
        return deletes.get();
    }

    public long multipartSized() {
        return multipartSized.get();
    }

    public long announced() {
        return announced.get();
    }

    public long unannounced() {
        return unannounced.get();
    }

    public long failures() {
        return failures.get();
    }

    public String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
