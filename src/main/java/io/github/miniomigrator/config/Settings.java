package io.github.miniomigrator.config;

import io.github.miniomigrator.i18n.Messages;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The resolved settings, read through typed accessors that explain a bad value by naming its key. */
public final class Settings {
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m|h|d)\\s*");
    private static final Pattern SIZE = Pattern.compile("(?i)\\s*(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\\s*");

    private final Map<String, String> values;

    public Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Every resolved key, migration.* and camel.* alike, for handing to camel-main. */
    public Map<String, String> all() {
        return values;
    }

    public String get(Setting setting) {
        String value = values.get(setting.key());
        return value == null ? setting.defaultValue() : value.trim();
    }

    public String required(Setting setting) {
        String value = get(setting);
        if (value.isEmpty()) {
            throw new SettingsException(setting.secret()
                    ? Messages.text("cli.settings.secret-not-set", setting.key(), setting.environmentVariable(), setting.description())
                    : Messages.text("cli.settings.not-set", setting.key(), setting.environmentVariable(), setting.description()));
        }
        return value;
    }

    public boolean flag(Setting setting) {
        String value = get(setting).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off", "" -> false;
            default -> throw new SettingsException(setting.key() + "=" + value + " is not a yes/no value: use true or false.");
        };
    }

    public long number(Setting setting, long min, long max) {
        String value = get(setting);
        try {
            long n = Long.parseLong(value);
            if (n < min || n > max) {
                throw new SettingsException(setting.key() + "=" + value + " is out of range: use a whole number from " + min + " to " + max + ".");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SettingsException(setting.key() + "=" + value + " is not a whole number.");
        }
    }

    /**
     * migration.concurrency: the object transfers in flight at once in the whole process (passes and event syncs share
     * them), in {@link SettingRange#CONCURRENCY}.
     */
    public int concurrency() {
        return SettingRange.CONCURRENCY.readInt(this);
    }

    /** migration.listing.concurrency: the shards a pass lists at once, in {@link SettingRange#LISTING_CONCURRENCY}. */
    public int listingConcurrency() {
        return SettingRange.LISTING_CONCURRENCY.readInt(this);
    }

    /**
     * migration.multipart.concurrency: the parts of one object uploaded at once, in {@link SettingRange#MULTIPART_CONCURRENCY}
     * (the first on the transfer's own slot, the others on transfer slots that are free).
     */
    public int multipartConcurrency() {
        return SettingRange.MULTIPART_CONCURRENCY.readInt(this);
    }

    /** A byte size such as 8MiB, 5M, 1048576 (binary units: M and MiB both mean 1,048,576 bytes). */
    public long bytes(Setting setting) {
        return parseBytes(setting.key(), get(setting));
    }

    static long parseBytes(String key, String value) {
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw new SettingsException(key + "=" + value + " is not a size: write it like 8MiB, 512KiB or 1048576.");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        return switch (unit.charAt(0)) {
            case 'k' -> n << 10;
            case 'm' -> n << 20;
            case 'g' -> n << 30;
            default -> n;
        };
    }

    /** A duration such as 30s, 5m, 6h, 1d, 500ms; off (or 0) gives Duration.ZERO. */
    public java.time.Duration duration(Setting setting) {
        String value = get(setting).toLowerCase(Locale.ROOT);
        if (value.equals("off") || value.equals("0")) {
            return java.time.Duration.ZERO;
        }
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            throw new SettingsException(setting.key() + "=" + value + " is not a duration: write it like 30s, 5m, 6h or off.");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> java.time.Duration.ofMillis(n);
            case "s" -> java.time.Duration.ofSeconds(n);
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofDays(n);
        };
    }

    public List<BucketMapping> mappings() {
        return BucketMapping.parseAll(required(Setting.BUCKETS));
    }

    /** The target's provider. */
    public Provider provider() {
        return StoreSide.TARGET.provider(this);
    }

    public boolean targetPathStyle() {
        return StoreSide.TARGET.pathStyle(this);
    }

    /** The source's provider: MinIO (read through camel-minio, with its listen API) unless set otherwise. */
    public Provider sourceProvider() {
        return StoreSide.SOURCE.provider(this);
    }

    /** The settings of a family (migration.events.kafka.property.*), by the name after the prefix, values trimmed. */
    public Map<String, String> startingWith(String prefix) {
        Map<String, String> family = new java.util.TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                family.put(key.substring(prefix.length()), value.trim());
            }
        });
        return family;
    }

    /** The secret values in force, so that anything printed or written can be masked. */
    public List<String> secretValues() {
        List<String> secrets = new java.util.ArrayList<>(
                java.util.Arrays.stream(Setting.values()).filter(Setting::secret).map(this::get).filter(v -> !v.isEmpty()).toList());
        secrets.addAll(KafkaClientProperties.secretValues(startingWith(KafkaClientProperties.PREFIX)));
        return secrets;
    }
}
