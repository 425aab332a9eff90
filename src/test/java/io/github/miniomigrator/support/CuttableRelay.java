package io.github.miniomigrator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP relay on loopback in front of one server port that a test can cut: every connection through it is reset and new
 * ones are refused until it is healed. To the server, a cut client is one that died (kill -9, a lost machine): its
 * session lives on until it times out; the client process itself lives on, cut off, as after a network failure.
 */
public final class CuttableRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int serverPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    /** Client bytes after which the next connection to carry that many goes silent; 0: none will. */
    private final java.util.concurrent.atomic.AtomicLong silenceAfter = new java.util.concurrent.atomic.AtomicLong();
    /** Connections silenced so far. */
    public final java.util.concurrent.atomic.AtomicInteger silenced = new java.util.concurrent.atomic.AtomicInteger();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "cuttable-relay");
        t.setDaemon(true);
        return t;
    });

    public CuttableRelay(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    public String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** Resets every connection through the relay and refuses new ones. */
    public void cut() {
        cut = true;
        open.forEach(this::reset);
    }

    /**
     * The first connection whose client sends more than this many bytes (an upload, TLS or not: the relay sees only
     * bytes) passes exactly that many on, then nothing more either way, both sockets left open: a path that died
     * mid-upload. New connections get small receive buffers from now on, so the client's write blocks after a few MiB.
     */
    public void silenceOnceAfter(long bytes) throws IOException {
        listener.setReceiveBufferSize(64 * 1024);
        silenceAfter.set(bytes);
    }

    /** New connections pass again. */
    public void heal() {
        cut = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    reset(client);
                    continue;
                }
                open.add(client);
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                open.add(server);
                java.util.concurrent.atomic.AtomicBoolean silent = new java.util.concurrent.atomic.AtomicBoolean();
                threads.execute(() -> pump(client, server, silent, true));
                threads.execute(() -> pump(server, client, silent, false));
            } catch (IOException e) {
                // closing, or the server is gone: the client sees its connection drop
            }
        }
    }

    private void pump(Socket from, Socket to, java.util.concurrent.atomic.AtomicBoolean silent, boolean upstream) {
        byte[] buffer = new byte[8192];
        long sent = 0;
        try (InputStream in = from.getInputStream()) {
            OutputStream out = to.getOutputStream();
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                long limit = silenceAfter.get();
                if (upstream && limit > 0 && sent + n > limit && silenceAfter.compareAndSet(limit, 0)) {
                    out.write(buffer, 0, (int) (limit - sent));
                    out.flush();
                    silent.set(true);
                    silenced.incrementAndGet();
                }
                if (silent.get()) {
                    while (!listener.isClosed()) {
                        HttpWire.sleep(100); // neither reads nor writes: only closing the relay ends it
                    }
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
                sent += n;
            }
        } catch (IOException e) {
            // reset or closed
        }
        reset(from);
        reset(to);
    }

    private void reset(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        open.forEach(this::reset);
        threads.shutdownNow();
    }
}
