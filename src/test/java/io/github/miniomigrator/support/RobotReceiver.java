package io.github.miniomigrator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WeCom / DingTalk group robot's webhook on this machine: takes POSTs at /cgi-bin/webhook/send?key=…, keeps each
 * body, and answers as the robot does ({"errcode":0,"errmsg":"ok"}), or with the status a test sets.
 */
public final class RobotReceiver implements AutoCloseable {
    public static final String KEY = "robot-key-7f3a9c1e5b2d4f60";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private volatile int status = 200;

    public RobotReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cgi-bin/webhook/send", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            queries.add(exchange.getRequestURI().getRawQuery());
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            messages.add(JSON.readTree(new String(body, StandardCharsets.UTF_8)));
            byte[] answer = (status == 200 ? "{\"errcode\":0,\"errmsg\":\"ok\"}" : "{\"errcode\":-1,\"errmsg\":\"busy\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** The webhook address a robot's settings page shows, with its key. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cgi-bin/webhook/send?key=" + KEY;
    }

    public void answer(int status) {
        this.status = status;
    }

    /** Each message's text content, in the order received. */
    public List<String> texts() {
        return messages.stream().map(m -> m.path("text").path("content").asText()).toList();
    }

    public List<JsonNode> messages() {
        return messages;
    }

    public List<String> contentTypes() {
        return contentTypes;
    }

    public List<String> queries() {
        return queries;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
