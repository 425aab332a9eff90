package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.ConnectProxy;
import io.github.miniomigrator.support.TestStores;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A target reached only through an HTTP proxy (migration.target.proxy), as in networks that let nothing out otherwise:
 * the tool opens CONNECT tunnels through a real proxy to the TLS target, a wrong proxy password is refused with the
 * setting named before anything is written, and neither password shows anywhere.
 */
@Tag("store")
class ProxyIT {
    static final String PROXY_PASSWORD = "proxy-SECRET-7d1c0e55a2";
    static final String WRONG_PASSWORD = "wrong-SECRET-41be9c06f3";

    static String hostPort(String endpoint) {
        URI uri = URI.create(endpoint);
        return uri.getHost() + ":" + uri.getPort();
    }

    @Test
    void theTargetIsReachedThroughTheProxysTunnelsAndAWrongPasswordIsNamed() throws Exception {
        try (TestStores stores = new TestStores(true); ConnectProxy proxy = new ConnectProxy("migrator", PROXY_PASSWORD)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            Map<String, byte[]> objects = new HashMap<>();
            for (int i = 0; i < 30; i++) {
                objects.put("scans/page-" + i + ".pdf", ("page " + i + " behind a proxy").getBytes(StandardCharsets.UTF_8));
            }
            TestStores.putAll(stores.sourceClient, "src", objects);
            List<String> args = stores.arguments("src:dst", "migration.target.proxy=" + proxy.endpoint(),
                    "migration.target.proxy-username=migrator");

            TestStores.Run refused = stores.runWith("copy", args, Map.of("MIGRATION_TARGET_PROXY_PASSWORD", WRONG_PASSWORD));
            assertEquals(MigratorApplication.EXIT_CANNOT_START, refused.exitCode(), refused.all());
            assertTrue(refused.err().contains("the proxy in migration.target.proxy refused to open a tunnel to the target: check "
                    + "migration.target.proxy-username and migration.target.proxy-password"), refused.all());
            assertTrue(proxy.refused() > 0, "the proxy refused the wrong password");
            assertEquals(List.of(), proxy.tunnels(), "no tunnel was opened");
            assertEquals(List.of(), TestStores.keys(stores.targetClient, "dst"), "nothing written");

            TestStores.Run copied = stores.runWith("copy", args, Map.of("MIGRATION_TARGET_PROXY_PASSWORD", PROXY_PASSWORD));
            assertEquals(0, copied.exitCode(), copied.all());
            assertEquals(TestStores.contents(stores.sourceClient, "src", ""), TestStores.contents(stores.targetClient, "dst", ""));
            assertFalse(proxy.tunnels().isEmpty(), "the target was reached through the proxy");
            assertTrue(proxy.tunnels().stream().allMatch(hostPort(stores.target.endpoint())::equals),
                    "tunnels to the target only (the source is reached directly): " + proxy.tunnels());

            for (TestStores.Run run : List.of(refused, copied)) {
                assertFalse(run.all().contains(PROXY_PASSWORD) || run.all().contains(WRONG_PASSWORD), "a proxy password shows: " + run.all());
            }
        }
    }

    @Test
    void aProxyWrittenWithItsPasswordInTheUrlIsRefusedWithoutEchoingIt() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            TestStores.Run run = stores.run("copy", stores.arguments("src:dst",
                    "migration.target.proxy=http://migrator:" + PROXY_PASSWORD + "@127.0.0.1:3128"));
            assertEquals(MigratorApplication.EXIT_CANNOT_START, run.exitCode(), run.all());
            assertTrue(run.err().contains("migration.target.proxy is not http://host:port"), run.all());
            assertFalse(run.all().contains(PROXY_PASSWORD), run.all());

            TestStores.Run alone = stores.run("copy", stores.arguments("src:dst", "migration.target.proxy-username=migrator"));
            assertEquals(MigratorApplication.EXIT_CANNOT_START, alone.exitCode(), alone.all());
            assertTrue(alone.err().contains("migration.target.proxy is empty"), alone.all());
        }
    }
}
