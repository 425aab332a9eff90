package io.github.miniomigrator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * An HTTP proxy on loopback between the tool and a real S3 server that fails requests as a test tells it: a 503, a
 * 403, or a connection reset after the request head. Every request gets its own upstream connection
 * (Connection: close), so each one can be failed on its own.
 */
public final class FaultyProxy implements AutoCloseable {
    /** What the proxy does with a request: pass it on, cut it, or answer in the store's place as a real store would. */
    public enum Fault {
        PASS, RESET,
        /** Takes the request and never answers, keeping the connection open until the client gives up. */
        STALL,
        /**
         * Passes the request head and the first {@link FaultyProxy#silenceAfter} bytes of its body on (of the answer, for
         * a request with a shorter body, as a GET), then forwards nothing more either way and reads nothing more, both
         * connections left open: a path that died mid-transfer, or a store that stopped reading. A client's write blocks
         * once the buffers between are full.
         */
        SILENCE,
        SERVICE_UNAVAILABLE("503 Service Unavailable", "SlowDown", "injected 503", ""),
        FORBIDDEN("403 Forbidden", "AccessDenied", "injected 403", ""),
        NOT_FOUND("404 Not Found", "NoSuchKey", "The specified key does not exist.", ""),
        /** A store without ListMultipartUploads, as OSS's S3 API is. */
        NOT_IMPLEMENTED("501 Not Implemented", "NotImplemented", "A header you provided implies functionality that is not implemented.", ""),
        /** OSS to a data request through a mainland region's public endpoint from an account opened after 2025-03-20. */
        PUBLIC_ENDPOINT_FORBIDDEN("400 Bad Request", "PublicEndpointForbidden",
                "Public endpoint is forbidden for this bucket, please use a custom domain.", "x-oss-ec: 0048-00000401\r\n"),
        /** OSS's answer to a payload hash header it does not take (its documentation asks for the body's SHA-256 on PUT). */
        PAYLOAD_HASH_REFUSED("400 Bad Request", "InvalidArgument", "The value of X-Amz-Content-SHA256 is invalid.",
                "x-oss-ec: 0002-00000427\r\n"),
        /** OSS throttling: wait as long as x-oss-qos-delay-time says (milliseconds). */
        THROTTLED("503 Service Unavailable", "ServiceUnavailable", "Please reduce your request rate.", "x-oss-qos-delay-time: 1500\r\n"),
        /** A GET of an object in an archive storage class that has not been restored. */
        ARCHIVED("403 Forbidden", "InvalidObjectState", "The operation is not valid for the object's storage class.", "");

        final String status;
        final String code;
        final String message;
        final String headers;

        Fault() {
            this(null, null, null, null);
        }

        Fault(String status, String code, String message, String headers) {
            this.status = status;
            this.code = code;
            this.message = message;
            this.headers = headers;
        }
    }

    /** A request as the proxy saw it: method, path with query, and the whole head (lower-case header names as sent). */
    public record Request(String method, String path, String head) {
        public boolean hasHeader(String name, String value) {
            return head.toLowerCase(Locale.ROOT).contains("\r\n" + name.toLowerCase(Locale.ROOT) + ": " + value.toLowerCase(Locale.ROOT) + "\r\n");
        }
    }

    private final ServerSocket server;
    private final int upstreamPort;
    private final Function<Request, Fault> policy;
    private volatile BiFunction<Request, String, String> responseRewrite;
    private volatile Predicate<Request> flipRequestBody = r -> false;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        return t;
    });
    /** Lines a listen-API request (GET ...?events=...) is answered with, as MinIO streams them, until DROP or END. */
    public final BlockingQueue<String> listenLines = new LinkedBlockingQueue<>();
    /** In {@link #listenLines}: resets the stream's connection, as a crash or a network fault does. */
    public static final String DROP = "<drop the connection>";
    /** In {@link #listenLines}: ends the stream cleanly, as a MinIO shutting down in good order does (last chunk, then EOF). */
    public static final String END = "<end the stream>";
    /** Listen streams answered so far (a held request counts once answered). */
    public final AtomicInteger listenConnections = new AtomicInteger();
    private volatile Fault listenRefusal = Fault.PASS;
    private final AtomicInteger openListenStreams = new AtomicInteger();
    private volatile boolean holdListen;
    public final AtomicInteger injected = new AtomicInteger();
    /** Requests silenced so far (see {@link Fault#SILENCE}), counted once their first bytes were passed on. */
    public final AtomicInteger silenced = new AtomicInteger();
    private volatile long silenceAfter;
    public final AtomicInteger requests = new AtomicInteger();
    /** The heads of the first requests, as the tool sent them, for checks of the wire format. */
    public final List<String> heads = Collections.synchronizedList(new ArrayList<>());

    /** @param policy (method, path) -> what to do with this request */
    public FaultyProxy(int upstreamPort, BiFunction<String, String, Fault> policy) throws IOException {
        this(policy, upstreamPort);
    }

    /** @param policy the request (method, path, head) -> what to do with it */
    public static FaultyProxy seeing(int upstreamPort, Function<Request, Fault> policy) throws IOException {
        return new FaultyProxy(policy, upstreamPort, 0);
    }

    /** A proxy on a given loopback port (80 needs root), passing everything on. */
    public static FaultyProxy onPort(int port, int upstreamPort) throws IOException {
        return new FaultyProxy(r -> Fault.PASS, upstreamPort, port);
    }

    private FaultyProxy(BiFunction<String, String, Fault> policy, int upstreamPort) throws IOException {
        this((Function<Request, Fault>) r -> policy.apply(r.method(), r.path()), upstreamPort, 0);
    }

    private FaultyProxy(Function<Request, Fault> policy, int upstreamPort, int port) throws IOException {
        this.server = new ServerSocket(port, 200, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.policy = policy;
        threads.submit(this::accept);
    }

    public String endpoint() {
        return "http://127.0.0.1" + (server.getLocalPort() == 80 ? "" : ":" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.submit(() -> handle(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = HttpWire.readHead(in);
            if (head == null) {
                return;
            }
            requests.incrementAndGet();
            if (heads.size() < 1000) {
                heads.add(head);
            }
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            if (requestLine[0].equals("GET") && requestLine[1].contains("events=")) {
                Fault refusal = listenRefusal;
                if (refusal == Fault.PASS) {
                    streamEvents(client);
                } else {
                    injected.incrementAndGet();
                    answer(client, refusal, true);
                }
                return;
            }
            Fault fault = policy.apply(new Request(requestLine[0], requestLine[1], head));
            if (fault != Fault.PASS) {
                injected.incrementAndGet();
            }
            switch (fault) {
                case RESET, PASS -> forward(client, in, new Request(requestLine[0], requestLine[1], head), fault == Fault.RESET);
                case STALL -> in.transferTo(OutputStream.nullOutputStream()); // until the client closes the connection
                case SILENCE -> goSilent(client, in, head);
                default -> answer(client, fault, !requestLine[0].equals("HEAD"));
            }
        } catch (IOException e) {
            // the client or the server went away: nothing to clean up beyond the sockets
        }
    }

    private void forward(Socket client, InputStream in, Request request, boolean resetMidway) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            OutputStream toServer = upstream.getOutputStream();
            toServer.write(withConnectionClose(request.head()).getBytes(StandardCharsets.ISO_8859_1));
            if (resetMidway) {
                // the server has the request head and waits for the rest; both sides see the connection reset
                toServer.flush();
                HttpWire.sleep(20);
                upstream.setSoLinger(true, 0);
                client.setSoLinger(true, 0);
                return;
            }
            boolean flip = flipRequestBody.test(request);
            threads.submit(() -> {
                try {
                    if (flip) {
                        int first = in.read();
                        if (first >= 0) {
                            toServer.write(first ^ 0x01); // one bit flipped in transit
                        }
                    }
                    in.transferTo(toServer);
                } catch (IOException e) {
                    // closed by the other direction
                }
            });
            BiFunction<Request, String, String> rewrite = responseRewrite;
            if (rewrite == null) {
                upstream.getInputStream().transferTo(client.getOutputStream());
            } else {
                // the whole answer (Connection: close ends it), rewritten byte for byte as ISO-8859-1 text
                String answer = new String(upstream.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                client.getOutputStream().write(rewrite.apply(request, answer).getBytes(StandardCharsets.ISO_8859_1));
            }
            client.getOutputStream().flush();
        }
    }

    /**
     * A request the policy silences passes this many bytes of its body on first. From now on connections to this
     * proxy get small receive buffers (64 KiB), so a silenced client's writes block after a few MiB rather than tens.
     */
    public FaultyProxy silenceAfter(long bytes) throws IOException {
        this.silenceAfter = bytes;
        server.setReceiveBufferSize(64 * 1024);
        return this;
    }

    private void goSilent(Socket client, InputStream in, String head) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            OutputStream toServer = upstream.getOutputStream();
            toServer.write(withConnectionClose(head).getBytes(StandardCharsets.ISO_8859_1));
            long body = contentLength(head);
            copy(in, toServer, Math.min(body, silenceAfter));
            if (body <= silenceAfter) {
                // the whole request went out (a GET): the answer is what stops coming
                copy(upstream.getInputStream(), client.getOutputStream(), silenceAfter);
            }
            silenced.incrementAndGet();
            while (!server.isClosed() && !client.isClosed()) {
                HttpWire.sleep(100); // neither reads nor writes: only closing the proxy ends it
            }
        }
    }

    private static void copy(InputStream from, OutputStream to, long bytes) throws IOException {
        byte[] buffer = new byte[8192];
        for (long left = bytes; left > 0; ) {
            int n = from.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            to.write(buffer, 0, n);
            left -= n;
        }
        to.flush();
    }

    private static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return 0;
    }

    /** Request bodies of the requests this picks get their first bit flipped on the way to the server. */
    public void flipRequestBodies(Predicate<Request> which) {
        this.flipRequestBody = which;
    }

    /**
     * MinIO's ListenBucketNotification: a long chunked response of JSON lines, as MinIO's Go server streams it, until
     * MinIO (here: the test) ends it. While listen requests are held, a new one waits for its answer and no stream is up.
     */
    private void streamEvents(Socket client) throws IOException {
        while (holdListen && !server.isClosed()) {
            HttpWire.sleep(20);
        }
        listenConnections.incrementAndGet();
        openListenStreams.incrementAndGet();
        try {
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            while (!server.isClosed()) {
                String line = listenLines.poll(100, TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                if (line.equals(DROP)) {
                    client.setSoLinger(true, 0);
                    return;
                }
                if (line.equals(END)) {
                    // the last chunk, then a normal close: the client reads the end of the body and then EOF, no error
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    client.shutdownOutput();
                    drainUntilClosed(client);
                    return;
                }
                byte[] chunk = (line + "\n").getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(chunk);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            openListenStreams.decrementAndGet();
        }
    }

    /** Answers listen-API requests with this fault (a key without s3:ListenBucketNotification: FORBIDDEN); PASS streams events. */
    public void refuseListenRequests(Fault fault) {
        listenRefusal = fault;
    }

    /** Holds new listen requests unanswered (a MinIO restarting: no stream is up), or answers them again. */
    public void holdListenRequests(boolean hold) {
        this.holdListen = hold;
    }

    /** How many listen streams are being served right now. */
    public int openListenStreams() {
        return openListenStreams.get();
    }

    /**
     * Answers from now on go through this rewrite (the whole answer, head and body, as ISO-8859-1 text): a store that
     * answers differently from S3Proxy. Keep lengths unchanged, or the Content-Length no longer fits.
     */
    public void rewriteResponses(UnaryOperator<String> rewrite) {
        this.responseRewrite = (request, answer) -> rewrite.apply(answer);
    }

    /** As {@link #rewriteResponses(UnaryOperator)}, knowing which request the answer is for. */
    public void rewriteResponses(BiFunction<Request, String, String> rewrite) {
        this.responseRewrite = rewrite;
    }

    private static void answer(Socket client, Fault fault, boolean withBody) throws IOException {
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + fault.code + "</Code><Message>" + fault.message
                + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        OutputStream out = client.getOutputStream();
        out.write(("HTTP/1.1 " + fault.status + "\r\nContent-Type: application/xml\r\n" + fault.headers + "Content-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (withBody) {
            out.write(body);
        }
        out.flush();
        client.shutdownOutput();
        drainUntilClosed(client);
    }

    /** Reads what the client still sends until it closes (or 2 s pass), so closing our side never resets the connection. */
    private static void drainUntilClosed(Socket client) throws IOException {
        client.setSoTimeout(2000);
        try {
            client.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client stopped sending: fine
        }
    }

    private static String withConnectionClose(String head) {
        StringBuilder out = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (line.isEmpty() || line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                continue;
            }
            out.append(line).append("\r\n");
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
