package io.github.miniomigrator.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.TrustedCertificates;
import io.github.miniomigrator.demo.EmbeddedS3Server;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.http.HttpHost;
import org.apache.http.client.protocol.HttpClientContext;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tool's client sockets re-arm TCP_QUICKACK before every read, under both stores' HTTP clients and under TLS
 * (Conscrypt's and the JDK's), so a server with Nagle on is acknowledged at once (timings: bench/rgw-small.sh).
 */
@Tag("store")
@Tag("slow")
class QuickAckSocketsTest {
    @BeforeEach
    void onLinux() {
        assumeTrue(QuickAckSockets.supported(), "TCP_QUICKACK is a Linux option: elsewhere the sockets are the JDK's own");
    }

    @Test
    void everyReadOfAPlainSocketAsksForAQuickAckFirst() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    out.write("abc".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            answer.start();
            QuickAckSockets.QuickAckSocket socket = assertInstanceOf(QuickAckSockets.QuickAckSocket.class, QuickAckSockets.newSocket());
            try (socket) {
                socket.connect(server.getLocalSocketAddress());
                InputStream in = socket.getInputStream();
                int reads = 0;
                StringBuilder got = new StringBuilder();
                for (int b = in.read(); b >= 0; b = in.read()) {
                    got.append((char) b);
                    reads++;
                }
                reads++; // the one that saw the end
                assertEquals("abc", got.toString());
                assertEquals(reads, socket.quickAcks(), "re-armed before each read, the last one too");
            }
            answer.join();
        }
    }

    /** The SDK's https sockets: TLS (as the tool installs it, Conscrypt, or the JDK's) reads through the quick-ack socket. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"conscrypt", "jdk"})
    void theSdksTlsSocketsReadThroughAQuickAckSocket(String provider) throws Exception {
        boolean conscrypt = provider.equals("conscrypt");
        java.security.Provider first = Security.getProviders()[0];
        // left as found: another test of this JVM may have installed Conscrypt already (TlsProvider does)
        java.security.Provider added = null;
        if (conscrypt && !Conscrypt.isConscrypt(first)) {
            added = Conscrypt.newProvider();
            Security.insertProviderAt(added, 1);
        } else if (!conscrypt && Conscrypt.isConscrypt(first)) {
            Security.removeProvider(first.getName());
        }
        assertEquals(conscrypt, Conscrypt.isConscrypt(javax.net.ssl.SSLContext.getInstance("TLS").getProvider()), "TLS by " + provider);
        try (EmbeddedS3Server server = EmbeddedS3Server.start("access", "secret0123456789", null, true)) {
            X509TrustManager trust = TrustedCertificates.trustManager(Setting.TARGET_CA_CERT, server.caCertificate().toString());
            RawSocketTlsFactory factory = RawSocketTlsFactory.create(trust);
            HttpClientContext context = HttpClientContext.create();
            QuickAckSockets.QuickAckSocket plain = assertInstanceOf(QuickAckSockets.QuickAckSocket.class, factory.createSocket(context));
            URI endpoint = URI.create(server.endpoint());
            try (Socket tls = factory.connectSocket(15_000, plain, new HttpHost(endpoint.getHost(), endpoint.getPort(), "https"),
                    new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), null, context)) {
                long afterHandshake = plain.quickAcks();
                assertTrue(afterHandshake > 0, "the handshake's reads went through it: " + afterHandshake);
                tls.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + endpoint.getAuthority() + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 "), answer);
                assertTrue(plain.quickAcks() > afterHandshake, "the answer's reads went through it too");
            }
        } finally {
            if (added != null) {
                Security.removeProvider(added.getName());
            } else if (!conscrypt && Conscrypt.isConscrypt(first)) {
                Security.insertProviderAt(first, 1);
            }
        }
    }

    /** The MinIO client's OkHttp, over http and https, with the factory SourceClientFactory gives it. */
    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void okHttpReadsThroughQuickAckSockets(boolean tls) throws Exception {
        List<Socket> made = new CopyOnWriteArrayList<>();
        SocketFactory recording = new SocketFactory() {
            @Override
            public Socket createSocket() throws java.io.IOException {
                Socket socket = QuickAckSockets.socketFactory().createSocket();
                made.add(socket);
                return socket;
            }

            @Override
            public Socket createSocket(String host, int port) {
                throw new UnsupportedOperationException("OkHttp asks for unconnected sockets");
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
                throw new UnsupportedOperationException("OkHttp asks for unconnected sockets");
            }

            @Override
            public Socket createSocket(InetAddress host, int port) {
                throw new UnsupportedOperationException("OkHttp asks for unconnected sockets");
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
                throw new UnsupportedOperationException("OkHttp asks for unconnected sockets");
            }
        };
        try (EmbeddedS3Server server = EmbeddedS3Server.start("access", "secret0123456789", null, tls)) {
            OkHttpClient.Builder builder = new OkHttpClient.Builder().socketFactory(recording);
            if (tls) {
                X509TrustManager trust = TrustedCertificates.trustManager(Setting.SOURCE_CA_CERT, server.caCertificate().toString());
                builder.sslSocketFactory(TrustedCertificates.sslContext(trust).getSocketFactory(), trust);
            }
            OkHttpClient http = builder.build();
            for (int i = 0; i < 3; i++) {
                try (Response response = http.newCall(new Request.Builder().url(server.endpoint() + "/").build()).execute()) {
                    assertTrue(response.code() > 0);
                    response.body().bytes();
                }
            }
            http.connectionPool().evictAll();
            assertEquals(1, made.size(), "one kept-alive connection for the three requests");
            QuickAckSockets.QuickAckSocket socket = assertInstanceOf(QuickAckSockets.QuickAckSocket.class, made.get(0));
            assertTrue(socket.quickAcks() >= 3, "at least one re-armed read per answer: " + socket.quickAcks());
        }
    }
}
