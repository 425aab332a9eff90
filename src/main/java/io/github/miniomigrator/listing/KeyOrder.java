package io.github.miniomigrator.listing;

import java.util.Comparator;

/**
 * The two orders in which object stores list keys. S3, MinIO and OSS sort by UTF-8 bytes (the same as Unicode code
 * point order); S3Proxy sorts by Java String order (UTF-16 code units). They differ only where one key has a
 * character above U+FFFF (a surrogate pair, e.g. an emoji) and the other a character from U+E000 to U+FFFF (e.g. a
 * fullwidth '（') at the first place they differ.
 */
public final class KeyOrder {
    public static final Comparator<String> UTF8 = KeyOrder::compareCodePoints;
    public static final Comparator<String> UTF16 = String::compareTo;

    private KeyOrder() {
    }

    public static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = a.charAt(i);
            char cb = b.charAt(i);
            if (ca != cb) {
                return Integer.compare(codePointRank(ca), codePointRank(cb));
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Moves surrogates (D800-DFFF) above E000-FFFF so that code units compare as code points do. */
    private static int codePointRank(char c) {
        if (c < 0xD800) {
            return c;
        }
        return c < 0xE000 ? c + 0x2000 : c - 0x800;
    }

    /**
     * Whether this key can be placed differently by the two orders relative to some other key. Keys without such
     * characters sit in the same place under both, which is what lets the merge-join trust them.
     */
    public static boolean mayOrderDifferently(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) >= 0xD800) {
                return true;
            }
        }
        return false;
    }
}
