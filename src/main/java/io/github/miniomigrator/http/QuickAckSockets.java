package io.github.miniomigrator.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import jdk.net.ExtendedSocketOptions;

/**
 * Client sockets that ask their kernel to acknowledge what arrives at once (TCP_QUICKACK) before every read: beneath
 * the AWS SDK's https connections ({@link RawSocketTlsFactory}) and all of OkHttp's (the MinIO client). Why: a server
 * with Nagle's algorithm on (Ceph RGW's beast frontend, whose tcp_nodelay is off by default) writes an answer's
 * headers, then holds its body until they are acknowledged, and Linux delays that acknowledgement by ~40 ms on a
 * kept-alive connection. Measured against RGW 16.2 with 4 KiB GETs: 44-48 ms each, 2 ms with quick acks. Linux leaves
 * quick-ack mode again as soon as a connection goes back to request/answer turns, so the option is set anew before
 * each read (one setsockopt, ~1.6 us of CPU here; no change in CPU per object measured against S3Proxy).
 * <p>
 * The SDK's plain-http connections are not among them: its Apache client registers Apache's own plain socket factory
 * for "http" and offers no supported way to replace it (README: RGW over http wants tcp_nodelay=1, or https).
 * <p>
 * Where the JVM or the system has no TCP_QUICKACK (not Linux), the sockets are the JDK's own, unchanged: checked once.
 */
public final class QuickAckSockets {
    private static final boolean SUPPORTED = probe();
    private static final SocketFactory FACTORY = new Factory();

    private QuickAckSockets() {
    }

    /** Whether sockets made here re-arm quick acks (Linux), or are plain JDK sockets (anywhere else). */
    public static boolean supported() {
        return SUPPORTED;
    }

    /** A new unconnected client socket: quick-acking where the system can, else the JDK's plain one. */
    public static Socket newSocket() {
        return SUPPORTED ? new QuickAckSocket() : new Socket();
    }

    /**
     * The same sockets as a {@link SocketFactory}, for OkHttp (the MinIO client's HTTP client; TLS is layered on top
     * of them by its SSL socket factory, as the JDK's plain sockets were).
     */
    public static SocketFactory socketFactory() {
        return FACTORY;
    }

    private static boolean probe() {
        try (Socket probe = new Socket()) {
            return probe.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
        } catch (IOException | RuntimeException | LinkageError e) {
            return false; // jdk.net missing from a trimmed runtime, or no socket at all: plain sockets, silently
        }
    }

    /** A client socket whose input stream sets TCP_QUICKACK before each read; counts how often, for the tests. */
    static final class QuickAckSocket extends Socket {
        private final AtomicLong quickAcks = new AtomicLong();

        /** How many reads of this socket were preceded by a quick-ack request. */
        long quickAcks() {
            return quickAcks.get();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    quickAck();
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    quickAck();
                    return in.read(b, off, len);
                }
            };
        }

        private void quickAck() {
            try {
                setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
                quickAcks.incrementAndGet();
            } catch (IOException e) {
                // closed or reset: the read that follows reports it
            }
        }
    }

    /** Unconnected sockets as OkHttp asks for them; the connecting variants for any other caller. */
    private static final class Factory extends SocketFactory {
        @Override
        public Socket createSocket() {
            return newSocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
        }

        private static Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
            Socket socket = newSocket();
            try {
                if (local != null) {
                    socket.bind(local);
                }
                socket.connect(remote);
                return socket;
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }
}
