package io.github.miniomigrator.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

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
    private final java.util.function.Function<Request, Fault> policy;
    private volatile java.util.function.BiFunction<Request, String, String> responseRewrite;
    private volatile java.util.function.Predicate<Request> flipRequestBody = r -> false;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-proxy");
        t.setDaemon(true);
        return t;
    });
    /** Lines a listen-API request (GET ...?events=...) is answered with, as MinIO streams them; DROP closes the stream. */
    public final java.util.concurrent.BlockingQueue<String> listenLines = new java.util.concurrent.LinkedBlockingQueue<>();
    public static final String DROP = "<drop the connection>";
    public final AtomicInteger listenConnections = new AtomicInteger();
    public final AtomicInteger injected = new AtomicInteger();
    public final AtomicInteger requests = new AtomicInteger();
    /** The heads of the first requests, as the tool sent them, for checks of the wire format. */
    public final java.util.List<String> heads = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /** @param policy (method, path) -> what to do with this request */
    public FaultyProxy(int upstreamPort, BiFunction<String, String, Fault> policy) throws IOException {
        this(policy, upstreamPort);
    }

    /** @param policy the request (method, path, head) -> what to do with it */
    public static FaultyProxy seeing(int upstreamPort, java.util.function.Function<Request, Fault> policy) throws IOException {
        return new FaultyProxy(policy, upstreamPort, 0);
    }

    /** A proxy on a given loopback port (80 needs root), passing everything on. */
    public static FaultyProxy onPort(int port, int upstreamPort) throws IOException {
        return new FaultyProxy(r -> Fault.PASS, upstreamPort, port);
    }

    private FaultyProxy(BiFunction<String, String, Fault> policy, int upstreamPort) throws IOException {
        this((java.util.function.Function<Request, Fault>) r -> policy.apply(r.method(), r.path()), upstreamPort, 0);
    }

    private FaultyProxy(java.util.function.Function<Request, Fault> policy, int upstreamPort, int port) throws IOException {
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
            String head = readHead(in);
            if (head == null) {
                return;
            }
            requests.incrementAndGet();
            if (heads.size() < 1000) {
                heads.add(head);
            }
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            if (requestLine[0].equals("GET") && requestLine[1].contains("events=")) {
                streamEvents(client);
                return;
            }
            Fault fault = policy.apply(new Request(requestLine[0], requestLine[1], head));
            if (fault != Fault.PASS) {
                injected.incrementAndGet();
            }
            switch (fault) {
                case RESET, PASS -> forward(client, in, new Request(requestLine[0], requestLine[1], head), fault == Fault.RESET);
                case STALL -> in.transferTo(OutputStream.nullOutputStream()); // until the client closes the connection
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
                sleep(20);
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
            java.util.function.BiFunction<Request, String, String> rewrite = responseRewrite;
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

    /** Request bodies of the requests this picks get their first bit flipped on the way to the server. */
    public void flipRequestBodies(java.util.function.Predicate<Request> which) {
        this.flipRequestBody = which;
    }

    /** MinIO's ListenBucketNotification: a long response of JSON lines, until MinIO (here: the test) ends it. */
    private void streamEvents(Socket client) throws IOException {
        listenConnections.incrementAndGet();
        OutputStream out = client.getOutputStream();
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        try {
            while (!server.isClosed()) {
                String line = listenLines.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (line == null) {
                    continue;
                }
                if (line.equals(DROP)) {
                    client.setSoLinger(true, 0);
                    return;
                }
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Answers from now on go through this rewrite (the whole answer, head and body, as ISO-8859-1 text): a store that
     * answers differently from S3Proxy. Keep lengths unchanged, or the Content-Length no longer fits.
     */
    public void rewriteResponses(java.util.function.UnaryOperator<String> rewrite) {
        this.responseRewrite = (request, answer) -> rewrite.apply(answer);
    }

    /** As {@link #rewriteResponses(java.util.function.UnaryOperator)}, knowing which request the answer is for. */
    public void rewriteResponses(java.util.function.BiFunction<Request, String, String> rewrite) {
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
        client.setSoTimeout(2000);
        try {
            client.getInputStream().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client stopped sending: fine
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
