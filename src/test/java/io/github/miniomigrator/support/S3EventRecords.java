package io.github.miniomigrator.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Event bodies of the other senders of S3 event records, as they write them (MinIO's own are in {@link MinioEvents}):
 * Ceph RGW's HTTP push (one record per request, {@code "eventSource":"ceph:s3"}, {@code eventName} without the
 * {@code s3:} prefix, no top-level EventName/Key, the key raw) and AWS S3's records as SNS, SQS and Lambda receive them
 * ({@code "eventSource":"aws:s3"}, {@code eventName} with no prefix, the key form-URL-encoded: space as +, '/' left).
 */
public final class S3EventRecords {
    private S3EventRecords() {
    }

    /** A body as Ceph RGW 16.2 pushes it to an HTTP endpoint: the key as it is. */
    public static String rgw(String eventName, String bucket, String key) {
        return "{\"Records\":[{\"eventVersion\":\"2.2\",\"eventSource\":\"ceph:s3\",\"awsRegion\":\"\",\"eventTime\":"
                + "\"2026-12-07T10:00:00.000000Z\",\"eventName\":\"" + eventName + "\",\"userIdentity\":{\"principalId\":\"bench\"},"
                + "\"requestParameters\":{\"sourceIPAddress\":\"\"},\"responseElements\":{\"x-amz-request-id\":\"a1b2.4137.1\","
                + "\"x-amz-id-2\":\"4137-default-default\"},\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"migrator\","
                + "\"bucket\":{\"name\":\"" + json(bucket) + "\",\"ownerIdentity\":{\"principalId\":\"bench\"},\"arn\":\"arn:aws:s3:::"
                + json(bucket) + "\",\"id\":\"4b5c.4137.1\"},\"object\":{\"key\":\"" + json(key) + "\",\"size\":5,\"eTag\":"
                + "\"d41d8cd98f00b204e9800998ecf8427e\",\"versionId\":\"\",\"sequencer\":\"0F4F8A65B3C7A219\",\"metadata\":[],\"tags\":[]}},"
                + "\"eventId\":\"1701943200.123456.d41d8cd98f00b204e9800998ecf8427e\",\"opaqueData\":\"\"}]}";
    }

    /** A body as AWS S3 writes its records (an SQS message body, an SNS message, a Lambda event): the key form-encoded. */
    public static String aws(String eventName, String bucket, String key) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\",\"eventTime\":"
                + "\"2026-12-07T10:00:00.000Z\",\"eventName\":\"" + eventName + "\",\"userIdentity\":{\"principalId\":\"AWS:AIDAEXAMPLE\"},"
                + "\"requestParameters\":{\"sourceIPAddress\":\"203.0.113.9\"},\"responseElements\":{\"x-amz-request-id\":\"C3D13FE58DE4C810\","
                + "\"x-amz-id-2\":\"FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD\"},\"s3\":{\"s3SchemaVersion\":\"1.0\","
                + "\"configurationId\":\"migrator\",\"bucket\":{\"name\":\"" + json(bucket) + "\",\"ownerIdentity\":{\"principalId\":\"A3NL1KOZZKExample\"},"
                + "\"arn\":\"arn:aws:s3:::" + json(bucket) + "\"},\"object\":{\"key\":\"" + json(awsEncode(key)) + "\",\"size\":5,"
                + "\"eTag\":\"d41d8cd98f00b204e9800998ecf8427e\",\"sequencer\":\"0055AED6DCD90281E5\"}}}]}";
    }

    /** AWS's key encoding in event records: form encoding (space as +), '/' left as it is. */
    public static String awsEncode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    private static String json(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
