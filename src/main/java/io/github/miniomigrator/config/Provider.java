package io.github.miniomigrator.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** What each kind of store accepts, as a target or a source: addressing, bucket names and user-metadata keys. */
public enum Provider {
    OSS(false, "Alibaba Cloud OSS") {
        @Override
        public Optional<String> bucketNameProblem(String name) {
            if (name.length() < 3 || name.length() > 63) {
                return Optional.of("OSS bucket names are 3 to 63 characters long");
            }
            if (!OSS_BUCKET.matcher(name).matches()) {
                return Optional.of("OSS bucket names use only lowercase letters, digits and hyphens, and start and end with a letter or digit");
            }
            return Optional.empty();
        }
    },
    OBS(false, "Huawei Cloud OBS") {
        @Override
        public Optional<String> bucketNameProblem(String name) {
            return dnsBucketProblem(name, "OBS");
        }
    },
    S3(false, "AWS S3") {
        @Override
        public Optional<String> bucketNameProblem(String name) {
            return dnsBucketProblem(name, "S3");
        }
    },
    MINIO(true, "MinIO") {
        @Override
        public Optional<String> bucketNameProblem(String name) {
            return dnsBucketProblem(name, "MinIO");
        }
    },
    GENERIC(true, "S3-compatible store") {
        @Override
        public Optional<String> bucketNameProblem(String name) {
            if (name.isEmpty() || name.length() > 255 || name.contains("/")) {
                return Optional.of("bucket names are 1 to 255 characters without '/'");
            }
            return Optional.empty();
        }
    };

    private static final Pattern OSS_BUCKET = Pattern.compile("[a-z0-9](?:[a-z0-9-]*[a-z0-9])?");
    private static final Pattern DNS_BUCKET = Pattern.compile("[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");
    private static final Pattern STRICT_METADATA_KEY = Pattern.compile("[a-z0-9-]+");

    private final boolean pathStyleByDefault;
    private final String displayName;

    Provider(boolean pathStyleByDefault, String displayName) {
        this.pathStyleByDefault = pathStyleByDefault;
        this.displayName = displayName;
    }

    public boolean pathStyleByDefault() {
        return pathStyleByDefault;
    }

    public String displayName() {
        return displayName;
    }

    /** A region as this store names it, for messages: the one requests are signed for. */
    public String exampleRegion() {
        return switch (this) {
            case OSS -> "cn-hangzhou";
            case OBS -> "cn-north-4";
            case S3, MINIO, GENERIC -> "us-east-1";
        };
    }

    /** Why this store would refuse the bucket name, or empty when it is valid. */
    public abstract Optional<String> bucketNameProblem(String name);

    /**
     * The user-metadata key this store keeps: OSS and OBS accept letters, digits and hyphens and lowercase them,
     * so other characters become hyphens; other stores keep keys as lowercase HTTP tokens.
     */
    public String metadataKey(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        if (this == OSS || this == OBS) {
            return STRICT_METADATA_KEY.matcher(lower).matches() ? lower : lower.replaceAll("[^a-z0-9-]", "-");
        }
        return lower.replaceAll("[^a-z0-9!#$%&'*+.^_`|~-]", "-");
    }

    public static Provider parse(String value) {
        return parse(Setting.TARGET_PROVIDER, value);
    }

    /** @param setting the setting the value came from, named when it is not a provider */
    public static Provider parse(Setting setting, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(setting.key() + "=" + value + " is not a known provider: use one of "
                    + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ".");
        }
    }

    private static Optional<String> dnsBucketProblem(String name, String store) {
        if (name.length() < 3 || name.length() > 63) {
            return Optional.of(store + " bucket names are 3 to 63 characters long");
        }
        if (!DNS_BUCKET.matcher(name).matches()) {
            return Optional.of(store + " bucket names use only lowercase letters, digits, hyphens and dots, and start and end with a letter or digit");
        }
        if (name.contains("..") || name.contains(".-") || name.contains("-.")) {
            return Optional.of(store + " bucket names have no two dots, or a dot next to a hyphen, in a row");
        }
        if (IP_ADDRESS.matcher(name).matches()) {
            return Optional.of(store + " bucket names may not look like an IP address");
        }
        return Optional.empty();
    }
}
