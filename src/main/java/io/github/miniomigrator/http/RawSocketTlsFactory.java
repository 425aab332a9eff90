package io.github.miniomigrator.http;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.protocol.HttpContext;
import software.amazon.awssdk.http.SystemPropertyTlsKeyManagersProvider;
import software.amazon.awssdk.http.apache.internal.conn.SdkTlsSocketFactory;
import software.amazon.awssdk.http.apache.internal.net.DelegateSslSocket;

/**
 * The SDK's own TLS socket factory (same protocols, same socket wrappers, same host name check), except that each
 * TLS socket tells the request writing through it which plain socket lies beneath. Needed because closing a TLS
 * socket that another thread is stuck writing to does not unblock it: Conscrypt's close first sends close_notify,
 * which waits for the very write lock the stuck thread holds (seen in a thread dump). Closing the plain socket
 * beneath wakes the stuck write at once; the TLS close after it then fails fast instead of waiting.
 * <p>
 * The plain socket beneath is one of {@link QuickAckSockets}: a server with Nagle's algorithm on would otherwise hold
 * each answer's body ~40 ms behind its headers (see there).
 * <p>
 * The SDK classes extended here are marked internal: an SDK upgrade that changes them fails the build, not a run.
 */
final class RawSocketTlsFactory extends SdkTlsSocketFactory {
    private RawSocketTlsFactory(SSLContext context) {
        super(context, SSLConnectionSocketFactory.getDefaultHostnameVerifier());
    }

    /**
     * As the SDK builds its own from its settings: key managers from the javax.net.ssl system properties, trust from
     * the given manager or else the JVM's default, the JVM's first TLS provider (Conscrypt where installed).
     * @param trust the CA a side's ca-cert setting names, or null for the JVM's trust store
     */
    static RawSocketTlsFactory create(TrustManager trust) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(SystemPropertyTlsKeyManagersProvider.create().keyManagers(), trust == null ? null : new TrustManager[] {trust}, null);
            return new RawSocketTlsFactory(context);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** The plain socket of a direct connection, before it connects; TLS is layered on it in connectSocket. */
    @Override
    public Socket createSocket(HttpContext context) {
        return QuickAckSockets.newSocket();
    }

    /** Called for a direct connection and for one tunnelled through a proxy alike, with the plain socket beneath. */
    @Override
    public Socket createLayeredSocket(Socket plain, String target, int port, HttpContext context) throws IOException {
        return new RawSocketTelling((SSLSocket) super.createLayeredSocket(plain, target, port, context), plain);
    }

    /** A TLS socket whose every write tells the watched request on this thread the plain socket it goes out on. */
    private static final class RawSocketTelling extends DelegateSslSocket {
        private final Socket plain;

        RawSocketTelling(SSLSocket tls, Socket plain) {
            super(tls);
            this.plain = plain;
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return new FilterOutputStream(sock.getOutputStream()) {
                @Override
                public void write(int b) throws IOException {
                    StallWatchdog.writingTo(plain);
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    StallWatchdog.writingTo(plain);
                    out.write(b, off, len);
                }
            };
        }
    }
}
