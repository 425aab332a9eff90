package io.github.miniomigrator.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.BucketDomains;
import io.github.miniomigrator.config.Provider;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.store.ArchivedObjectException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The source's provider, addressing and bucket domains: what each setting accepts, and what it refuses with which words. */
class SourceSettingsTest {
    static Settings settings(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("migration.source.endpoint", "https://oss-cn-hangzhou.aliyuncs.com");
        values.put("migration.source.access-key", "reader");
        values.put("migration.source.secret-key", "source-secret");
        values.put("migration.target.provider", "oss");
        values.put("migration.target.endpoint", "https://oss-cn-shanghai.aliyuncs.com");
        values.put("migration.target.access-key", "writer");
        values.put("migration.target.secret-key", "target-secret");
        values.put("migration.buckets", "scans:oss-scans,invoices:oss-invoices");
        for (String keyValue : keyValues) {
            values.put(keyValue.substring(0, keyValue.indexOf('=')), keyValue.substring(keyValue.indexOf('=') + 1));
        }
        return new Settings(values);
    }

    static String refusal(Runnable check) {
        String message = assertThrows(SettingsException.class, check::run).getMessage();
        assertFalse(message.contains("source-secret") || message.contains("target-secret"), message);
        return message;
    }

    @Test
    void theSourceIsMinioUnlessSetAndOtherProvidersAddressAsTheirPresetsSay() {
        assertEquals(Provider.MINIO, settings().sourceProvider());
        Settings oss = settings("migration.source.provider=oss");
        assertEquals(Provider.OSS, oss.sourceProvider());
        assertFalse(StoreSide.SOURCE.pathStyle(oss), "OSS takes virtual-hosted requests only");
        assertTrue(StoreSide.SOURCE.pathStyle(settings("migration.source.provider=generic")));
        assertTrue(StoreSide.SOURCE.pathStyle(settings("migration.source.provider=oss", "migration.source.path-style=true")));
        assertEquals(2, Preflight.checkSettings(oss).size());
    }

    @Test
    void anUnknownProviderNamesTheSourceSetting() {
        String message = refusal(() -> Preflight.checkSettings(settings("migration.source.provider=azure")));
        assertTrue(message.startsWith("migration.source.provider=azure is not a known provider: use one of oss, obs, s3, minio, generic"), message);
    }

    @Test
    void sourceBucketDomainsNameSourceBucketsAndTheEndpointMayBeOne() {
        Settings settings = settings("migration.source.provider=oss", "migration.source.bucket-domains=invoices=https://files.example.com");
        Preflight.checkSettings(settings);
        BucketDomains domains = BucketDomains.of(settings, StoreSide.SOURCE);
        assertEquals(Optional.of(URI.create("https://files.example.com")), domains.domainOf("invoices"));
        assertEquals(Optional.empty(), domains.domainOf("scans"));

        String wrongSide = refusal(() -> Preflight.checkSettings(settings("migration.source.provider=oss",
                "migration.source.bucket-domains=oss-invoices=https://files.example.com")));
        assertTrue(wrongSide.contains("migration.source.bucket-domains names bucket 'oss-invoices', which no mapping in migration.buckets "
                + "reads from: check the spelling (give the source bucket, not the target bucket)."), wrongSide);
        assertTrue(refusal(() -> Preflight.checkSettings(settings("migration.source.provider=oss", "migration.source.bucket-domains=scans")))
                .contains("migration.source.bucket-domains: 'scans' is not bucket=URL"));

        Settings endpoint = settings("migration.source.provider=oss", "migration.buckets=scans:oss-scans",
                "migration.source.endpoint=https://scans.oss-cn-hangzhou.aliyuncs.com");
        assertEquals(Optional.of(URI.create("https://scans.oss-cn-hangzhou.aliyuncs.com")),
                BucketDomains.of(endpoint, StoreSide.SOURCE).domainOf("scans"));
        String other = refusal(() -> Preflight.checkSettings(settings("migration.source.provider=oss",
                "migration.source.endpoint=https://scans.oss-cn-hangzhou.aliyuncs.com")));
        assertTrue(other.contains("migration.source.endpoint=https://scans.oss-cn-hangzhou.aliyuncs.com is the domain of bucket 'scans', "
                + "so bucket 'invoices' cannot be reached through it"), other);
    }

    @Test
    void addressingSettingsForTheSdkAreRefusedForAMinioSource() {
        for (String sdkOnly : new String[] {"migration.source.path-style=true", "migration.source.bucket-domains=scans=https://files.example.com"}) {
            String message = refusal(() -> Preflight.checkSettings(settings(sdkOnly)));
            String key = sdkOnly.substring(0, sdkOnly.indexOf('='));
            assertTrue(message.startsWith(key + " is for a source read through the AWS SDK, and migration.source.provider is minio"), message);
            assertTrue(message.contains("set migration.source.provider to the source's store (oss, obs, s3 or generic)"), message);
        }
    }

    @Test
    void theSourcesProxyIsCheckedAsTheTargetsWithItsOwnSettingsNamed() {
        assertEquals("http://proxy.corp.example:3128 as reader", io.github.miniomigrator.config.TargetProxy.of(settings(
                "migration.source.proxy=http://proxy.corp.example:3128", "migration.source.proxy-username=reader",
                "migration.source.proxy-password=proxy-pa55"), StoreSide.SOURCE).orElseThrow().toString());
        String inUrl = refusal(() -> Preflight.checkSettings(settings("migration.source.proxy=http://reader:proxy-pa55@proxy.corp.example:3128")));
        assertTrue(inUrl.startsWith("migration.source.proxy is not http://host:port"), inUrl);
        assertFalse(inUrl.contains("proxy-pa55"), inUrl);
        String alone = refusal(() -> Preflight.checkSettings(settings("migration.source.proxy-username=reader")));
        assertTrue(alone.contains("migration.source.proxy is empty"), alone);
        assertTrue(io.github.miniomigrator.config.TargetProxy.of(settings("migration.target.proxy=http://proxy.corp.example:3128"),
                StoreSide.SOURCE).isEmpty(), "the target's proxy is the target's alone");
    }

    @Test
    void sourceBucketNamesAreCheckedByTheSourcesRules() {
        String message = refusal(() -> Preflight.checkSettings(settings("migration.source.provider=oss", "migration.buckets=scans.old:oss-scans")));
        assertTrue(message.contains("source bucket 'scans.old' cannot exist on Alibaba Cloud OSS"), message);
        Preflight.checkSettings(settings("migration.buckets=scans.old:oss-scans")); // MinIO allows dots
    }

    @Test
    void theListenApiNeedsAMinioSourceAndTheRefusalSaysWhatToSetInstead() {
        Preflight.checkEventSettings(settings()); // MinIO, listen: the default
        String message = refusal(() -> Preflight.checkEventSettings(settings("migration.source.provider=s3")));
        assertTrue(message.startsWith("migration.events.mode=listen needs a MinIO source (its ListenBucketNotification API), and "
                + "migration.source.provider is s3: set migration.events.mode=off and let migration.reconcile.interval"), message);
        Preflight.checkEventSettings(settings("migration.source.provider=s3", "migration.events.mode=off"));
    }

    @Test
    void archiveClassesAreKnownByEveryNameTheStoresGiveThem() {
        for (String archived : new String[] {"GLACIER", "DEEP_ARCHIVE", "Archive", "ColdArchive", "DeepColdArchive", "COLD"}) {
            assertTrue(ArchivedObjectException.isArchiveClass(archived), archived);
        }
        for (String readable : new String[] {"STANDARD", "STANDARD_IA", "GLACIER_IR", "IA", "WARM", "INTELLIGENT_TIERING", "", null}) {
            assertFalse(ArchivedObjectException.isArchiveClass(readable), String.valueOf(readable));
        }
        assertTrue(ArchivedObjectException.restored("ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\""));
        assertFalse(ArchivedObjectException.restored("ongoing-request=\"true\""));
        assertFalse(ArchivedObjectException.restored(null));
        String message = new ArchivedObjectException("scans", "2019/a b.tif", "DEEP_ARCHIVE", null).getMessage();
        assertTrue(message.startsWith("'2019/a b.tif' is in archive storage class DEEP_ARCHIVE: restore it first (e.g. "), message);
    }

    /** Every bucket with a domain: the endpoint is still required, and the refusal says why and what to set. */
    @Test
    void theEndpointIsRequiredBesideBucketDomainsAndTheMessageSaysWhy() {
        String message = refusal(() -> Preflight.checkSettings(settings("migration.target.endpoint=", "migration.target.region=cn-shanghai",
                "migration.target.bucket-domains=oss-scans=https://scans.example.com,oss-invoices=https://invoices.example.com")));
        assertTrue(message.startsWith("migration.target.endpoint is not set: it is needed even though migration.target.bucket-domains"),
                message);
        assertTrue(message.contains("e.g. https://oss-cn-shanghai.aliyuncs.com"), message);
    }
}
