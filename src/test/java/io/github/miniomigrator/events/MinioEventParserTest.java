package io.github.miniomigrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.S3EventRecords;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each sender's key escaping, decoded once and by its own rule; a key that cannot be decoded unambiguously is refused. */
class MinioEventParserTest {
    /** Keys whose bytes change meaning under a wrong rule: '+', '%', a literal %20, spaces, Chinese, '/'. */
    static final List<String> AWKWARD = List.of("plus+sign.txt", "100%.txt", "a%20b.txt", "space key.txt", "中文.txt",
            "目录/发票 +1 (copy)%2F.txt", "a+b c%2Bd~e*f.txt");

    static ObjectChange one(String body) {
        List<ObjectChange> changes = MinioEventParser.parse(body, MinioEventParser.KeyEncoding.QUERY_ESCAPED);
        assertEquals(1, changes.size());
        return changes.get(0);
    }

    @Test
    void minioWebhookKeysAreQueryEscapedAndDecodedOnce() {
        for (String key : AWKWARD) {
            assertEquals(new ObjectChange("src", key), one(MinioEvents.webhook("s3:ObjectCreated:Put", "src", key)), key);
        }
    }

    @Test
    void minioListenKeysAreTakenAsTheyAre() {
        for (String key : AWKWARD) {
            List<ObjectChange> changes = MinioEventParser.parse(MinioEvents.listenLine("s3:ObjectCreated:Put", "src", key),
                    MinioEventParser.KeyEncoding.PLAIN);
            assertEquals(List.of(new ObjectChange("src", key)), changes, key);
        }
    }

    @Test
    void cephRgwKeysAreRaw() {
        for (String key : AWKWARD) {
            assertEquals(new ObjectChange("src", key), one(S3EventRecords.rgw("ObjectCreated:Put", "src", key)), key);
            assertEquals(new ObjectChange("src", key), one(S3EventRecords.rgw("ObjectRemoved:Delete", "src", key)), key);
        }
    }

    @Test
    void awsKeysAreFormEncoded() {
        for (String key : AWKWARD) {
            assertEquals(new ObjectChange("src", key), one(S3EventRecords.aws("ObjectCreated:Put", "src", key)), key);
        }
        // AWS's own documented example: "red flower.jpg" arrives as "red+flower.jpg"
        assertEquals("red flower.jpg", one(S3EventRecords.aws("ObjectCreated:Put", "src", "red flower.jpg")).key());
        assertTrue(S3EventRecords.aws("ObjectCreated:Put", "src", "red flower.jpg").contains("\"red+flower.jpg\""));
    }

    @Test
    void aKeyNotEscapedByItsSendersRuleIsRefusedNotGuessed() {
        // a MinIO body whose key was not query-escaped: a raw space, raw Chinese, a raw '/', '%' without hex, non-UTF-8 bytes
        for (String raw : List.of("space key.txt", "中文.txt", "dir/file.txt", "100%.txt", "bad%zz", "half%e4%b8")) {
            String body = MinioEvents.listenLine("s3:ObjectCreated:Put", "src", raw);
            MalformedEventException e = assertThrows(MalformedEventException.class,
                    () -> MinioEventParser.parse(body, MinioEventParser.KeyEncoding.QUERY_ESCAPED), raw);
            assertTrue(e.getMessage().contains("cannot be decoded unambiguously"), e.getMessage());
        }
        // an AWS record with a raw space or raw non-ASCII key, or a bad escape
        for (String raw : List.of("space key.txt", "中文.txt", "100%.txt")) {
            String body = S3EventRecords.aws("ObjectCreated:Put", "src", "x").replace("\"key\":\"x\"", "\"key\":\"" + raw + "\"");
            assertThrows(MalformedEventException.class, () -> MinioEventParser.parse(body, MinioEventParser.KeyEncoding.QUERY_ESCAPED), raw);
        }
    }

    @Test
    void anUnknownOrContradictorySenderIsRefused() {
        String rgw = S3EventRecords.rgw("ObjectCreated:Put", "src", "k");
        for (String source : List.of("\"eventSource\":\"other:s3\"", "\"eventSource\":\"\"", "\"eventSourceX\":\"ceph:s3\"")) {
            String body = rgw.replace("\"eventSource\":\"ceph:s3\"", source);
            MalformedEventException e = assertThrows(MalformedEventException.class,
                    () -> MinioEventParser.parse(body, MinioEventParser.KeyEncoding.QUERY_ESCAPED), source);
            assertTrue(e.getMessage().contains("unknown sender"), e.getMessage());
        }
        // MinIO's body shape with another sender's record: which escaping applies cannot be told
        String contradictory = MinioEvents.webhook("s3:ObjectCreated:Put", "src", "k").replace("minio:s3", "ceph:s3");
        assertThrows(MalformedEventException.class, () -> MinioEventParser.parse(contradictory, MinioEventParser.KeyEncoding.QUERY_ESCAPED));
        // a record of a known sender without eventSource inside MinIO's body is MinIO's
        String noSource = MinioEvents.webhook("s3:ObjectCreated:Put", "src", "a b").replace("\"eventSource\":\"minio:s3\",", "");
        assertEquals(new ObjectChange("src", "a b"), one(noSource));
    }

    @Test
    void keepAlivesAndBrokenBodies() {
        assertEquals(List.of(), MinioEventParser.parse("{\"Records\":null}", MinioEventParser.KeyEncoding.QUERY_ESCAPED));
        for (String body : List.of("{not json", "[]", "{}", "{\"Records\":{}}", "{\"Records\":[{\"s3\":{}}]}")) {
            assertThrows(MalformedEventException.class, () -> MinioEventParser.parse(body, MinioEventParser.KeyEncoding.QUERY_ESCAPED), body);
        }
    }
}
