package io.github.miniomigrator.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads S3 event records ({"Records":[{"eventSource",...,"s3":{"bucket":{"name"},"object":{"key"}}}]}) into the keys
 * they name, whichever of the three known senders wrote them; keep-alives are {"Records":null}. Only bucket and key are
 * used: the event's size, ETag and even its name are hints, the source is asked anew.
 *
 * <p>Each sender escapes s3.object.key its own way, so the sender is told first, then its key is decoded by its rule:
 * <ul>
 * <li><b>MinIO</b> — the body has MinIO's top-level {@code EventName} or {@code Key} beside {@code Records} (its webhook,
 * Kafka and other broker targets always write them), or a record says {@code "eventSource":"minio:s3"}: the key is
 * query-escaped (Go's url.QueryEscape: everything but letters, digits and {@code -_.~} as %XX, space as +). Its listen
 * API ({@link KeyEncoding#PLAIN}) writes the key as is.</li>
 * <li><b>Ceph RGW</b> — {@code "eventSource":"ceph:s3"}, no top-level fields: the key is raw, taken as it is.</li>
 * <li><b>AWS S3</b> (records as S3 sends them to SNS, SQS, Lambda, EventBridge-to-HTTP relays) —
 * {@code "eventSource":"aws:s3"}: the key is form-URL-encoded (space as +, other reserved and non-ASCII bytes as %XX;
 * {@code /} may stay as it is).</li>
 * </ul>
 * Anything else is refused: a record of an unknown sender, a record whose eventSource contradicts MinIO's body shape, or
 * an escaped key that is not escaped by its sender's rule (a raw space or non-ASCII character, {@code %} without two hex
 * digits, bytes that are not UTF-8). The tool never guesses a key: a wrong guess would sync another key and call the
 * event applied.
 */
public final class MinioEventParser {
    /** How the transport wrote s3.object.key. */
    public enum KeyEncoding {
        /**
         * Pushed by a notification target (webhook, Kafka, other brokers): each record's key decoded by its sender's rule
         * (MinIO query-escaped, RGW raw, AWS form-encoded).
         */
        QUERY_ESCAPED,
        /** MinIO's listen API: as is */
        PLAIN
    }

    /** Who wrote a record, and so how its key is escaped. */
    public enum Sender {
        MINIO("minio:s3"), CEPH("ceph:s3"), AWS("aws:s3");

        private final String eventSource;

        Sender(String eventSource) {
            this.eventSource = eventSource;
        }

        public String eventSource() {
            return eventSource;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private MinioEventParser() {
    }

    /** @throws MalformedEventException when the body is not S3 event records of a known sender, or a key is not decodable */
    public static List<ObjectChange> parse(String body, KeyEncoding encoding) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("not an S3 event: the body is not a JSON object");
        }
        JsonNode records = root.get("Records");
        if (records == null) {
            throw new MalformedEventException("not an S3 event: no Records field");
        }
        List<ObjectChange> changes = new ArrayList<>();
        if (records.isNull()) {
            return changes; // keep-alive
        }
        if (!records.isArray()) {
            throw new MalformedEventException("not an S3 event: Records is not a list");
        }
        boolean minioBody = root.has("EventName") || root.has("Key");
        int index = 0;
        for (JsonNode record : records) {
            JsonNode s3 = record.path("s3");
            String bucket = s3.path("bucket").path("name").asText(null);
            String key = s3.path("object").path("key").asText(null);
            if (bucket == null || key == null || bucket.isEmpty() || key.isEmpty()) {
                throw new MalformedEventException("record " + index + " lacks s3.bucket.name or s3.object.key");
            }
            Sender sender = sender(record, minioBody, encoding, index);
            String decoded = encoding == KeyEncoding.PLAIN ? key : decode(sender, key, index);
            changes.add(new ObjectChange(bucket, decoded));
            index++;
        }
        return changes;
    }

    /** Who wrote the record: MinIO's body shape or listen API, else the record's eventSource; unknown senders are refused. */
    static Sender sender(JsonNode record, boolean minioBody, KeyEncoding encoding, int index) {
        String source = record.path("eventSource").asText("");
        if (encoding == KeyEncoding.PLAIN || minioBody) {
            if (!source.isEmpty() && !source.equals(Sender.MINIO.eventSource())) {
                throw new MalformedEventException("record " + index + " says eventSource \"" + source + "\" in MinIO's event body "
                        + "(top-level EventName/Key): the sender is unclear, so its key cannot be decoded");
            }
            return Sender.MINIO;
        }
        for (Sender sender : Sender.values()) {
            if (sender.eventSource().equals(source)) {
                return sender;
            }
        }
        throw new MalformedEventException("record " + index + " comes from an unknown sender (eventSource \"" + source + "\"; known: "
                + "minio:s3, ceph:s3, aws:s3): how it escapes keys is not known, so its key is not guessed");
    }

    /** The key by its sender's rule; a key that breaks the rule is refused, never guessed. */
    public static String decode(Sender sender, String key, int index) {
        switch (sender) {
            case CEPH:
                return key;
            case MINIO:
                return unescape(key, false, index, "MinIO query-escapes keys");
            case AWS:
                return unescape(key, true, index, "AWS form-encodes keys");
            default:
                throw new IllegalStateException(sender.name());
        }
    }

    /**
     * Percent-decoding with '+' as space, strictly: a character the sender would have escaped, found raw, means the key
     * was not escaped by that rule (a raw '+' could then be a plus or a space, '%41' a name or 'A').
     *
     * @param lenient AWS: printable ASCII other than space, '%' and '+' may stand raw (AWS leaves '/' and some punctuation
     *        unescaped); MinIO: only letters, digits and "-_.~" may (and '*', which Java's URLEncoder leaves: it says
     *        nothing about whether the key was escaped)
     */
    private static String unescape(String key, boolean lenient, int index, String rule) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                if (i + 2 >= key.length()) {
                    throw refused(index, rule, "'%' without two hex digits");
                }
                int high = Character.digit(key.charAt(i + 1), 16);
                int low = Character.digit(key.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    throw refused(index, rule, "'%' without two hex digits");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (unreserved(c) || lenient && c > ' ' && c < 0x7f) {
                bytes.write(c);
            } else {
                throw refused(index, rule, c > ' ' && c < 0x7f ? "a raw '" + c + "'" : c == ' ' ? "a raw space"
                        : String.format("a raw U+%04X", (int) c));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw refused(index, rule, "escaped bytes that are not UTF-8");
        }
    }

    private static boolean unreserved(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' || c == '*';
    }

    private static MalformedEventException refused(int index, String rule, String what) {
        // the key itself is not in the message: it may be long, and the message goes to the sender and the log
        return new MalformedEventException("record " + index + ": s3.object.key cannot be decoded unambiguously (" + rule + "; it has "
                + what + ")");
    }
}
