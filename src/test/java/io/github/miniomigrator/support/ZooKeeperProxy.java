package io.github.miniomigrator.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.zookeeper.ZooDefs;

/**
 * A TCP proxy on loopback in front of a real ZooKeeper server that cuts the first connection sending a multi()
 * transaction, either after the server answered it (it applied, the client never hears so) or before the server saw it
 * (nothing applied). Every other connection, the client's reconnect included, passes through untouched.
 *
 * <p>It reads ZooKeeper's framing, not its contents: each packet is a 4-byte big-endian length and a payload; the first
 * payload each way is the connect request or response, every later one starts with the header's xid (and, from the
 * client, the operation type).
 */
public final class ZooKeeperProxy implements AutoCloseable {
    /** Where the transaction is cut. */
    public enum Cut {
        /** Forward the multi, wait for the server's reply to it, then reset both sides instead of relaying the reply. */
        AFTER_THE_SERVER_APPLIED,
        /** Reset both sides instead of forwarding the multi: the server never sees it. */
        BEFORE_THE_SERVER_SAW_IT
    }

    private static final int NO_XID = Integer.MIN_VALUE;

    private final ServerSocket listener;
    private final int serverPort;
    private final Cut where;
    private final AtomicBoolean multiClaimed = new AtomicBoolean();
    private final AtomicBoolean cutMade = new AtomicBoolean();
    /** Every socket still open, so close() ends the relays blocked reading them. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "zookeeper-proxy");
        t.setDaemon(true);
        return t;
    });

    private ZooKeeperProxy(int serverPort, Cut where) throws IOException {
        this.serverPort = serverPort;
        this.where = where;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public static ZooKeeperProxy inFrontOf(int serverPort, Cut where) throws IOException {
        return new ZooKeeperProxy(serverPort, where);
    }

    /** The connect string to give the client instead of the server's. */
    public String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Whether the proxy cut a connection as its mode says (so a test proves the branch it means to, not a pass-through). */
    public boolean hasCut() {
        return cutMade.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client = null;
            try {
                client = listener.accept();
                open.add(client);
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                open.add(server);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Connection connection = new Connection(client, server);
                threads.execute(connection::clientToServer);
                threads.execute(connection::serverToClient);
            } catch (IOException e) {
                // the server went away (the client sees a dropped connection, as it would without us), or we are closing
                if (client != null) {
                    closeQuietly(client);
                }
            }
        }
    }

    /** One client connection and its own connection to the server. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        /** The xid of the multi whose reply is to be swallowed; set before the multi is forwarded. */
        private volatile int awaitedXid = NO_XID;

        Connection(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void clientToServer() {
            try (DataInputStream in = new DataInputStream(client.getInputStream())) {
                OutputStream out = server.getOutputStream();
                relay(readPacket(in, 0), out); // the connect request has no header
                while (true) {
                    byte[] packet = readPacket(in, 8);
                    ByteBuffer header = ByteBuffer.wrap(packet, 4, packet.length - 4);
                    int xid = header.getInt();
                    int type = header.getInt();
                    if (type == ZooDefs.OpCode.multi && multiClaimed.compareAndSet(false, true)) {
                        if (where == Cut.BEFORE_THE_SERVER_SAW_IT) {
                            reset();
                            return;
                        }
                        awaitedXid = xid;
                    }
                    relay(packet, out);
                }
            } catch (IOException e) {
                closeBoth();
            }
        }

        void serverToClient() {
            try (DataInputStream in = new DataInputStream(server.getInputStream())) {
                OutputStream out = client.getOutputStream();
                relay(readPacket(in, 0), out); // the connect response has no header
                while (true) {
                    byte[] packet = readPacket(in, 8);
                    // the reply to the multi: the server has applied it and answered; the client must not hear so
                    if (awaitedXid != NO_XID && ByteBuffer.wrap(packet, 4, 4).getInt() == awaitedXid) {
                        reset();
                        return;
                    }
                    relay(packet, out);
                }
            } catch (IOException e) {
                closeBoth();
            }
        }

        /** Both sides see a reset (RST), not an orderly close: as when a network path dies. */
        private void reset() {
            for (Socket socket : new Socket[] {client, server}) {
                try {
                    socket.setSoLinger(true, 0);
                } catch (SocketException e) {
                    // already closed by the other direction
                }
            }
            closeBoth();
            cutMade.set(true);
        }

        private void closeBoth() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /** A whole packet, its 4-byte length prefix included, so it can be relayed as it came; shorter than minimum is no packet. */
    private static byte[] readPacket(DataInputStream in, int minimum) throws IOException {
        int length = in.readInt();
        if (length < minimum || length > 16 * 1024 * 1024) {
            throw new IOException("not a ZooKeeper packet: length " + length);
        }
        byte[] packet = new byte[4 + length];
        ByteBuffer.wrap(packet).putInt(length);
        in.readFully(packet, 4, length);
        return packet;
    }

    private static void relay(byte[] packet, OutputStream out) throws IOException {
        out.write(packet);
        out.flush();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(this::closeQuietly);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
