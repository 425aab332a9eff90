package io.github.miniomigrator.store;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A response header value as the store sent its bytes. The AWS SDK's Apache HTTP client hands header bytes over as
 * ISO-8859-1 characters, one per byte, so a raw UTF-8 metadata value (MinIO and Ceph RGW store them: {@code 张三})
 * arrives as mojibake ({@code å¼ ä¸}); the MinIO client (OkHttp) decodes UTF-8 itself. A value whose characters are all
 * single bytes and which decodes as UTF-8 is taken for UTF-8; anything else (ASCII, or bytes that are no UTF-8, which
 * HTTP's historical ISO-8859-1 then describes) is left as it came.
 */
public final class RawHeaderValue {
    private RawHeaderValue() {
    }

    public static String utf8(String value) {
        boolean high = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                return value; // already decoded by the client
            }
            high |= c > 0x7f;
        }
        if (!high) {
            return value;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return value;
        }
    }
}
