package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.demo.EmbeddedS3Server;
import io.github.miniomigrator.support.KeptAliveProxy;
import io.github.miniomigrator.support.KeptAliveProxy.Answer;
import io.github.miniomigrator.support.KeptAliveProxy.Fault;
import io.github.miniomigrator.support.KeptAliveProxy.Request;
import io.github.miniomigrator.support.StoredBytes;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Faults on connections the clients keep alive, on both sides at once, as a week of incremental sync meets them:
 * resets before and after the server committed a write, answers cut short, bits flipped either way, slow answers,
 * 429 and 503. Judged by the stored bytes, not by the tool's report.
 */
@Tag("store")
@Tag("slow")
class KeptAliveFaultsIT {
    static final List<String> COPY_SETTINGS = List.of("migration.multipart.threshold=6MiB", "migration.multipart.part-size=5MiB",
            "migration.retries=6");

    /** An object's bytes: a GET of a key (not a listing, not a bucket). */
    static boolean objectGet(Request r) {
        return r.method().equals("GET") && !r.path().contains("?") && r.path().split("/").length > 2;
    }

    /** A write that carries object bytes with their Content-MD5: a PUT of an object or of a part. */
    static boolean bytesWrite(Request r) {
        return r.method().equals("PUT") && r.header("Content-MD5") != null && r.body().length > 0;
    }

    /**
     * One request in `rate` gets one of the faults that make sense for it, from a seeded dice; a fault not yet played
     * comes first, so every kind is seen to run whatever the order the requests come in.
     */
    static Function<Request, Fault> dice(long seed, int rate, Function<Request, Set<Fault>> possible) {
        Random random = new Random(seed);
        Set<Fault> unplayed = EnumSet.allOf(Fault.class);
        return request -> {
            Set<Fault> faults = possible.apply(request);
            synchronized (random) {
                if (faults.isEmpty() || random.nextInt(rate) != 0) {
                    return Fault.PASS;
                }
                List<Fault> fresh = faults.stream().filter(unplayed::contains).toList();
                List<Fault> choice = fresh.isEmpty() ? List.copyOf(faults) : fresh;
                Fault fault = choice.get(random.nextInt(choice.size()));
                unplayed.remove(fault);
                return fault;
            }
        };
    }

    @Test
    void everyFaultOnKeptAliveConnectionsOnBothSidesEndsInTheRightBytesOrANamedFailure() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random data = new Random(33);
            for (int i = 0; i < 120; i++) {
                put(stores.sourceClient, "src", "obj/" + i, CopyIT.bytes(data, 1000 + data.nextInt(30_000)));
            }
            put(stores.sourceClient, "src", "big/16mib.bin", CopyIT.bytes(data, 16 << 20)); // in parts
            put(stores.sourceClient, "src", "mid/6mib.bin", CopyIT.bytes(data, 6 << 20)); // buffered whole
            // a flipped bit is caught only where a checksum covers it: object bytes (Content-MD5, the source's MD5 ETag);
            // a listing's XML has no checksum on any S3 API, so its bits are left alone
            Set<Fault> always = EnumSet.of(Fault.RESET_BEFORE_COMMIT, Fault.RESET_AFTER_COMMIT, Fault.SLOW, Fault.TOO_MANY_REQUESTS,
                    Fault.UNAVAILABLE);
            try (KeptAliveProxy source = KeptAliveProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), dice(5, 9, r -> {
                        Set<Fault> faults = EnumSet.copyOf(always);
                        if (objectGet(r)) {
                            faults.addAll(EnumSet.of(Fault.CUT_ANSWER, Fault.FLIP_ANSWER));
                        }
                        return faults;
                    }));
                    KeptAliveProxy target = KeptAliveProxy.seeing(RemoveIT.portOf(stores.target.endpoint()), dice(6, 9, r -> {
                        Set<Fault> faults = EnumSet.copyOf(always);
                        if (bytesWrite(r)) {
                            faults.add(Fault.FLIP_REQUEST);
                        }
                        if (r.method().equals("GET")) {
                            faults.add(Fault.CUT_ANSWER);
                        }
                        return faults;
                    }))) {
                TestStores.Run run = stores.run("copy", withEndpoints(stores, source, target));
                Map<String, String> expected = contents(stores.sourceClient, "src", "");
                Set<String> failed = StoredBytes.assertRightOrNamedFailed(stores, "src", "dst", run.all());
                assertEquals(failed.isEmpty() ? 0 : 1, run.exitCode(), run.all());
                for (Fault fault : always) {
                    assertTrue(source.injected(fault) > 0 && target.injected(fault) > 0, fault + " was played on both sides");
                }
                assertTrue(source.injected(Fault.FLIP_ANSWER) > 0 && source.injected(Fault.CUT_ANSWER) > 0, "source bodies were damaged");
                assertTrue(target.injected(Fault.FLIP_REQUEST) > 0, "target writes were damaged");
                assertTrue(source.onReusedConnections.get() > 50 && target.onReusedConnections.get() > 50,
                        "connections were kept alive: source " + source.onReusedConnections + ", target " + target.onReusedConnections);

                // whatever failed is copied by the next pass; everything else is already identical
                TestStores.Run again = stores.run("copy", stores.arguments("src:dst"));
                assertEquals(0, again.exitCode(), again.all());
                assertEquals(expected, contents(stores.targetClient, "dst", ""));
            }
        }
    }

    @Test
    void aCompletedUploadWhoseAnswerWasLostIsNoFailure() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "big/12mib.bin", CopyIT.bytes(new Random(3), 12 << 20));
            AtomicBoolean once = new AtomicBoolean();
            try (KeptAliveProxy source = KeptAliveProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), r -> Fault.PASS);
                    KeptAliveProxy target = KeptAliveProxy.seeing(RemoveIT.portOf(stores.target.endpoint()),
                            r -> r.method().equals("POST") && r.path().contains("uploadId=") && once.compareAndSet(false, true)
                                    ? Fault.RESET_AFTER_COMMIT : Fault.PASS)) {
                TestStores.Run run = stores.run("copy", withEndpoints(stores, source, target));
                assertEquals(1, target.injected(Fault.RESET_AFTER_COMMIT));
                assertEquals(0, run.exitCode(), run.all());
                assertEquals(Set.of(), StoredBytes.failedKeys(stores));
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
            }
        }
    }

    /**
     * The store started an upload but its answer was lost; the retry started another. The first must not stay on the
     * target, billed and unseen: the tool lists the key's uploads and aborts the one started for the lost try. S3Proxy's
     * nio2 store lists unfinished uploads without the start time S3 and OBS give; the proxy adds it, taken when the
     * store answered the create.
     */
    @Test
    void anUploadStartedForATryWhoseAnswerWasLostIsAbortedNotLeft() throws Exception {
        Path data = Files.createTempDirectory("orphan-upload");
        try (TestStores stores = new TestStores(EmbeddedS3Server.start("source-access", TestStores.SOURCE_SECRET),
                EmbeddedS3Server.startNio2("target-access", TestStores.TARGET_SECRET, Files.createDirectories(data.resolve("target"))))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "big/12mib.bin", CopyIT.bytes(new Random(3), 12 << 20));
            AtomicBoolean once = new AtomicBoolean();
            Map<String, Instant> started = new ConcurrentHashMap<>();
            try (KeptAliveProxy source = KeptAliveProxy.seeing(RemoveIT.portOf(stores.source.endpoint()), r -> Fault.PASS);
                    KeptAliveProxy target = KeptAliveProxy.seeing(RemoveIT.portOf(stores.target.endpoint()),
                            r -> r.method().equals("POST") && r.path().endsWith("/big/12mib.bin?uploads") && once.compareAndSet(false, true)
                                    ? Fault.RESET_AFTER_COMMIT : Fault.PASS)) {
                target.rewriteAnswers((request, answer) -> withStartTimes(request, answer, started));
                TestStores.Run run = stores.run("copy", withEndpoints(stores, source, target));
                assertEquals(1, target.injected(Fault.RESET_AFTER_COMMIT));
                assertEquals(0, run.exitCode(), run.all());
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
                assertEquals(List.of(), stores.targetClient.listMultipartUploads(b -> b.bucket("dst")).uploads(), "no upload left behind");
                try (Stream<Path> records = Files.list(stores.work().resolve("state").resolve("uploads"))) {
                    assertEquals(List.of(), records.filter(f -> f.toString().endsWith(".upload")).toList(), "the journal is empty");
                }
            }
        }
    }

    /** Notes when the store answered each CreateMultipartUpload, and gives those times in its listing of unfinished uploads. */
    static Answer withStartTimes(Request request, Answer answer, Map<String, Instant> started) {
        String body = new String(answer.body(), StandardCharsets.UTF_8);
        if (request.method().equals("POST") && request.path().endsWith("?uploads")) {
            Matcher id = Pattern.compile("<UploadId>([^<]+)</UploadId>").matcher(body);
            if (id.find()) {
                started.put(id.group(1), Instant.now());
            }
            return answer;
        }
        if (!request.method().equals("GET") || !request.path().contains("uploads") || body.contains("<Initiated>")) {
            return answer;
        }
        Matcher ids = Pattern.compile("<UploadId>([^<]+)</UploadId>").matcher(body);
        String listed = ids.replaceAll(m -> {
            Instant at = started.get(m.group(1));
            return Matcher.quoteReplacement(m.group() + (at == null ? "" : "<Initiated>" + at + "</Initiated>"));
        });
        return new Answer(answer.status(), answer.head(), listed.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> withEndpoints(TestStores stores, KeptAliveProxy source, KeptAliveProxy target) {
        List<String> args = new ArrayList<>(stores.arguments("src:dst", "migration.source.endpoint=" + source.endpoint(),
                "migration.target.endpoint=" + target.endpoint()));
        args.addAll(COPY_SETTINGS);
        return args;
    }

}
