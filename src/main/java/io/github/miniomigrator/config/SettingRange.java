package io.github.miniomigrator.config;

/**
 * The one range each bounded setting may take: validation, the runtime and every command read a bounded value here,
 * so that a range is written once (the descriptions in {@link Setting} and README say the same, checked by a test).
 */
public enum SettingRange {
    CONCURRENCY(Setting.CONCURRENCY, 1, 1024),
    LISTING_CONCURRENCY(Setting.LISTING_CONCURRENCY, 1, 64),
    MULTIPART_CONCURRENCY(Setting.MULTIPART_CONCURRENCY, 1, 64),
    RETRIES(Setting.RETRIES, 0, 100),
    MAX_DELETE(Setting.MAX_DELETE, -1, Long.MAX_VALUE),
    VERIFY_SAMPLE(Setting.VERIFY_SAMPLE, 0, 1_000_000),
    SMOKE_SAMPLE(Setting.SMOKE_SAMPLE, 0, 100_000),
    EVENTS_MAX_DELETES(Setting.EVENTS_MAX_DELETES, -1, Long.MAX_VALUE),
    EVENTS_QUEUE(Setting.EVENTS_QUEUE, 1, 10_000_000),
    HTTP_PORT(Setting.HTTP_PORT, 1, 65535),
    /** Bytes: OSS, OBS and S3 refuse parts under 5MiB; larger than 1GiB is not needed here. */
    PART_SIZE(Setting.PART_SIZE, 5L << 20, 1L << 30, "parts are at least 5MiB (OSS, OBS and S3 refuse smaller) and at most 1GiB here"),
    /** Bytes. */
    MULTIPART_THRESHOLD(Setting.MULTIPART_THRESHOLD, 0, 1L << 30, "from 0 to 1GiB");

    private final Setting setting;
    private final long min;
    private final long max;
    /** For a size: the range in words (null for a whole number, whose range is said with its bounds). */
    private final String sizeRange;

    SettingRange(Setting setting, long min, long max) {
        this(setting, min, max, null);
    }

    SettingRange(Setting setting, long min, long max, String sizeRange) {
        this.setting = setting;
        this.min = min;
        this.max = max;
        this.sizeRange = sizeRange;
    }

    public Setting setting() {
        return setting;
    }

    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    /** The setting's value, refused with its key and range when out of it (a size such as 8MiB for a size's range). */
    public long read(Settings settings) {
        if (sizeRange == null) {
            return settings.number(setting, min, max);
        }
        long bytes = settings.bytes(setting);
        if (bytes < min || bytes > max) {
            throw new SettingsException(setting.key() + "=" + settings.get(setting) + " is out of range: " + sizeRange + ".");
        }
        return bytes;
    }

    /** As {@link #read} for a range within int's. */
    public int readInt(Settings settings) {
        return Math.toIntExact(read(settings));
    }
}
