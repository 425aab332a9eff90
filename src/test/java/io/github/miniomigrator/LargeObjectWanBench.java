package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.demo.FreePort;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * One large object over a distant link (README, Benchmark; issue 21): bench/wan-relay.py in front of the target (RTT 40
 * ms, 8 MB/s per connection, 60 MB/s in all), `copy` timed once per migration.multipart.concurrency, the target object
 * deleted before each. On demand only (its name matches no default pattern): {@code mvn -B verify -Dtest=LargeObjectWanBench
 * -DskipITs -Dsurefire.failIfNoSpecifiedTests=false}; -Dbench.mib (256), -Dbench.concurrencies (1,4,8). Needs python3.
 */
class LargeObjectWanBench {
    @Test
    void oneLargeObjectOverADistantLink() throws Exception {
        long size = Long.getLong("bench.mib", 256) << 20;
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            byte[] block = new byte[1 << 20];
            new Random(1).nextBytes(block);
            stores.sourceClient.putObject(b -> b.bucket("src").key("big.bin"),
                    RequestBody.fromContentProvider(() -> new RepeatedBlock(block, size), size, "application/octet-stream"));
            int port = FreePort.next();
            Process relay = new ProcessBuilder("python3", "bench/wan-relay.py", String.valueOf(port),
                    String.valueOf(RemoveIT.portOf(stores.target.endpoint()))).inheritIO().start();
            try {
                Wait.until("the relay listens", Duration.ofSeconds(20), () -> listens(port));
                for (String concurrency : System.getProperty("bench.concurrencies", "1,4,8").split(",")) {
                    stores.targetClient.deleteObject(b -> b.bucket("dst").key("big.bin"));
                    long start = System.nanoTime();
                    TestStores.Run run = stores.run("copy", stores.arguments("src:dst", "migration.target.endpoint=http://127.0.0.1:" + port,
                            "migration.multipart.concurrency=" + concurrency.trim()));
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    assertEquals(0, run.exitCode(), run.all());
                    assertEquals(TestStores.md5(stores.sourceClient, "src", "big.bin"), TestStores.md5(stores.targetClient, "dst", "big.bin"));
                    System.out.printf("%d MiB, migration.multipart.concurrency=%s: %.1f s%n", size >> 20, concurrency.trim(), millis / 1000.0);
                }
            } finally {
                relay.destroy();
            }
        }
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** {@code size} bytes of one block over and over: a large body without a large array. */
    private static final class RepeatedBlock extends InputStream {
        private final byte[] block;
        private long left;
        private long at;

        RepeatedBlock(byte[] block, long size) {
            this.block = block;
            this.left = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int offset = (int) (at % block.length);
            int n = (int) Math.min(Math.min(len, left), block.length - offset);
            System.arraycopy(block, offset, b, off, n);
            left -= n;
            at += n;
            return n;
        }
    }
}
