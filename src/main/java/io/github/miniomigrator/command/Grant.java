package io.github.miniomigrator.command;

import io.github.miniomigrator.config.Provider;

/**
 * The permissions the migration's calls need, each named in the policy language of the store that grants it: Alibaba
 * Cloud OSS's RAM actions, Huawei Cloud OBS's IAM actions, and the s3: actions of AWS IAM, MinIO's policies and other
 * S3 stores. Each is the one the tool's own calls need (store/TargetStore, store/LeftoverUploads, the source stores).
 */
enum Grant {
    /** ListObjects(V2), and the HEAD of a bucket. */
    LIST("oss:ListObjects", "obs:bucket:ListBucket", "s3:ListBucket"),
    /** GET and HEAD of an object. */
    GET("oss:GetObject", "obs:object:GetObject", "s3:GetObject"),
    /** PUT of an object, and a multipart upload's initiate, parts and completion. */
    PUT("oss:PutObject", "obs:object:PutObject", "s3:PutObject"),
    DELETE("oss:DeleteObject", "obs:object:DeleteObject", "s3:DeleteObject"),
    ABORT_UPLOAD("oss:AbortMultipartUpload", "obs:object:AbortMultipartUpload", "s3:AbortMultipartUpload"),
    /** ListMultipartUploads: finding an upload whose start was not answered (LeftoverUploads). */
    LIST_UPLOADS("oss:ListMultipartUploads", "obs:bucket:ListBucketMultipartUploads", "s3:ListBucketMultipartUploads"),
    /** ListParts: what an unfinished upload holds before it is aborted (LeftoverUploads). */
    LIST_PARTS("oss:ListParts", "obs:object:ListMultipartUploadParts", "s3:ListMultipartUploadParts"),
    /** MinIO's ListenBucketNotification API (migration.events.mode=listen): MinIO's own action. */
    LISTEN("s3:ListenBucketNotification", "s3:ListenBucketNotification", "s3:ListenBucketNotification");

    private final String oss;
    private final String obs;
    private final String s3;

    Grant(String oss, String obs, String s3) {
        this.oss = oss;
        this.obs = obs;
        this.s3 = s3;
    }

    /** The action as the provider's policies name it. */
    String on(Provider provider) {
        return switch (provider) {
            case OSS -> oss;
            case OBS -> obs;
            case S3, MINIO, GENERIC -> s3;
        };
    }
}
