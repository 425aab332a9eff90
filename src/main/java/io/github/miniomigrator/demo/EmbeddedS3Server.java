package io.github.miniomigrator.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 server in this process (S3Proxy over jclouds' in-memory or filesystem store), over http or https: the
 * MinIO-like source and the OSS-like target of the demo and the tests.
 */
public final class EmbeddedS3Server implements AutoCloseable {
    private final S3Proxy proxy;
    private final BlobStoreContext store;
    private final String accessKey;
    private final String secretKey;
    private final boolean tls;
    private final Path caCertificate;
    private final String host;

    private EmbeddedS3Server(S3Proxy proxy, BlobStoreContext store, String accessKey, String secretKey, boolean tls, Path caCertificate,
            String host) {
        this.host = host;
        this.proxy = proxy;
        this.store = store;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.tls = tls;
        this.caCertificate = caCertificate;
    }

    /** An in-memory server on a free loopback port. */
    public static EmbeddedS3Server start(String accessKey, String secretKey) throws Exception {
        return start(accessKey, secretKey, null, false);
    }

    /**
     * @param directory where objects live (null: in memory)
     * @param tls serve https with a fresh self-signed certificate, whose PEM {@link #caCertificate()} gives
     */
    public static EmbeddedS3Server start(String accessKey, String secretKey, Path directory, boolean tls) throws Exception {
        return start(accessKey, secretKey, directory, tls, null);
    }

    /**
     * @param virtualHost a host name under which the server also answers virtual-hosted requests: Host {@code
     *     bucket.<virtualHost>} names the bucket, and any other host name than {@code virtualHost} itself names the bucket
     *     of that exact name (as a custom domain does). Such names must resolve to 127.0.0.1 (the tests' hosts file); the
     *     server's own endpoint is then {@code http(s)://<virtualHost>:port}, and its certificate is also valid for
     *     {@code *.<virtualHost>} and {@code *.example.test}. Null: path-style only, at 127.0.0.1.
     */
    public static EmbeddedS3Server start(String accessKey, String secretKey, Path directory, boolean tls, String virtualHost) throws Exception {
        return start(accessKey, secretKey, directory == null ? "transient" : "filesystem", directory, tls, virtualHost);
    }

    /**
     * A server over jclouds' filesystem-nio2 store, which lists as real stores do (no implicit directories) but lists
     * an explicit folder object ({@code dir/}) without Size and ETag, as some S3-compatible stores do.
     */
    public static EmbeddedS3Server startNio2(String accessKey, String secretKey, Path directory) throws Exception {
        return startNio2(accessKey, secretKey, directory, false);
    }

    /** As {@link #startNio2(String, String, Path)}, over https when asked. */
    public static EmbeddedS3Server startNio2(String accessKey, String secretKey, Path directory, boolean tls) throws Exception {
        return start(accessKey, secretKey, "filesystem-nio2", directory, tls, null);
    }

    private static EmbeddedS3Server start(String accessKey, String secretKey, String provider, Path directory, boolean tls,
            String virtualHost) throws Exception {
        Properties overrides = new Properties();
        if (directory != null) {
            overrides.setProperty("jclouds.filesystem.basedir", directory.toString());
        }
        BlobStoreContext context = ContextBuilder.newBuilder(provider).credentials("identity", "credential").overrides(overrides)
                .build(BlobStoreContext.class);
        S3Proxy.Builder builder = S3Proxy.builder().blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .v4MaxNonChunkedRequestSize(1L << 30)
                .jettyMaxThreads(64);
        if (virtualHost != null) {
            builder.virtualHost(virtualHost);
        }
        Path caCertificate = null;
        if (tls) {
            Path dir = Files.createTempDirectory("s3proxy-tls");
            Path keyStore = dir.resolve("server.p12");
            caCertificate = dir.resolve("ca.pem");
            keytool("-genkeypair", "-alias", "s3proxy", "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                    "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost"
                            + (virtualHost == null ? "" : ",dns:" + virtualHost + ",dns:*." + virtualHost + ",dns:*.example.test"), "-keystore", keyStore.toString(),
                    "-storetype", "PKCS12", "-storepass", "password", "-keypass", "password");
            keytool("-exportcert", "-rfc", "-alias", "s3proxy", "-keystore", keyStore.toString(), "-storepass", "password",
                    "-file", caCertificate.toString());
            builder.secureEndpoint(URI.create("https://127.0.0.1:0")).keyStore(keyStore.toString(), "password");
        } else {
            builder.endpoint(URI.create("http://127.0.0.1:0"));
        }
        S3Proxy proxy = builder.build();
        proxy.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!proxy.getState().equals("STARTED")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
        return new EmbeddedS3Server(proxy, context, accessKey, secretKey, tls, caCertificate, virtualHost == null ? "127.0.0.1" : virtualHost);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    public String endpoint() {
        return tls ? "https://" + host + ":" + proxy.getSecurePort() : "http://" + host + ":" + proxy.getPort();
    }

    /** The port it listens on (https or http). */
    public int port() {
        return tls ? proxy.getSecurePort() : proxy.getPort();
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The PEM certificate to trust for an https server, or null over http. */
    public Path caCertificate() {
        return caCertificate;
    }

    /** The store behind the server, for looking at what it holds without going through S3 addressing. */
    public org.jclouds.blobstore.BlobStore blobStore() {
        return store.getBlobStore();
    }

    public void createBucket(String bucket) {
        store.getBlobStore().createContainerInLocation(null, bucket);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        store.close();
    }
}
