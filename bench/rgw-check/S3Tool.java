import io.github.miniomigrator.demo.EmbeddedS3Server;
import java.io.InputStream;
import java.net.URI;
import java.security.MessageDigest;
import java.util.*;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.*;

/**
 * Helper for bench/rgw-check: run with java -cp 'target/minio-migrator.jar:target/lib/*' bench/rgw-check/S3Tool.java
 *   s3proxy ACCESS SECRET BUCKET...            an in-memory S3Proxy (the MinIO-like side) until killed; prints its endpoint
 *   seed ENDPOINT ACCESS SECRET BUCKET         ~200 awkward keys with ASCII metadata, a folder object dir/, a 20 MiB object
 *   dump ENDPOINT ACCESS SECRET BUCKET         one line per object: key, size, MD5 of the bytes (GET), ETag, user metadata
 *   app  ENDPOINT ACCESS SECRET BUCKET         "the application": 5 new objects, 3 rewritten, 2 deleted, a new 7 MiB multipart
 *   mkbucket ENDPOINT ACCESS SECRET BUCKET
 *   zk CONNECT set PATH VALUE | get PATH | tree PATH
 */
public class S3Tool {
    public static void main(String[] a) throws Exception {
        if (a[0].equals("s3proxy")) {
            EmbeddedS3Server s = EmbeddedS3Server.start(a[1], a[2]);
            for (int i = 3; i < a.length; i++) s.createBucket(a[i]);
            System.out.println(s.endpoint());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        if (a[0].equals("zk")) {
            try (var zk = org.apache.curator.framework.CuratorFrameworkFactory.newClient(a[1], new org.apache.curator.retry.RetryOneTime(500))) {
                zk.start();
                zk.blockUntilConnected();
                switch (a[2]) {
                    case "set" -> {
                        if (zk.checkExists().forPath(a[3]) == null) zk.create().creatingParentsIfNeeded().forPath(a[3], a[4].getBytes());
                        else zk.setData().forPath(a[3], a[4].getBytes());
                    }
                    case "get" -> System.out.println(a[3] + " = " + (zk.checkExists().forPath(a[3]) == null ? "(absent)" : new String(zk.getData().forPath(a[3]))));
                    case "tree" -> tree(zk, a[3]);
                    default -> throw new IllegalArgumentException(a[2]);
                }
            }
            return;
        }
        S3Client c = S3Client.builder().endpointOverride(URI.create(a[1])).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(a[2], a[3])))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED).build();
        String b = a[4];
        switch (a[0]) {
            case "mkbucket" -> c.createBucket(r -> r.bucket(b));
            case "seed" -> seed(c, b);
            case "many" -> many(c, b, Integer.parseInt(a[5]), Integer.parseInt(a[6]));
            case "dump" -> dump(c, b);
            case "app" -> app(c, b);
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static byte[] bytes(String key, int n) {
        byte[] out = new byte[n];
        Random r = new Random(key.hashCode());
        r.nextBytes(out);
        return out;
    }

    static void put(S3Client c, String b, String key, byte[] body, Map<String, String> meta, String type) {
        c.putObject(r -> r.bucket(b).key(key).metadata(meta).contentType(type), RequestBody.fromBytes(body));
    }

    static void seed(S3Client c, String b) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) keys.add("plain/file-" + i + ".txt");
        for (int i = 0; i < 30; i++) keys.add("with space/file " + i + ".txt");
        for (int i = 0; i < 30; i++) keys.add("中文目录/发票 " + i + ".pdf");
        for (int i = 0; i < 25; i++) keys.add("plus/a+b+" + i + ".txt");
        for (int i = 0; i < 25; i++) keys.add("pct/100%25 done " + i + ".txt");
        for (int i = 0; i < 20; i++) keys.add("mixed/扫描 +%20&=" + i + "~!'().jpg");
        for (int i = 0; i < 25; i++) keys.add("top-" + i);
        keys.add("dir/inside.txt");
        int n = 0;
        for (String k : keys) {
            Map<String, String> meta = new LinkedHashMap<>();
            if (n % 2 == 0) meta.put("owner", "alice-" + n);
            if (n % 3 == 0) meta.put("doc-id", "ID " + n + " ascii only");
            put(c, b, k, bytes(k, 100 + (n * 37) % 5000), meta, n % 4 == 0 ? "application/pdf" : "text/plain");
            n++;
        }
        c.putObject(r -> r.bucket(b).key("dir/"), RequestBody.fromBytes(new byte[0]));
        put(c, b, "big/twenty-mib.bin", bytes("big", 20 << 20), Map.of("owner", "big-one"), "application/octet-stream");
        System.out.println("seeded " + (keys.size() + 2) + " objects");
    }

    /** n objects of size bytes each, written 8 at a time: a bucket big enough to time a pass by. */
    static void many(S3Client c, String b, int n, int size) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = String.format("many/%03d/object-%06d.bin", i % 100, i);
            done.add(pool.submit(() -> put(c, b, key, bytes(key, size), Map.of(), "application/octet-stream")));
        }
        for (var f : done) f.get();
        pool.shutdown();
        System.out.println("seeded " + n + " objects of " + size + " bytes");
    }

    static void app(S3Client c, String b) {
        for (int i = 0; i < 5; i++) put(c, b, "app/new " + i + "+中.txt", bytes("new" + i, 1000 + i), Map.of("owner", "app"), "text/plain");
        put(c, b, "plain/file-1.txt", bytes("rewritten1", 777), Map.of("owner", "app-rewrite"), "text/plain");
        put(c, b, "中文目录/发票 2.pdf", bytes("rewritten2", 2222), Map.of(), "application/pdf");
        put(c, b, "plus/a+b+3.txt", bytes("rewritten3", 3333), Map.of("doc-id", "rewritten"), "text/plain");
        c.deleteObject(r -> r.bucket(b).key("pct/100%25 done 4.txt"));
        c.deleteObject(r -> r.bucket(b).key("top-7"));
        // a multipart upload by the application (7 MiB in 2 parts of 5 + 2 MiB)
        byte[] big = bytes("app-multipart", 7 << 20);
        String key = "app/multipart 7mib.bin";
        String id = c.createMultipartUpload(r -> r.bucket(b).key(key).metadata(Map.of("owner", "app-mp"))).uploadId();
        String e1 = c.uploadPart(r -> r.bucket(b).key(key).uploadId(id).partNumber(1), RequestBody.fromBytes(Arrays.copyOfRange(big, 0, 5 << 20))).eTag();
        String e2 = c.uploadPart(r -> r.bucket(b).key(key).uploadId(id).partNumber(2), RequestBody.fromBytes(Arrays.copyOfRange(big, 5 << 20, big.length))).eTag();
        c.completeMultipartUpload(r -> r.bucket(b).key(key).uploadId(id).multipartUpload(m -> m.parts(
                CompletedPart.builder().partNumber(1).eTag(e1).build(), CompletedPart.builder().partNumber(2).eTag(e2).build())));
        System.out.println("app: 6 new (one multipart), 3 rewritten, 2 deleted");
    }

    static void dump(S3Client c, String b) throws Exception {
        for (S3Object o : c.listObjectsV2Paginator(r -> r.bucket(b)).contents()) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            GetObjectResponse resp;
            try (var in = c.getObject(r -> r.bucket(b).key(o.key()))) {
                resp = in.response();
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            }
            System.out.println(o.key() + "\t" + o.size() + "\t" + HexFormat.of().formatHex(md.digest()) + "\tetag=" + o.eTag()
                    + "\tmeta=" + new TreeMap<>(resp.metadata()) + "\ttype=" + resp.contentType());
        }
    }

    static void tree(org.apache.curator.framework.CuratorFramework zk, String path) throws Exception {
        byte[] d = zk.getData().forPath(path);
        System.out.println(path + " = " + (d == null ? "" : new String(d).replaceAll("\\s+", " ").replaceAll("(?i)(secret[^,\\s]*[=:]\\s*\"?)[^\",\\s]+", "$1***")));
        for (String child : zk.getChildren().forPath(path)) tree(zk, (path.equals("/") ? "" : path) + "/" + child);
    }
}
