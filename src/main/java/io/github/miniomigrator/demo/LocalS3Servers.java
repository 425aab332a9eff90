package io.github.miniomigrator.demo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Three filesystem-backed S3 servers on loopback for benchmarks and trials by hand, until stopped:
 * {@code java -cp target/minio-migrator.jar io.github.miniomigrator.demo.LocalS3Servers DIR ACCESS SECRET BUCKET...}.
 * A source, a target over http and a target over https (as OSS is), all on jclouds' filesystem-nio2 store, which lists
 * as real stores do (no implicit directory entries). Prints one line per server: {@code source|target <endpoint>} and
 * {@code target-tls <endpoint> <CA certificate PEM>}; creates each BUCKET on all three.
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
        EmbeddedS3Server source = EmbeddedS3Server.startNio2(args[1], args[2], Files.createDirectories(dir.resolve("source")), false);
        EmbeddedS3Server target = EmbeddedS3Server.startNio2(args[1], args[2], Files.createDirectories(dir.resolve("target")), false);
        EmbeddedS3Server targetTls = EmbeddedS3Server.startNio2(args[1], args[2], Files.createDirectories(dir.resolve("target-tls")), true);
        for (int i = 3; i < args.length; i++) {
            source.createBucket(args[i]);
            target.createBucket(args[i]);
            targetTls.createBucket(args[i]);
        }
        System.out.println("source " + source.endpoint());
        System.out.println("target " + target.endpoint());
        System.out.println("target-tls " + targetTls.endpoint() + " " + targetTls.caCertificate());
        System.out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                source.close();
                target.close();
                targetTls.close();
            } catch (Exception e) {
                // stopping anyway
            }
            stop.countDown();
        }));
        stop.await();
    }
}
