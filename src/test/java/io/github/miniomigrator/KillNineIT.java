package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.demo.EmbeddedS3Server;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.KeptAliveProxy;
import io.github.miniomigrator.support.TestStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * The packaged jar killed with SIGKILL at ten random moments of a copy with multipart uploads under way (start-up,
 * preflight, the leftovers of the kill before, parts in flight), then one more copy: the target equals the source
 * byte for byte and no unfinished upload is left on it. Once with a target that lists unfinished uploads (with their
 * start times, as S3 and OBS do), once with one that answers ListMultipartUploads with 501 as OSS's S3 API does, where
 * the journal alone knows the uploads.
 */
@Tag("process")
class KillNineIT {
    static final List<String> SETTINGS = List.of("migration.multipart.threshold=6MiB", "migration.multipart.part-size=5MiB");

    @TempDir
    Path data;

    @ParameterizedTest(name = "target lists unfinished uploads: {0}")
    @ValueSource(booleans = {true, false})
    void tenKillsAtRandomMomentsThenOneCopyLeaveTheTargetEqualAndNoUploadBehind(boolean listsUploads) throws Exception {
        Path targetDir = Files.createDirectories(data.resolve("target"));
        try (TestStores stores = new TestStores(EmbeddedS3Server.start("source-access", TestStores.SOURCE_SECRET),
                EmbeddedS3Server.startNio2("target-access", TestStores.TARGET_SECRET, targetDir))) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Random random = new Random(listsUploads ? 91 : 92);
            // no '/' in the multipart keys: S3Proxy's nio2 store cannot list a bucket at all while an upload of such a key
            // is unfinished, and an upload only a listing could find may stay on the 501 target (its quirk, not the tool's)
            for (int i = 0; i < 6; i++) {
                long size = (8L << 20) + random.nextInt(12 << 20);
                stores.sourceClient.putObject(b -> b.bucket("src").key("big-" + size), RequestBody.fromContentProvider(
                        () -> new JarIT.PatternStream(size), size, "application/octet-stream"));
            }
            for (int i = 0; i < 20; i++) {
                TestStores.put(stores.sourceClient, "src", "small/" + i, CopyIT.bytes(random, 2000 + i));
            }
            Map<String, Instant> started = new ConcurrentHashMap<>();
            int targetPort = RemoveIT.portOf(stores.target.endpoint());
            try (KeptAliveProxy listing = KeptAliveProxy.seeing(targetPort, r -> KeptAliveProxy.Fault.PASS);
                    FaultyProxy noListing = FaultyProxy.seeing(targetPort, r -> r.method().equals("GET") && r.path().contains("uploads")
                            && !r.path().contains("uploadId=") ? FaultyProxy.Fault.NOT_IMPLEMENTED : FaultyProxy.Fault.PASS)) {
                listing.rewriteAnswers((request, answer) -> KeptAliveFaultsIT.withStartTimes(request, answer, started));
                String target = "migration.target.endpoint=" + (listsUploads ? listing.endpoint() : noListing.endpoint());
                List<String> args = new ArrayList<>(stores.arguments("src:dst", target, "migration.concurrency=4", "migration.bandwidth=6M"));
                args.addAll(SETTINGS);
                StringBuilder said = new StringBuilder();
                for (int kill = 0; kill < 10; kill++) {
                    Process copy = JarIT.start(stores, "-Xmx256m", "copy", args);
                    long moment = 500 + random.nextInt(6000);
                    copy.waitFor(moment, TimeUnit.MILLISECONDS);
                    copy.destroyForcibly(); // SIGKILL: no shutdown hook, no abort
                    assertTrue(copy.waitFor(30, TimeUnit.SECONDS));
                    said.append(JarIT.output(copy, 5)); // one that ended before its moment copied all: later kills meet a no-op pass
                    removeServerDebris(targetDir);
                }
                TestStores.Run last = stores.run("copy", args);
                assertEquals(0, last.exitCode(), last.all());
                List<MultipartUpload> left = stores.targetClient.listMultipartUploads(b -> b.bucket("dst")).uploads();
                if (listsUploads) {
                    assertEquals(List.of(), left, "no upload left behind: " + last.all());
                } else {
                    // a kill between the store's answer to CreateMultipartUpload and the journal's record of its id leaves
                    // an upload only a listing could find; OSS cannot list, so the tool must say so rather than keep quiet.
                    // No part is sent before the id is on disk, so such an upload holds nothing.
                    said.append(last.out());
                    assertTrue(left.isEmpty() || said.toString().contains("cannot list unfinished uploads"),
                            left.size() + " left without a word: " + said);
                    for (MultipartUpload upload : left) {
                        assertEquals(List.of(), stores.targetClient.listParts(b -> b.bucket("dst").key(upload.key())
                                .uploadId(upload.uploadId())).parts(), "an upload the journal could not name holds no part");
                    }
                }
                Map<String, String> stored = TestStores.contents(stores.targetClient, "dst", "");
                // nio2 shows an unfinished upload as keys of its own (".mpus-<id>-<key>-stub" and "<id>"): the server's
                // bookkeeping of the upload just checked, not objects
                for (MultipartUpload upload : left) {
                    stored.keySet().removeIf(k -> k.equals(upload.uploadId()) || k.startsWith(".mpus-" + upload.uploadId()));
                }
                assertEquals(TestStores.contents(stores.sourceClient, "src", ""), stored);
                try (Stream<Path> records = Files.list(stores.work().resolve("state").resolve("uploads"))) {
                    assertEquals(List.of(), records.filter(f -> f.toString().endsWith(".upload")).toList(), "the journal is empty");
                }
            }
        }
    }

    /** S3Proxy's own temporary file of a body cut off mid-PUT, which breaks its listings: the server's debris, not the tool's. */
    static void removeServerDebris(Path storeDir) throws IOException {
        try (Stream<Path> files = Files.walk(storeDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString()
                    .matches(".*-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
