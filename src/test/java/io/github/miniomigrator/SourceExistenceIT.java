package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.demo.EmbeddedS3Server;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.support.FaultyProxy;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.store.MinioSourceStore;
import io.github.miniomigrator.store.Retry;
import io.github.miniomigrator.store.S3SourceStore;
import io.github.miniomigrator.store.SourceStore;
import io.minio.MinioClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whether a source key exists, as a delete asks it (a pass's extra keys, an event's key, verify's unsure keys): a HEAD of
 * the key on a real S3 server, through both source stores (a MinIO source HEADs through the AWS SDK too). A listing of the key as a prefix is no answer: a store may
 * list a folder object after the keys under it (S3Proxy's filesystem-nio2 store does, as a common prefix, to MinIO's
 * client), so the first key listed is another one and the folder object would be called gone — and its target copy
 * deleted. A 404 is "absent"; any other error is a failure, never "absent".
 */
@Tag("store")
class SourceExistenceIT {
    static final byte[] BODY = "an invoice".getBytes();

    /** Both source clients, over the same server (or a proxy in front of it). */
    record Sources(CamelContext camel, SourceStore minio, SourceStore s3) implements AutoCloseable {
        static Sources of(EmbeddedS3Server server, String endpoint) throws Exception {
            CamelContext camel = new DefaultCamelContext();
            camel.getRegistry().bind("sourceMinioClient", MinioClient.builder().endpoint(endpoint).region("us-east-1")
                    .credentials(server.accessKey(), TestStores.SOURCE_SECRET).build());
            camel.start();
            Retry retry = new Retry(1, 10);
            software.amazon.awssdk.services.s3.S3Client s3 = io.github.miniomigrator.demo.DemoCommand.clientFor(server);
            S3SourceStore s3Store = new S3SourceStore(() -> s3, retry);
            if (!endpoint.equals(server.endpoint())) {
                software.amazon.awssdk.services.s3.S3Client proxied = software.amazon.awssdk.services.s3.S3Client.builder()
                        .endpointOverride(java.net.URI.create(endpoint)).region(software.amazon.awssdk.regions.Region.US_EAST_1)
                        .forcePathStyle(true).credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(server.accessKey(), TestStores.SOURCE_SECRET)))
                        .build();
                s3Store = new S3SourceStore(() -> proxied, retry);
            }
            return new Sources(camel, new MinioSourceStore(camel.createProducerTemplate(), retry, s3Store), s3Store);
        }

        List<SourceStore> both() {
            return List.of(minio, s3);
        }

        @Override
        public void close() throws Exception {
            camel.close();
        }
    }

    @Test
    void aFolderObjectListedAfterTheKeysUnderItExists() throws Exception {
        Path data = Files.createTempDirectory("existence");
        try (EmbeddedS3Server server = EmbeddedS3Server.startNio2("source-access", TestStores.SOURCE_SECRET,
                Files.createDirectories(data.resolve("source")));
                Sources sources = Sources.of(server, server.endpoint())) {
            server.createBucket("src");
            software.amazon.awssdk.services.s3.S3Client client = io.github.miniomigrator.demo.DemoCommand.clientFor(server);
            put(client, "src", "scans/", new byte[0]);
            put(client, "src", "scans/a.tif", BODY);
            put(client, "src", "scans/b.tif", BODY);
            for (SourceStore source : sources.both()) {
                String name = source.getClass().getSimpleName();
                Optional<ListingEntry> folder = source.stat("src", "scans/");
                assertTrue(folder.isPresent(), name + ": the folder object is there, whatever a listing of its prefix shows first");
                assertEquals(0, folder.get().size());
                assertTrue(source.exists("src", "scans/a.tif"), name);
                // (not asked here: "scans" alone, which nio2 answers as the folder's directory, unlike real stores)
                assertFalse(source.exists("src", "scans/a"), name + ": a key that is a prefix of another key does not exist");
            }
        }
    }

    @Test
    void aHeadAnswersWhateverTheListingSays() throws Exception {
        try (EmbeddedS3Server server = EmbeddedS3Server.start("source-access", TestStores.SOURCE_SECRET);
                FaultyProxy proxy = FaultyProxy.seeing(RemoveIT.portOf(server.endpoint()), r -> FaultyProxy.Fault.PASS);
                Sources sources = Sources.of(server, proxy.endpoint())) {
            server.createBucket("src");
            software.amazon.awssdk.services.s3.S3Client client = io.github.miniomigrator.demo.DemoCommand.clientFor(server);
            put(client, "src", "new.pdf", BODY);
            put(client, "src", "dir/x.pdf", BODY);
            // a listing that lags behind the write (eventually consistent bucket indexes): it shows no key yet
            proxy.rewriteResponses((request, answer) -> request.method().equals("GET") && request.path().startsWith("/src?")
                    ? answer.replaceAll("<Key>new\\.pdf</Key>", "<Key>new.pdX</Key>") : answer);
            for (SourceStore source : sources.both()) {
                String name = source.getClass().getSimpleName();
                Optional<ListingEntry> found = source.stat("src", "new.pdf");
                assertTrue(found.isPresent(), name + ": the key was written; only the listing has not caught up");
                assertEquals(BODY.length, found.get().size(), name);
                assertEquals(TestStores.md5(client, "src", "new.pdf"), found.get().etag(), name);
                assertFalse(source.exists("src", "gone.pdf"), name + ": a 404 is absent");
                assertFalse(source.exists("src", "new.pd"), name + ": a key that is a prefix of another key does not exist");
                assertFalse(source.exists("src", "dir"), name + ": nor does a key that is only a directory of others");
                assertTrue(source.exists("src", "dir/x.pdf"), name);
            }
        }
    }

    @Test
    void anErrorIsAFailureNeverAbsent() throws Exception {
        Map<String, FaultyProxy.Fault> answers = Map.of("HEAD", FaultyProxy.Fault.FORBIDDEN, "GET", FaultyProxy.Fault.FORBIDDEN);
        try (EmbeddedS3Server server = EmbeddedS3Server.start("source-access", TestStores.SOURCE_SECRET);
                FaultyProxy proxy = new FaultyProxy(RemoveIT.portOf(server.endpoint()),
                        (method, path) -> path.contains("new.pdf") || path.startsWith("/src?") ? answers.getOrDefault(method, FaultyProxy.Fault.PASS)
                                : FaultyProxy.Fault.PASS);
                Sources sources = Sources.of(server, proxy.endpoint())) {
            server.createBucket("src");
            put(io.github.miniomigrator.demo.DemoCommand.clientFor(server), "src", "new.pdf", BODY);
            for (SourceStore source : sources.both()) {
                RuntimeException refused = assertThrows(RuntimeException.class, () -> source.exists("src", "new.pdf"),
                        source.getClass().getSimpleName() + ": a 403 says nothing about the key: deleting on it would lose data");
                assertTrue(refused.getMessage().contains("403") || refused.getMessage().contains("AccessDenied"), refused.getMessage());
            }
        }
    }
}
