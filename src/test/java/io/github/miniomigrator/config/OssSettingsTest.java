package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Bucket domains and storage classes: what each setting accepts, and what it refuses with which words. */
class OssSettingsTest {
    static Settings settings(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("migration.target.provider", "oss");
        values.put("migration.target.endpoint", "https://oss-cn-hangzhou.aliyuncs.com");
        values.put("migration.buckets", "archive-temp:oss-temp,archive-pro:oss-pro");
        for (String keyValue : keyValues) {
            values.put(keyValue.substring(0, keyValue.indexOf('=')), keyValue.substring(keyValue.indexOf('=') + 1));
        }
        return new Settings(values);
    }

    @Test
    void bucketDomainsNameTheirBucketsAndOthersGoThroughTheEndpoint() {
        BucketDomains domains = BucketDomains.of(settings("migration.target.bucket-domains=oss-pro=https://files.example.com/"));
        assertEquals(Optional.of(URI.create("https://files.example.com")), domains.domainOf("oss-pro"));
        assertEquals(Optional.empty(), domains.domainOf("oss-temp"));
        assertTrue(domains.note().isEmpty());
    }

    @Test
    void badBucketDomainsAreRefusedWithTheFix() {
        assertTrue(assertThrows(SettingsException.class, () -> BucketDomains.of(settings("migration.target.bucket-domains=oss-pro")))
                .getMessage().contains("is not bucket=URL; write it like oss-pro=https://files.example.com"));
        assertTrue(assertThrows(SettingsException.class, () -> BucketDomains.of(settings(
                "migration.target.bucket-domains=oss-pro=https://files.example.com/oss-pro"))).getMessage().contains("has a path"));
        assertTrue(assertThrows(SettingsException.class, () -> BucketDomains.of(settings(
                "migration.target.bucket-domains=archive-pro=https://files.example.com"))).getMessage()
                .contains("names bucket 'archive-pro', which no mapping in migration.buckets writes to"));
        assertTrue(assertThrows(SettingsException.class, () -> BucketDomains.of(settings(
                "migration.target.bucket-domains=oss-pro=https://a.example.com,oss-pro=https://b.example.com"))).getMessage().contains("twice"));
    }

    @Test
    void anEndpointStartingWithTheTargetBucketIsThatBucketsDomain() {
        Settings runbook = settings("migration.target.endpoint=https://chengshi-oss.oss.cn-north-4.myalicloud.com:443",
                "migration.buckets=archive-temp:chengshi-oss");
        BucketDomains domains = BucketDomains.of(runbook);
        assertEquals(Optional.of(URI.create("https://chengshi-oss.oss.cn-north-4.myalicloud.com:443")), domains.domainOf("chengshi-oss"));
        assertTrue(domains.note().orElseThrow().contains("is the domain of bucket 'chengshi-oss'"));
        // path-style stores put the bucket in the path: their endpoint is never a bucket's domain
        assertTrue(BucketDomains.of(settings("migration.target.provider=minio", "migration.target.endpoint=http://oss-temp.internal:9000"))
                .isEmpty());
    }

    @Test
    void storageClassesInEachProvidersWords() {
        assertEquals("STANDARD_IA", StorageClass.parse(Provider.OSS, "IA").header());
        assertEquals("STANDARD_IA", StorageClass.parse(Provider.OSS, "standard_ia").header());
        assertTrue(StorageClass.parse(Provider.OSS, "Archive").archive());
        assertEquals("GLACIER", StorageClass.parse(Provider.OBS, "COLD").header());
        assertEquals("STANDARD_IA", StorageClass.parse(Provider.OBS, "warm").header());
        assertTrue(StorageClass.parse(Provider.S3, "DEEP_ARCHIVE").archive());
        assertFalse(StorageClass.parse(Provider.S3, "GLACIER_IR").archive());
        assertEquals("WHATEVER_CLASS", StorageClass.parse(Provider.GENERIC, "whatever-class").header());
        assertEquals(StorageClass.DEFAULT, StorageClass.parse(Provider.OSS, " "));
        assertTrue(StorageClass.DEFAULT.headerValue().isEmpty());
        SettingsException refused = assertThrows(SettingsException.class, () -> StorageClass.parse(Provider.OSS, "DEEP_ARCHIVE"));
        assertTrue(refused.getMessage().contains("is not a storage class Alibaba Cloud OSS takes through its S3 API: use one of STANDARD, "
                + "STANDARD_IA, IA, GLACIER, ARCHIVE"), refused.getMessage());
    }

    @Test
    void aHeadReportsTheClassInTheStoresOwnWords() {
        StorageClass ia = StorageClass.parse(Provider.OSS, "IA");
        assertTrue(ia.matches("STANDARD_IA"));
        assertTrue(ia.matches("IA"));
        assertFalse(ia.matches(null), "no header means STANDARD on S3");
        assertTrue(StorageClass.parse(Provider.S3, "STANDARD").matches(null));
        assertTrue(StorageClass.DEFAULT.matches("GLACIER"));
    }
}
