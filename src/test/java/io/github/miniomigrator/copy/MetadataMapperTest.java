package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.Provider;
import io.github.miniomigrator.store.ObjectAttributes;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

class MetadataMapperTest {
    private static Headers headers(String... namesAndValues) {
        Headers.Builder builder = new Headers.Builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            builder.addUnsafeNonAscii(namesAndValues[i], namesAndValues[i + 1]);
        }
        return builder.build();
    }

    @Test
    void nonAsciiValuesAreRfc2047EncodedForS3OssMinioAndGeneric() {
        for (Provider provider : new Provider[] {Provider.S3, Provider.OSS, Provider.MINIO, Provider.GENERIC}) {
            PassStats stats = new PassStats();
            ObjectAttributes attributes = new MetadataMapper(provider).attributes(
                    headers("x-amz-meta-name", "张三", "x-amz-meta-plain", "ascii =?x?= %41"), "scan/a.pdf", "etag", null, stats);
            assertEquals("=?UTF-8?B?5byg5LiJ?=", attributes.userMetadata().get("name"), provider.name());
            assertEquals("ascii =?x?= %41", attributes.userMetadata().get("plain"), "ASCII values are carried exactly as they are");
            assertEquals(1, stats.notes().size(), stats.notes().toString());
            assertTrue(stats.notes().get(0).contains("RFC 2047") && stats.notes().get(0).contains("scan/a.pdf"), stats.notes().toString());
        }
    }

    @Test
    void nonAsciiValuesArePercentEncodedForObs() {
        ObjectAttributes attributes = new MetadataMapper(Provider.OBS).attributes(headers("x-amz-meta-name", "张三 a+b"), "k", "etag", null,
                new PassStats());
        assertEquals("%E5%BC%A0%E4%B8%89%20a%2Bb", attributes.userMetadata().get("name"));
    }

    @Test
    void aControlCharacterFailsTheObjectNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MetadataMapper(Provider.S3)
                .attributes(headers("x-amz-meta-note", "a\u0001b"), "scan/x.pdf", "etag", null, new PassStats()));
        assertTrue(e.getMessage().contains("'note'") && e.getMessage().contains("'scan/x.pdf'") && e.getMessage().contains("U+0001"), e.getMessage());
    }

    @Test
    void theMd5GivenIsRecordedInPlaceOfTheSourcesOwn() {
        ObjectAttributes attributes = new MetadataMapper(Provider.OSS).attributes(headers("x-amz-meta-md5chksum", "stale"), "k", "e-2",
                "1B2M2Y8AsgTpgAmY7PhCfg==", new PassStats());
        assertEquals("1B2M2Y8AsgTpgAmY7PhCfg==", attributes.userMetadata().get("md5chksum"));
    }

    @Test
    void aNonAsciiContentDispositionFailsTheObjectNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MetadataMapper(Provider.OSS)
                .attributes(headers("Content-Disposition", "attachment; filename=\"中文.pdf\""), "scan/y.pdf", "etag", null, new PassStats()));
        assertTrue(e.getMessage().startsWith("Content-Disposition of 'scan/y.pdf' is not US-ASCII") && e.getMessage().contains("filename*=UTF-8''"),
                e.getMessage());
    }
}
