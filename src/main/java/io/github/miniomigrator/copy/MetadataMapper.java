package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.Provider;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Arrays;
import io.github.miniomigrator.store.ObjectAttributes;
import io.github.miniomigrator.store.SourceEncryption;
import okhttp3.Headers;

/**
 * Turns a source GET's headers into what the target PUT carries: the portable headers, and user metadata with keys
 * the provider accepts (renamed ones are counted and noted, never dropped), plus the keys later passes compare by.
 */
public final class MetadataMapper {
    /** Base64 MD5 of the bytes, under the name rclone uses, so rclone check and later passes need not read bytes. */
    public static final String MD5_KEY = "md5chksum";
    /** The source ETag the object was copied from: decides "identical" where ETags do not compare (multipart). */
    public static final String SOURCE_ETAG_KEY = "source-etag";
    /**
     * How the source object was encrypted (its GET's x-amz-server-side-encryption[-customer-algorithm]), when it was:
     * its source ETag is then no MD5 of the bytes, and {@link Identity} trusts the recorded one where the target's own
     * MD5 ETag vouches for the record.
     */
    public static final String SOURCE_ENCRYPTION_KEY = "source-encryption";
    private static final String USER_PREFIX = "x-amz-meta-";
    /** OSS allows 8 KB of user metadata in all; S3 2 KB; we check OSS's and let others answer for themselves. */
    private static final int OSS_METADATA_LIMIT = 8 * 1024;

    private final Provider provider;

    public MetadataMapper(Provider provider) {
        this.provider = provider;
    }

    public ObjectAttributes attributes(Headers headers, String key, String sourceEtag, String md5Base64, PassStats stats) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String name : headers.names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith(USER_PREFIX)) {
                continue;
            }
            String original = lower.substring(USER_PREFIX.length());
            String accepted = provider.metadataKey(original);
            if (accepted.equals(MD5_KEY) || accepted.equals(SOURCE_ETAG_KEY) || accepted.equals(SOURCE_ENCRYPTION_KEY)) {
                continue; // ours, set below from this copy
            }
            if (!accepted.equals(original)) {
                stats.renamedMetadataKey(original, accepted);
            }
            String value = carried(String.join(", ", headers.values(name)), accepted, key, stats);
            if (metadata.containsKey(accepted)) {
                stats.note("metadata keys of '" + key + "' collide as '" + accepted + "' on " + provider.displayName() + "; values joined with ', '");
                metadata.put(accepted, metadata.get(accepted) + ", " + value);
            } else {
                metadata.put(accepted, value);
            }
        }
        metadata.put(SOURCE_ETAG_KEY, sourceEtag);
        SourceEncryption.of(headers).ifPresent(encryption -> metadata.put(SOURCE_ENCRYPTION_KEY, encryption));
        if (md5Base64 != null) {
            metadata.put(MD5_KEY, md5Base64);
        }
        if (provider == Provider.OSS || provider == Provider.OBS) {
            int size = metadata.entrySet().stream().mapToInt(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length).sum();
            if (size > OSS_METADATA_LIMIT) {
                throw new IllegalArgumentException("user metadata of '" + key + "' is " + size + " bytes; " + provider.displayName()
                        + " accepts at most " + OSS_METADATA_LIMIT + ". Shorten it on the source, then re-run.");
            }
        }
        for (String header : new String[] {"Content-Type", "Content-Disposition", "Content-Encoding", "Content-Language", "Cache-Control"}) {
            String value = headers.get(header);
            if (value != null && !value.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\t')) {
                // the SDK would send '?' for each such character, the store would refuse the signature, every pass would fail on it
                throw new IllegalArgumentException(header + " of '" + key + "' is not US-ASCII (" + value + "): no signed S3 request carries it to "
                        + provider.displayName() + "; set it in ASCII on the source (for a file name: filename*=UTF-8''<percent-encoded>), then re-run");
            }
        }
        return new ObjectAttributes(headers.get("Content-Type"), headers.get("Content-Disposition"),
                contentEncoding(headers.get("Content-Encoding")), headers.get("Content-Language"), headers.get("Cache-Control"),
                expires(headers.get("Expires"), key, stats), metadata);
    }

    /**
     * A user-metadata value as the target's REST API can carry it: US-ASCII. MinIO and Ceph RGW store raw UTF-8 values
     * (a Chinese archive's file names, say), which no signed S3 request of this tool can send as they are; such a value
     * is carried in the encoding the target provider documents, so that provider's own SDKs and console read the
     * original text back:
     * <ul>
     * <li>OBS: percent-encoded UTF-8 ({@code %E5%BC%A0%E4%B8%89}), as OBS's documentation prescribes and its SDKs send and
     * decode;</li>
     * <li>S3, OSS, MinIO and any other S3-compatible store: RFC 2047 ({@code =?UTF-8?B?5byg5LiJ?=}), S3's documented
     * form for non-ASCII metadata (what the AWS SDKs and console use); OSS refuses raw non-ASCII values
     * (0011-00000005).</li>
     * </ul>
     * ASCII values, including ones that already look encoded, are carried exactly as they are. A value holding a control
     * character (which no HTTP header can carry) fails the object, named.
     */
    String carried(String value, String name, String key, PassStats stats) {
        boolean ascii = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new IllegalArgumentException("user metadata '" + name + "' of '" + key + "' holds a control character (U+"
                        + String.format("%04X", (int) c) + "), which no HTTP header can carry to " + provider.displayName()
                        + "; change it on the source, then re-run");
            }
            if (c > 0x7e) {
                ascii = false;
            }
        }
        if (ascii) {
            return value;
        }
        String encoded = encode(provider, value);
        stats.encodedMetadataValue(name, key, provider == Provider.OBS ? "percent-encoded UTF-8" : "RFC 2047-encoded (=?UTF-8?B?...?=)",
                provider.displayName());
        return encoded;
    }

    /** The ASCII form a non-ASCII metadata value takes on the provider (see {@link #carried}). */
    public static String encode(Provider provider, String value) {
        if (provider == Provider.OBS) {
            return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
        }
        return "=?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    /** aws-chunked is how a body was sent, not how it is stored: it must not be carried over. */
    private static String contentEncoding(String value) {
        if (value == null) {
            return null;
        }
        String kept = Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty() && !v.equalsIgnoreCase("aws-chunked"))
                .collect(Collectors.joining(","));
        return kept.isEmpty() ? null : kept;
    }

    private static Instant expires(String value, String key, PassStats stats) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            stats.note("Expires header '" + value + "' of '" + key + "' is not an HTTP date and was not carried over");
            return null;
        }
    }
}
