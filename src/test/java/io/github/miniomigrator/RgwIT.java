package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.support.Rgw;
import io.github.miniomigrator.support.TestStores;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The tool against a real Ceph RGW (issue 20): the shared cluster of {@link Rgw}, buckets per test. */
class RgwIT {
    @Test
    void theSharedClusterStoresAndServesAnObject() throws Exception {
        Rgw rgw = Rgw.shared();
        String bucket = rgw.bucket("fixture");
        TestStores.put(rgw.client(), bucket, "a b/中文.txt", "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("5:\"5d41402abc4b2a76b9719d911017c592\"", TestStores.listed(rgw.client(), bucket, "").get("a b/中文.txt"));
        assertEquals(Rgw.shared(), rgw, "one cluster per JVM");
    }
}
