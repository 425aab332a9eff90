package io.github.miniomigrator.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Two filesystem-backed S3 servers on loopback for benchmarks and trials by hand, until stopped:
 * {@code java -cp target/minio-migrator.jar io.github.miniomigrator.demo.LocalS3Servers DIR ACCESS SECRET BUCKET...}.
 * Prints one line per server: {@code source|target <endpoint>}; creates each BUCKET on both.
 */
public final class LocalS3Servers {
    private LocalS3Servers() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: LocalS3Servers DIR ACCESS_KEY SECRET_KEY [BUCKET ...]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        EmbeddedS3Server source = EmbeddedS3Server.start(args[1], args[2], Files.createDirectories(dir.resolve("source")), false);
        EmbeddedS3Server target = EmbeddedS3Server.start(args[1], args[2], Files.createDirectories(dir.resolve("target")), false);
        for (int i = 3; i < args.length; i++) {
            source.createBucket(args[i]);
            target.createBucket(args[i]);
        }
        System.out.println("source " + source.endpoint());
        System.out.println("target " + target.endpoint());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                source.close();
                target.close();
            } catch (Exception e) {
                // stopping anyway
            }
            stop.countDown();
        }));
        stop.await();
    }
}
