package io.github.miniomigrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RawHeaderValueTest {
    private static String asTheSdkGivesIt(String value) {
        return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Test
    void utf8BytesHandedOverAsSingleByteCharactersAreDecoded() {
        assertEquals("张三", RawHeaderValue.utf8(asTheSdkGivesIt("张三")));
        assertEquals("财务部 2026", RawHeaderValue.utf8(asTheSdkGivesIt("财务部 2026")));
    }

    @Test
    void asciiDecodedTextAndNonUtf8BytesAreLeftAsTheyCame() {
        assertEquals("ascii", RawHeaderValue.utf8("ascii"));
        assertEquals("张三", RawHeaderValue.utf8("张三"));
        assertEquals("caf\u00e9", RawHeaderValue.utf8("caf\u00e9")); // the ISO-8859-1 byte E9 alone is no UTF-8
    }

    @Test
    void theS3SourcesGetHeadersCarryTheDecodedValue() {
        assertEquals("张三", S3SourceStore.headers(Map.of("x-amz-meta-name", List.of(asTheSdkGivesIt("张三")))).get("x-amz-meta-name"));
    }
}
