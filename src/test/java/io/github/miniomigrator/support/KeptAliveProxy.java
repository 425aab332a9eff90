package io.github.miniomigrator.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An HTTP/1.1 proxy on loopback that keeps connections alive on both sides, as a load balancer in front of a real
 * store does, and fails single requests on them: the next request of a client may arrive on a connection that has
 * already carried others, and a failed one takes its connection with it exactly where a real network would.
 * Each message is read whole by its framing (Content-Length, chunked, or up to the close), so a fault can be placed
 * before or after the server committed a write.
 */
public final class KeptAliveProxy implements AutoCloseable {
    /** What happens to one request and its answer. */
    public enum Fault {
        PASS,
        /** The server gets the request head only, then both connections are reset: nothing was written. */
        RESET_BEFORE_COMMIT,
        /** The server gets the whole request and answers; the client's connection is reset before it sees the answer. */
        RESET_AFTER_COMMIT,
        /** The answer's head and half its body, then a reset: the head promised more than came. */
        CUT_ANSWER,
        /** One bit of the request body flipped on the way to the server. */
        FLIP_REQUEST,
        /** One bit of the answer body flipped on the way to the client. */
        FLIP_ANSWER,
        /** The answer held back for {@link #SLOW_MILLIS} before it goes out whole. */
        SLOW,
        /** 429 SlowDown in the server's place, on the kept connection. */
        TOO_MANY_REQUESTS,
        /** 503 in the server's place, on the kept connection. */
        UNAVAILABLE
    }

    public static final long SLOW_MILLIS = 1500;

    /** A request as it came: method, path with query, head (header names as sent) and body. */
    public record Request(String method, String path, String head, byte[] body) {
        public String header(String name) {
            return KeptAliveProxy.header(head, name);
        }
    }

    /** An answer as the server gave it: status code, head and body. */
    public record Answer(int status, String head, byte[] body) {
    }

    private final ServerSocket server;
    private final int upstreamPort;
    private final Function<Request, Fault> policy;
    private volatile BiFunction<Request, Answer, Answer> rewrite = (request, answer) -> answer;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "kept-alive-proxy");
        t.setDaemon(true);
        return t;
    });
    public final AtomicInteger connections = new AtomicInteger();
    public final AtomicInteger requests = new AtomicInteger();
    /** Requests that came on a connection which had carried an earlier one: proof that connections were kept. */
    public final AtomicInteger onReusedConnections = new AtomicInteger();
    private final Map<Fault, AtomicInteger> injected = new EnumMap<>(Fault.class);

    private KeptAliveProxy(int upstreamPort, Function<Request, Fault> policy) throws IOException {
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.upstreamPort = upstreamPort;
        this.policy = policy;
        for (Fault fault : Fault.values()) {
            injected.put(fault, new AtomicInteger());
        }
        threads.submit(this::accept);
    }

    /** @param policy each request -> what to do with it; called once per request, on the proxy's threads */
    public static KeptAliveProxy seeing(int upstreamPort, Function<Request, Fault> policy) throws IOException {
        return new KeptAliveProxy(upstreamPort, policy);
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** How many requests got this fault. */
    public int injected(Fault fault) {
        return injected.get(fault).get();
    }

    /** Every answer the server gives goes through this first: a store that answers differently from S3Proxy (lengths are fixed up). */
    public void rewriteAnswers(BiFunction<Request, Answer, Answer> rewrite) {
        this.rewrite = rewrite;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.incrementAndGet();
                threads.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** One client connection, request after request, over one upstream connection opened again when the server closes it. */
    private void serve(Socket client) {
        Socket upstream = null;
        try (client) {
            InputStream in = client.getInputStream();
            for (int served = 0; ; served++) {
                String head = HttpWire.readHead(in);
                if (head == null) {
                    return;
                }
                requests.incrementAndGet();
                if (served > 0) {
                    onReusedConnections.incrementAndGet();
                }
                String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
                byte[] body = readBody(in, head, false, 0);
                Request request = new Request(line[0], line[1], head, body);
                Fault fault = policy.apply(request);
                injected.get(fault).incrementAndGet();
                if (fault == Fault.TOO_MANY_REQUESTS || fault == Fault.UNAVAILABLE) {
                    answerInPlaceOfTheServer(client.getOutputStream(), fault, !request.method().equals("HEAD"));
                    continue;
                }
                if (upstream == null || upstream.isClosed()) {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                }
                OutputStream toServer = upstream.getOutputStream();
                if (fault == Fault.RESET_BEFORE_COMMIT) {
                    toServer.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    toServer.flush();
                    HttpWire.sleep(20);
                    reset(upstream);
                    reset(client);
                    return;
                }
                toServer.write(head.getBytes(StandardCharsets.ISO_8859_1));
                toServer.write(fault == Fault.FLIP_REQUEST ? flipped(body) : body);
                toServer.flush();
                Answer answer = readAnswer(upstream.getInputStream(), request.method());
                if (closes(answer.head())) {
                    upstream.close();
                }
                answer = rewrite.apply(request, answer);
                if (fault == Fault.RESET_AFTER_COMMIT) {
                    reset(client);
                    return;
                }
                OutputStream out = client.getOutputStream();
                if (fault == Fault.SLOW) {
                    HttpWire.sleep(SLOW_MILLIS);
                }
                if (fault == Fault.CUT_ANSWER && answer.body().length > 1) {
                    out.write(withLength(answer.head(), answer.body().length, request.method()).getBytes(StandardCharsets.ISO_8859_1));
                    out.write(answer.body(), 0, answer.body().length / 2);
                    out.flush();
                    HttpWire.sleep(20);
                    reset(client);
                    return;
                }
                out.write(withLength(answer.head(), answer.body().length, request.method()).getBytes(StandardCharsets.ISO_8859_1));
                out.write(fault == Fault.FLIP_ANSWER ? flipped(answer.body()) : answer.body());
                out.flush();
                if (closes(answer.head())) {
                    return;
                }
            }
        } catch (IOException e) {
            // one side went away: the connection ends, as it would through a real network
        } finally {
            if (upstream != null) {
                try {
                    upstream.close();
                } catch (IOException e) {
                    // already gone
                }
            }
        }
    }

    private static Answer readAnswer(InputStream in, String method) throws IOException {
        String head = HttpWire.readHead(in);
        if (head == null) {
            throw new IOException("the server closed the connection without an answer");
        }
        int status = Integer.parseInt(head.substring(9, 12));
        boolean bodiless = method.equals("HEAD") || status == 204 || status == 304 || status / 100 == 1;
        return new Answer(status, head, bodiless ? new byte[0] : readBody(in, head, true, status));
    }

    /** A message body by its framing; an answer without Content-Length or chunking runs until the server closes. */
    private static byte[] readBody(InputStream in, String head, boolean answer, int status) throws IOException {
        String length = header(head, "Content-Length");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length.trim()));
        }
        String encoding = header(head, "Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return readChunks(in);
        }
        return answer ? in.readAllBytes() : new byte[0];
    }

    private static byte[] readChunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            int semicolon = size.indexOf(';');
            int length = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (length == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers: none that matter here
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            readLine(in);
        }
    }

    /** The head as the client gets it: the body is sent whole with its length, no longer chunked. */
    private static String withLength(String head, int length, String method) {
        StringBuilder out = new StringBuilder();
        boolean hadLength = false;
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (line.isEmpty() || lower.startsWith("transfer-encoding:")) {
                continue;
            }
            if (lower.startsWith("content-length:")) {
                hadLength = true;
                if (!method.equals("HEAD")) {
                    line = "Content-Length: " + length;
                }
            }
            out.append(line).append("\r\n");
        }
        int status = Integer.parseInt(head.substring(9, 12));
        if (!hadLength && !method.equals("HEAD") && status != 204 && status != 304) {
            out.append("Content-Length: ").append(length).append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    private static void answerInPlaceOfTheServer(OutputStream out, Fault fault, boolean withBody) throws IOException {
        boolean slowDown = fault == Fault.TOO_MANY_REQUESTS;
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + (slowDown ? "SlowDown" : "ServiceUnavailable")
                + "</Code><Message>injected " + (slowDown ? 429 : 503) + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + (slowDown ? "429 Too Many Requests" : "503 Service Unavailable") + "\r\nContent-Type: application/xml\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        if (withBody) {
            out.write(body);
        }
        out.flush();
    }

    static String header(String head, String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    private static boolean closes(String head) {
        String connection = header(head, "Connection");
        return connection != null && connection.equalsIgnoreCase("close");
    }

    private static byte[] flipped(byte[] body) {
        byte[] copy = body.clone();
        if (copy.length > 0) {
            copy[copy.length / 2] ^= 0x01;
        }
        return copy;
    }

    private static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the message ended inside a chunk header");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
