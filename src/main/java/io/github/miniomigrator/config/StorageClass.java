package io.github.miniomigrator.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The storage class every written object carries (x-amz-storage-class), in the S3 names each store's S3 API takes:
 * OSS maps STANDARD_IA to IA and GLACIER to Archive, OBS maps them to WARM and COLD. Archive classes cannot be read
 * until an object is restored, which the verify samples and the smoke test must know.
 */
public record StorageClass(String header, String description, boolean archive) {
    /** The bucket's default: no header is sent. */
    public static final StorageClass DEFAULT = new StorageClass(null, "the bucket's default", false);

    public static StorageClass parse(Provider provider, String value) {
        String asked = value.trim();
        if (asked.isEmpty()) {
            return DEFAULT;
        }
        Map<String, StorageClass> known = classesOf(provider);
        String name = asked.toUpperCase(Locale.ROOT).replace('-', '_');
        StorageClass found = known.get(name);
        if (found == null && provider == Provider.GENERIC && name.matches("[A-Z][A-Z0-9_]*")) {
            found = new StorageClass(name, name, name.equals("GLACIER") || name.equals("DEEP_ARCHIVE"));
        }
        if (found == null) {
            throw new SettingsException(Setting.TARGET_STORAGE_CLASS.key() + "=" + value + " is not a storage class " + provider.displayName()
                    + " takes through its S3 API: use one of " + known.keySet().stream().collect(Collectors.joining(", ")) + ".");
        }
        return found;
    }

    private static Map<String, StorageClass> classesOf(Provider provider) {
        Map<String, StorageClass> classes = new LinkedHashMap<>();
        StorageClass standard = new StorageClass("STANDARD", "STANDARD", false);
        classes.put("STANDARD", standard);
        switch (provider) {
            case OSS -> {
                named(classes, new StorageClass("STANDARD_IA", "STANDARD_IA (OSS Infrequent Access)", false), "STANDARD_IA", "IA");
                named(classes, new StorageClass("GLACIER", "GLACIER (OSS Archive)", true), "GLACIER", "ARCHIVE");
            }
            case OBS -> {
                named(classes, new StorageClass("STANDARD_IA", "STANDARD_IA (OBS Infrequent Access, WARM)", false), "STANDARD_IA", "WARM");
                named(classes, new StorageClass("GLACIER", "GLACIER (OBS Archive, COLD)", true), "GLACIER", "COLD");
            }
            case S3 -> {
                for (String name : new String[] {"STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "REDUCED_REDUNDANCY"}) {
                    classes.put(name, new StorageClass(name, name, false));
                }
                classes.put("GLACIER", new StorageClass("GLACIER", "GLACIER (S3 Glacier Flexible Retrieval)", true));
                classes.put("DEEP_ARCHIVE", new StorageClass("DEEP_ARCHIVE", "DEEP_ARCHIVE (S3 Glacier Deep Archive)", true));
            }
            case MINIO -> classes.put("REDUCED_REDUNDANCY", new StorageClass("REDUCED_REDUNDANCY", "REDUCED_REDUNDANCY", false));
            case GENERIC -> {
                // any class name is passed through; the store answers for itself
            }
        }
        return classes;
    }

    private static void named(Map<String, StorageClass> classes, StorageClass storageClass, String... names) {
        for (String name : names) {
            classes.put(name, storageClass);
        }
    }

    /** The header value for a PUT or an upload start, or empty for the bucket's default. */
    public Optional<String> headerValue() {
        return Optional.ofNullable(header);
    }

    /** Whether an object of this class, as a HEAD reports it, is the class asked for (S3 omits STANDARD). */
    public boolean matches(String reported) {
        if (header == null) {
            return true;
        }
        String actual = reported == null || reported.isEmpty() ? "STANDARD" : reported.toUpperCase(Locale.ROOT);
        return actual.equals(header) || (header.equals("STANDARD_IA") && (actual.equals("IA") || actual.equals("WARM")))
                || (header.equals("GLACIER") && (actual.equals("ARCHIVE") || actual.equals("COLD")));
    }

    @Override
    public String toString() {
        return description;
    }
}
