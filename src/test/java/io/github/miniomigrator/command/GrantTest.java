package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.config.Provider;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantTest {
    /** Each store's own policy language: OSS RAM actions, OBS IAM actions, s3: for AWS, MinIO and the rest. */
    @Test
    void eachGrantIsNamedAsTheStoresPoliciesNameIt() {
        assertEquals(List.of("oss:ListObjects", "oss:GetObject", "oss:PutObject", "oss:DeleteObject", "oss:AbortMultipartUpload",
                "oss:ListMultipartUploads", "oss:ListParts", "s3:ListenBucketNotification"), names(Provider.OSS));
        assertEquals(List.of("obs:bucket:ListBucket", "obs:object:GetObject", "obs:object:PutObject", "obs:object:DeleteObject",
                "obs:object:AbortMultipartUpload", "obs:bucket:ListBucketMultipartUploads", "obs:object:ListMultipartUploadParts",
                "s3:ListenBucketNotification"), names(Provider.OBS));
        List<String> s3 = List.of("s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload",
                "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:ListenBucketNotification");
        assertEquals(s3, names(Provider.S3));
        assertEquals(s3, names(Provider.MINIO));
        assertEquals(s3, names(Provider.GENERIC));
    }

    private static List<String> names(Provider provider) {
        return Arrays.stream(Grant.values()).map(grant -> grant.on(provider)).toList();
    }
}
