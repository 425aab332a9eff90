package io.github.miniomigrator.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Event bodies in MinIO's documented format, as its webhook and Kafka targets and its listen API send them. */
public final class MinioEvents {
    private MinioEvents() {
    }

    /** A webhook / broker body: the key query-escaped ('/' as %2F, space as +), as MinIO writes it there. */
    public static String webhook(String eventName, String bucket, String key) {
        String escaped = URLEncoder.encode(key, StandardCharsets.UTF_8);
        return body(eventName, bucket, escaped, bucket + "/" + escaped);
    }

    /**
     * A message of MinIO's Kafka target (internal/event/target/kafka.go): key {@code bucket/object} unescaped, value
     * {@code {"EventName","Key","Records":[one record]}} with Key unescaped and the record's s3.object.key query-escaped.
     */
    public static Map.Entry<String, String> kafka(String eventName, String bucket, String key) {
        String messageKey = bucket + "/" + key;
        return Map.entry(messageKey, body(eventName, bucket, URLEncoder.encode(key, StandardCharsets.UTF_8), messageKey));
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();

    /** POSTs a body to a running `run`'s webhook on loopback, as MinIO's webhook target does (token null: none sent). */
    public static java.net.http.HttpResponse<String> post(int port, String token, String body) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                + "/minio/events")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** One line of the listen API: the key as is. */
    public static String listenLine(String eventName, String bucket, String key) {
        return body(eventName, bucket, key, bucket + "/" + key).replace("\n", "");
    }

    private static String body(String eventName, String bucket, String writtenKey, String logKey) {
        String key = json(writtenKey);
        return "{\"EventName\":\"" + eventName + "\",\"Key\":\"" + json(logKey) + "\",\"Records\":[{\"eventVersion\":\"2.0\","
                + "\"eventSource\":\"minio:s3\",\"awsRegion\":\"\",\"eventTime\":\"2026-11-25T10:00:00.000Z\",\"eventName\":\"" + eventName
                + "\",\"userIdentity\":{\"principalId\":\"minio\"},\"requestParameters\":{},\"responseElements\":{},"
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"Config\",\"bucket\":{\"name\":\"" + bucket
                + "\",\"ownerIdentity\":{\"principalId\":\"minio\"},\"arn\":\"arn:aws:s3:::" + bucket + "\"},"
                + "\"object\":{\"key\":\"" + key + "\",\"size\":5,\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\","
                + "\"sequencer\":\"187A2B0C3D4E5F60\"}},\"source\":{\"host\":\"\",\"port\":\"\",\"userAgent\":\"\"}}]}";
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
