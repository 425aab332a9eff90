import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A wide-area link in user space, for benchmarks on one machine (the kernel here has no netem): a TCP proxy on loopback
 * that delays every chunk by the one-way latency and caps the bytes per second of each connection and of all together.
 *
 * <pre>
 *   java bench/WanProxy.java --target 127.0.0.1:9000 [--listen 0] [--rtt 40ms] [--conn-rate 8M] [--total-rate 60M]
 *   java bench/WanProxy.java self-test            measures the proxy itself (capacity, caps, latency) and exits
 * </pre>
 *
 * Prints {@code listening <port>} once it accepts; on SIGTERM prints the bytes it carried each way. Rates are bytes per
 * second: {@code 8M} = 8,000,000, {@code 8Mi} = 8 x 2^20, {@code off} or 0 = no cap.
 *
 * <p>Each direction of each connection is a reader thread and a writer thread with a timed queue between them. The
 * reader takes what the socket has (up to 64 KiB), waits for the connection's token bucket and then the total one (a
 * chunk leaves the bottleneck), stamps the chunk with that time plus the one-way delay and queues it; the writer sends
 * each chunk when its time comes. So chunks are never serialised by the delay: a chunk read at t arrives at t + delay
 * while later ones keep flowing, and a direction's bytes in flight are rate x delay, as on a real link. The caps hold
 * per direction (a link is full duplex): 60M total means 60 MB/s up and 60 MB/s down. A new connection's first byte
 * leaves one RTT after it was accepted, as after TCP's handshake. Not emulated: loss, TCP slow start and its window
 * (the proxy acknowledges at once on loopback, so the sender's window never limits it).
 */
public final class WanProxy implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private static final int QUEUE_CHUNKS = 512;  // at most 32 MiB queued per direction of a connection

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long oneWayNanos;
    private final long connRate;
    private final Bucket totalUp;
    private final Bucket totalDown;
    private final AtomicLong bytesUp = new AtomicLong();
    private final AtomicLong bytesDown = new AtomicLong();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();
    private volatile boolean closed;

    WanProxy(int listenPort, InetSocketAddress target, long rttNanos, long connRate, long totalRate) throws IOException {
        this.server = new ServerSocket();
        this.server.setReuseAddress(true);
        this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 1024);
        this.target = target;
        this.oneWayNanos = rttNanos / 2;
        this.connRate = connRate;
        this.totalUp = Bucket.of(totalRate);
        this.totalDown = Bucket.of(totalRate);
        Thread acceptor = new Thread(this::acceptLoop, "wan-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("accept failed: " + e);
                }
                return;
            }
            long accepted = System.nanoTime();
            Socket upstream = new Socket();
            try {
                upstream.connect(target, 10_000);
                for (Socket s : new Socket[] {client, upstream}) {
                    s.setTcpNoDelay(true);
                    s.setKeepAlive(true);
                }
            } catch (IOException e) {
                System.err.println("cannot reach " + target + ": " + e);
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            connections.incrementAndGet();
            Connection c = new Connection(client, upstream);
            synchronized (open) {
                open.add(client);
                open.add(upstream);
            }
            // the handshake's round trip: nothing leaves before one RTT after the accept
            long firstByte = accepted + 2 * oneWayNanos;
            c.start(client, upstream, Bucket.of(connRate), totalUp, bytesUp, firstByte, "up");
            c.start(upstream, client, Bucket.of(connRate), totalDown, bytesDown, firstByte, "down");
        }
    }

    /** One proxied connection: closes both sockets once both directions ended (or at once on an error). */
    private final class Connection {
        private final Socket a;
        private final Socket b;
        private final CountDownLatch directions = new CountDownLatch(2);

        Connection(Socket a, Socket b) {
            this.a = a;
            this.b = b;
        }

        void start(Socket from, Socket to, Bucket own, Bucket total, AtomicLong counter, long firstByte, String name) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
            Thread reader = new Thread(() -> read(from, queue, own, total, counter, firstByte), "wan-read-" + name);
            Thread writer = new Thread(() -> write(to, queue), "wan-write-" + name);
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        private void read(Socket from, BlockingQueue<Chunk> queue, Bucket own, Bucket total, AtomicLong counter,
                long firstByte) {
            try {
                InputStream in = from.getInputStream();
                byte[] buffer = new byte[CHUNK];
                long lastDue = 0;
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    own.take(n);
                    total.take(n);
                    long due = Math.max(System.nanoTime(), firstByte) + oneWayNanos;
                    lastDue = Math.max(due, lastDue);  // a FIFO link: never overtakes
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), lastDue));
                    counter.addAndGet(n);
                }
                queue.put(new Chunk(null, Math.max(Math.max(System.nanoTime(), firstByte) + oneWayNanos, lastDue)));  // FIN
            } catch (IOException | InterruptedException e) {
                abort();
                queue.offer(new Chunk(null, 0));
            }
        }

        private void write(Socket to, BlockingQueue<Chunk> queue) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk c = queue.take();
                    long wait;
                    while ((wait = c.due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (c.bytes == null) {
                        if (!to.isClosed()) {
                            to.shutdownOutput();
                        }
                        break;
                    }
                    out.write(c.bytes);
                }
            } catch (IOException | InterruptedException e) {
                abort();
            } finally {
                queue.clear();  // a reader waiting for room goes on to find its socket closed
                directions.countDown();
                if (directions.getCount() == 0) {
                    abort();
                }
            }
        }

        private void abort() {
            closeQuietly(a);
            closeQuietly(b);
            synchronized (open) {
                open.remove(a);
                open.remove(b);
            }
        }
    }

    private record Chunk(byte[] bytes, long due) {
    }

    /**
     * A token bucket that lends: a take beyond the tokens waits until the debt is paid. It holds up to 20 ms of its rate
     * (at least one chunk), so a reader the scheduler wakes late loses no tokens.
     */
    static final class Bucket {
        private final long rate;  // bytes per second; 0 = no cap
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        private Bucket(long rate) {
            this.rate = rate;
            this.capacity = Math.max(CHUNK, rate / 50.0);
            this.tokens = CHUNK;
        }

        static Bucket of(long rate) {
            return new Bucket(rate);
        }

        void take(int n) throws InterruptedException {
            if (rate <= 0) {
                return;
            }
            long until;
            synchronized (this) {
                long now = System.nanoTime();
                tokens = Math.min(capacity, tokens + (now - last) * (rate / 1e9));
                last = now;
                tokens -= n;
                until = tokens >= 0 ? now : now + (long) (-tokens * 1e9 / rate);
            }
            long wait;
            while ((wait = until - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        List<Socket> sockets;
        synchronized (open) {
            sockets = new ArrayList<>(open);
        }
        sockets.forEach(WanProxy::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    // ---------------------------------------------------------------------------------------------------- command line

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("self-test")) {
            selfTest(options(Arrays.copyOfRange(args, 1, args.length)));
            return;
        }
        Map<String, String> o = options(args);
        if (!o.containsKey("target")) {
            System.err.println("usage: java bench/WanProxy.java --target HOST:PORT [--listen PORT] [--rtt 40ms]"
                    + " [--conn-rate 8M] [--total-rate 60M]\n       java bench/WanProxy.java self-test");
            System.exit(2);
        }
        String[] hostPort = o.get("target").split(":");
        long rtt = duration(o.getOrDefault("rtt", "40ms"));
        long connRate = rate(o.getOrDefault("conn-rate", "8M"));
        long totalRate = rate(o.getOrDefault("total-rate", "60M"));
        WanProxy proxy = new WanProxy(Integer.parseInt(o.getOrDefault("listen", "0")),
                new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), rtt, connRate, totalRate);
        long started = System.nanoTime();
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            double s = (System.nanoTime() - started) / 1e9;
            System.err.printf(Locale.ROOT, "wan proxy: %d connections, %.1f MB up, %.1f MB down in %.0f s%n",
                    proxy.connections.get(), proxy.bytesUp.get() / 1e6, proxy.bytesDown.get() / 1e6, s);
            proxy.close();
            stop.countDown();
        }));
        System.err.printf(Locale.ROOT, "wan proxy: 127.0.0.1:%d -> %s, RTT %.1f ms, %s per connection, %s in all%n",
                proxy.port(), o.get("target"), rtt / 1e6, show(connRate), show(totalRate));
        System.out.println("listening " + proxy.port());
        System.out.flush();
        stop.await();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    static long rate(String s) {
        if (s.equals("off")) {
            return 0;
        }
        String[][] units = {{"Gi", "1073741824"}, {"Mi", "1048576"}, {"Ki", "1024"}, {"G", "1000000000"},
                {"M", "1000000"}, {"k", "1000"}, {"K", "1000"}};
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                return (long) (Double.parseDouble(s.substring(0, s.length() - u[0].length())) * Long.parseLong(u[1]));
            }
        }
        return Long.parseLong(s);
    }

    static long duration(String s) {
        if (s.endsWith("ms")) {
            return (long) (Double.parseDouble(s.substring(0, s.length() - 2)) * 1e6);
        }
        if (s.endsWith("s")) {
            return (long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1e9);
        }
        return (long) (Double.parseDouble(s) * 1e6);  // plain number: milliseconds
    }

    private static String show(long rate) {
        return rate <= 0 ? "no cap" : String.format(Locale.ROOT, "%.1f MB/s", rate / 1e6);
    }

    // ------------------------------------------------------------------------------------------------------- self-test

    /**
     * Measures the proxy on loopback with a sink server behind it (in this JVM: the load is part of what it measures):
     * throughput without delay or caps, one and eight connections; each cap alone and both; the round trip.
     */
    private static void selfTest(Map<String, String> o) throws Exception {
        long mb = Long.parseLong(o.getOrDefault("megabytes", "2000"));
        try (Sink sink = new Sink()) {
            System.out.println("WanProxy self-test (loopback, sender, proxy and sink in one JVM; "
                    + Runtime.getRuntime().availableProcessors() + " CPUs)");
            System.out.println("throughput, no delay, no caps (best of 3):");
            for (int conns : new int[] {1, 8}) {
                double best = 0;
                for (int i = 0; i < 3; i++) {
                    best = Math.max(best, push(sink, 0, 0, 0, conns, mb * 1_000_000 / conns).mbPerSecond);
                }
                System.out.printf(Locale.ROOT, "  %d connection(s): %.0f MB/s%n", conns, best);
            }
            // without a proxy, for scale
            Result direct = pushDirect(sink, 8, mb * 1_000_000 / 8);
            System.out.printf(Locale.ROOT, "  8 connections, no proxy (for scale): %.0f MB/s%n", direct.mbPerSecond);
            System.out.println("caps, RTT 40 ms: the rate over the whole transfer (first byte sent to last received) and"
                    + " while all send (10-60 % of the bytes), each against the cap:");
            System.out.printf(Locale.ROOT, "%-56s %-19s %-19s  %s%n", "", "whole transfer", "while all send", "time");
            report("  1 connection, 8 MB/s per connection", push(sink, 40, 8_000_000, 0, 1, 80_000_000), 8);
            report("  8 connections, 8 MB/s each, 60 MB/s in all", push(sink, 40, 8_000_000, 60_000_000, 8, 75_000_000),
                    60);
            report("  4 connections, 8 MB/s each, 60 MB/s in all", push(sink, 40, 8_000_000, 60_000_000, 4, 75_000_000),
                    32);
            report("  16 connections, no per-connection cap, 60 MB/s in all", push(sink, 40, 0, 60_000_000, 16,
                    30_000_000), 60);
            report("  1 connection, 200 MB/s per connection, RTT 0", push(sink, 0, 200_000_000, 0, 1, 1_000_000_000),
                    200);
            System.out.println("round trip (1-byte ping-pong on one connection, median of 50):");
            for (int rttMs : new int[] {0, 40, 100}) {
                System.out.printf(Locale.ROOT, "  RTT %3d ms set: %.2f ms measured%n", rttMs, pingPong(sink, rttMs));
            }
            System.out.printf(Locale.ROOT, "  a new connection's first answer at RTT 40 ms: %.1f ms (handshake + request)%n",
                    firstAnswer(sink, 40));
        }
    }

    private record Result(double mbPerSecond, double seconds, double steadyMbPerSecond) {
    }

    private static void report(String label, Result r, double expectMb) {
        System.out.printf(Locale.ROOT, "%-56s %6.2f MB/s (%+5.1f %%) %6.2f MB/s (%+5.1f %%)  %5.1f s%n", label,
                r.mbPerSecond, (r.mbPerSecond / expectMb - 1) * 100, r.steadyMbPerSecond,
                (r.steadyMbPerSecond / expectMb - 1) * 100, r.seconds);
    }

    /** Sends {@code bytes} on each of {@code conns} connections through a fresh proxy; the sink acknowledges the end. */
    private static Result push(Sink sink, long rttMs, long connRate, long totalRate, int conns, long bytes)
            throws Exception {
        try (WanProxy proxy = new WanProxy(0, sink.address(), rttMs * 1_000_000, connRate, totalRate)) {
            return send(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port()), conns, bytes, rttMs,
                    sink.received);
        }
    }

    private static Result pushDirect(Sink sink, int conns, long bytes) throws Exception {
        return send(sink.address(), conns, bytes, 0);
    }

    private static Result send(InetSocketAddress to, int conns, long bytes, long rttMs) throws Exception {
        return send(to, conns, bytes, rttMs, null);
    }

    private static Result send(InetSocketAddress to, int conns, long bytes, long rttMs, AtomicLong received)
            throws Exception {
        // samples of the bytes the sink has received, for the rate while every connection still sends
        List<long[]> samples = new ArrayList<>();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                synchronized (samples) {
                    samples.add(new long[] {System.nanoTime(), received.get()});
                }
                LockSupport.parkNanos(50_000_000);
            }
        });
        sampler.setDaemon(true);
        if (received != null) {
            received.set(0);
            sampler.start();
        }
        Thread[] senders = new Thread[conns];
        Exception[] failure = new Exception[1];
        long start = System.nanoTime();
        for (int i = 0; i < conns; i++) {
            senders[i] = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.connect(to);
                    s.setTcpNoDelay(true);
                    OutputStream out = s.getOutputStream();
                    byte[] block = new byte[CHUNK];
                    for (long left = bytes; left > 0; left -= block.length) {
                        out.write(block, 0, (int) Math.min(block.length, left));
                    }
                    s.shutdownOutput();
                    if (s.getInputStream().read() != 1) {  // the sink's count arrived whole
                        throw new IOException("no acknowledgement");
                    }
                } catch (Exception e) {
                    failure[0] = e;
                }
            });
            senders[i].start();
        }
        for (Thread t : senders) {
            t.join();
        }
        if (failure[0] != null) {
            throw failure[0];
        }
        // not transfer time: the handshake's round trip, the last byte's way there and the acknowledgement's way back
        double seconds = (System.nanoTime() - start) / 1e9 - 2 * rttMs / 1e3;
        double steady = Double.NaN;
        if (received != null) {
            sampler.interrupt();
            sampler.join();
            long total = bytes * conns;
            long[] from = null;
            long[] to80 = null;
            for (long[] sample : samples) {
                if (from == null && sample[1] >= total / 10) {
                    from = sample;
                }
                if (to80 == null && sample[1] >= total * 6 / 10) {
                    to80 = sample;
                }
            }
            steady = (to80[1] - from[1]) / 1e6 / ((to80[0] - from[0]) / 1e9);
        }
        return new Result(bytes * conns / 1e6 / seconds, seconds, steady);
    }

    private static double pingPong(Sink sink, long rttMs) throws Exception {
        try (WanProxy proxy = new WanProxy(0, sink.echoAddress(), rttMs * 1_000_000, 0, 0);
             Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(0);
            in.read();  // past the handshake
            double[] times = new double[50];
            for (int i = 0; i < times.length; i++) {
                long t = System.nanoTime();
                out.write(i);
                if (in.read() < 0) {
                    throw new IOException("echo closed");
                }
                times[i] = (System.nanoTime() - t) / 1e6;
            }
            Arrays.sort(times);
            return times[times.length / 2];
        }
    }

    private static double firstAnswer(Sink sink, long rttMs) throws Exception {
        try (WanProxy proxy = new WanProxy(0, sink.echoAddress(), rttMs * 1_000_000, 0, 0)) {
            long t = System.nanoTime();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                s.setTcpNoDelay(true);
                s.getOutputStream().write(1);
                s.getInputStream().read();
                return (System.nanoTime() - t) / 1e6;
            }
        }
    }

    /** Two loopback servers: one reads everything and answers one byte at the end, one echoes. */
    private static final class Sink implements AutoCloseable {
        private final ServerSocket drain;
        private final ServerSocket echo;
        final AtomicLong received = new AtomicLong();

        Sink() throws IOException {
            drain = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            echo = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            serve(drain, s -> {
                InputStream in = s.getInputStream();
                byte[] b = new byte[CHUNK];
                int n;
                while ((n = in.read(b)) >= 0) {
                    received.addAndGet(n);
                }
                s.getOutputStream().write(1);
            });
            serve(echo, s -> {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                int c;
                while ((c = in.read()) >= 0) {
                    out.write(c);
                }
            });
        }

        interface Handler {
            void handle(Socket s) throws IOException;
        }

        private void serve(ServerSocket server, Handler handler) {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread h = new Thread(() -> {
                            try (s) {
                                handler.handle(s);
                            } catch (IOException e) {
                                // the test's end
                            }
                        });
                        h.setDaemon(true);
                        h.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), drain.getLocalPort());
        }

        InetSocketAddress echoAddress() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), echo.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            drain.close();
            echo.close();
        }
    }
}
