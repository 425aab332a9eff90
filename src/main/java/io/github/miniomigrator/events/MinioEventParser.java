package io.github.miniomigrator.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads MinIO's event JSON ({"EventName","Key","Records":[...]}; keep-alives are {"Records":null}) into the keys it
 * names. Only bucket and key are used: the event's size, ETag and even its name are hints, the source is asked anew.
 */
public final class MinioEventParser {
    /** How the transport wrote s3.object.key. */
    public enum KeyEncoding {
        /** webhook and broker targets: query-escaped ('/' as %2F, space as +) */
        QUERY_ESCAPED,
        /** the listen API: as is */
        PLAIN
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private MinioEventParser() {
    }

    /** @throws MalformedEventException when the body is not MinIO event JSON */
    public static List<ObjectChange> parse(String body, KeyEncoding encoding) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("not a MinIO event: the body is not a JSON object");
        }
        JsonNode records = root.get("Records");
        if (records == null) {
            throw new MalformedEventException("not a MinIO event: no Records field");
        }
        List<ObjectChange> changes = new ArrayList<>();
        if (records.isNull()) {
            return changes; // keep-alive
        }
        if (!records.isArray()) {
            throw new MalformedEventException("not a MinIO event: Records is not a list");
        }
        for (JsonNode record : records) {
            JsonNode s3 = record.path("s3");
            String bucket = s3.path("bucket").path("name").asText(null);
            String key = s3.path("object").path("key").asText(null);
            if (bucket == null || key == null || bucket.isEmpty() || key.isEmpty()) {
                throw new MalformedEventException("a record lacks s3.bucket.name or s3.object.key");
            }
            changes.add(new ObjectChange(bucket, encoding == KeyEncoding.QUERY_ESCAPED ? unescape(key) : key));
        }
        return changes;
    }

    private static String unescape(String key) {
        try {
            return URLDecoder.decode(key, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("s3.object.key is not query-escaped: " + e.getMessage());
        }
    }
}
