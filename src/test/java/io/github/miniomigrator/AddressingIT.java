package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.TestStores;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A store that answers path-style only (S3Proxy here, as Ceph RGW without rgw_dns_name) under a provider whose default
 * is virtual-hosted: the tool says what is wrong and which setting fixes it, on either side, and does not fall back
 * silently where the endpoint is an IP address. Runs in the failsafe execution "named-hosts": store.test resolves
 * (src/test/hosts), dst.store.test and src.store.test do not.
 */
@Tag("store")
@Tag("slow")
class AddressingIT {
    @org.junit.jupiter.api.BeforeEach
    void namedHosts() {
        boolean resolves;
        try {
            java.net.InetAddress.getByName("store.test");
            resolves = true;
        } catch (java.net.UnknownHostException e) {
            resolves = false;
        }
        // -Dit.test=AddressingIT runs it in the default execution too, where only DNS answers
        org.junit.jupiter.api.Assumptions.assumeTrue(resolves, "store.test resolves only in the failsafe execution named-hosts");
    }

    private static String named(String endpoint) {
        URI uri = URI.create(endpoint);
        return uri.getScheme() + "://store.test:" + uri.getPort();
    }

    @Test
    void aPathStyleOnlyTargetUnderProviderS3IsRefusedWithTheSettingThatFixesIt() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "a.txt", "a".getBytes());
            List<String> args = stores.arguments("src:dst", "migration.target.provider=s3",
                    "migration.target.endpoint=" + named(stores.target.endpoint()));
            TestStores.Run refused = stores.run("copy", args);
            assertEquals(MigratorApplication.EXIT_CANNOT_START, refused.exitCode(), refused.all());
            assertTrue(refused.err().contains("target bucket 'dst' cannot be written: the endpoint answers path-style only: "
                    + "migration.target.provider=s3 addresses virtual-hosted by default, which names the bucket in the host (dst.store.test)"),
                    refused.all());
            assertTrue(refused.err().contains("Set migration.target.path-style=true."), refused.all());
            assertEquals(List.of(), TestStores.keys(stores.targetClient, "dst"), "nothing written");

            List<String> fixed = new java.util.ArrayList<>(args);
            fixed.add("migration.target.path-style=true");
            TestStores.Run copied = stores.run("copy", fixed);
            assertEquals(0, copied.exitCode(), copied.all());
            assertEquals(List.of("a.txt"), TestStores.keys(stores.targetClient, "dst"));
        }
    }

    @Test
    void aPathStyleOnlySourceUnderProviderS3IsRefusedWithTheSettingThatFixesIt() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "a.txt", "a".getBytes());
            List<String> args = stores.arguments("src:dst", "migration.source.provider=s3", "migration.source.region=us-east-1",
                    "migration.source.endpoint=" + named(stores.source.endpoint()));
            TestStores.Run refused = stores.run("copy", args);
            assertEquals(MigratorApplication.EXIT_CANNOT_START, refused.exitCode(), refused.all());
            assertTrue(refused.err().contains("source bucket 'src' cannot be listed: the endpoint answers path-style only: "
                    + "migration.source.provider=s3 addresses virtual-hosted by default, which names the bucket in the host (src.store.test)"),
                    refused.all());
            assertTrue(refused.err().contains("Set migration.source.path-style=true."), refused.all());

            List<String> fixed = new java.util.ArrayList<>(args);
            fixed.add("migration.source.path-style=true");
            TestStores.Run copied = stores.run("copy", fixed);
            assertEquals(0, copied.exitCode(), copied.all());
            assertEquals(List.of("a.txt"), TestStores.keys(stores.targetClient, "dst"));
        }
    }

    /** At an IP address the SDK sends path-style whatever the provider's default: the tool says so once, and what to set. */
    @Test
    void anIpEndpointUnderProviderS3IsNamedAsPathStyle() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "a.txt", "a".getBytes());
            TestStores.Run copied = stores.run("copy", stores.arguments("src:dst", "migration.target.provider=s3"));
            assertEquals(0, copied.exitCode(), copied.all());
            assertTrue(copied.out().contains("Note: migration.target.endpoint is an IP address (127.0.0.1), where a bucket cannot be named "
                    + "in the host: requests go path-style although migration.target.provider=s3 addresses virtual-hosted by default. "
                    + "Set migration.target.path-style=true to say so"), copied.out());
            TestStores.Run explicit = stores.run("copy", stores.arguments("src:dst", "migration.target.provider=s3",
                    "migration.target.path-style=true"));
            assertEquals(0, explicit.exitCode(), explicit.all());
            assertFalse(explicit.out().contains("is an IP address"), explicit.out());
        }
    }
}
