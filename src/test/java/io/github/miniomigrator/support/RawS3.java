package io.github.miniomigrator.support;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * S3 requests with header values sent as raw UTF-8 bytes, as MinIO's and Ceph's own clients send them, which the AWS
 * SDK cannot do: signed (SigV4, UNSIGNED-PAYLOAD) over exactly the bytes sent. Answers' header values come back as the
 * bytes the store sent (one ISO-8859-1 character per byte, decoded here as UTF-8 where asked).
 */
public final class RawS3 {
    private final String endpoint;
    private final String access;
    private final String secret;

    public RawS3(String endpoint, String access, String secret) {
        this.endpoint = endpoint.replaceAll("/$", "");
        this.access = access;
        this.secret = secret;
    }

    /** PUT with the given x-amz-meta-* headers (name without the prefix), values sent as raw UTF-8. */
    public void put(String bucket, String key, byte[] body, Map<String, String> metadata) throws Exception {
        Map<String, String> headers = new TreeMap<>();
        metadata.forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
        Answer response = send("PUT", bucket, key, headers, body);
        if (response.statusCode() != 200) {
            throw new AssertionError("raw PUT " + key + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** HEAD: every x-amz-meta-* header as its bytes decoded as UTF-8 (name without the prefix). */
    public Map<String, String> metadata(String bucket, String key) throws Exception {
        Answer response = send("HEAD", bucket, key, new TreeMap<>(), null);
        if (response.statusCode() != 200) {
            throw new AssertionError("raw HEAD " + key + ": HTTP " + response.statusCode());
        }
        Map<String, String> metadata = new TreeMap<>();
        response.headers().forEach((name, values) -> {
            if (name.toLowerCase().startsWith("x-amz-meta-")) {
                metadata.put(name.toLowerCase().substring("x-amz-meta-".length()),
                        new String(String.join(",", values).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        });
        return metadata;
    }

    private Answer send(String method, String bucket, String key, Map<String, String> headers, byte[] body) throws Exception {
        URI base = URI.create(endpoint);
        String path = "/" + bucket + "/" + encodePath(key);
        String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
        Map<String, String> signed = new TreeMap<>(headers);
        signed.put("host", base.getHost() + ":" + base.getPort());
        signed.put("x-amz-content-sha256", "UNSIGNED-PAYLOAD");
        signed.put("x-amz-date", date);
        StringBuilder canonical = new StringBuilder(method).append('\n').append(path).append("\n\n");
        signed.forEach((name, value) -> canonical.append(name).append(':').append(value.trim()).append('\n'));
        String names = String.join(";", signed.keySet());
        canonical.append('\n').append(names).append('\n').append("UNSIGNED-PAYLOAD");
        String scope = date.substring(0, 8) + "/us-east-1/s3/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date.substring(0, 8));
        for (String part : List.of("us-east-1", "s3", "aws4_request")) {
            k = hmac(k, part);
        }
        String signature = hex(hmac(k, toSign));
        // java.net.http (and the AWS SDK's clients) send '?' for every non-ASCII byte of a header: a socket of our own sends the bytes
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        signed.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Authorization: AWS4-HMAC-SHA256 Credential=").append(access).append('/').append(scope).append(", SignedHeaders=")
                .append(names).append(", Signature=").append(signature).append("\r\n");
        head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\nConnection: close\r\n\r\n");
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            java.io.InputStream in = socket.getInputStream();
            String status = line(in);
            Map<String, List<String>> answer = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                answer.computeIfAbsent(line.substring(0, colon).trim(), n -> new java.util.ArrayList<>()).add(line.substring(colon + 1).trim());
            }
            String text = method.equals("HEAD") ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(Integer.parseInt(status.split(" ")[1]), answer, text);
        }
    }

    /** One header line, its bytes as ISO-8859-1 characters (the raw bytes stay recoverable). */
    private static String line(java.io.InputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private record Answer(int statusCode, Map<String, List<String>> headers, String body) {
    }

    private static String encodePath(String key) {
        StringBuilder out = new StringBuilder();
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~/".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
