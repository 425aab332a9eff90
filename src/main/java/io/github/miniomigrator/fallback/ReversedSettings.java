package io.github.miniomigrator.fallback;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of the fallback direction: the target becomes the store read (with its provider, addressing, bucket
 * domains, CA and proxy), MinIO the store written (with migration.fallback.access-key where set), each mapping turned
 * round. Every pass, verify and smoke test of that direction runs the forward code on these settings, so every guarantee
 * of the forward copy (streamed bodies, Content-MD5, multipart, metadata, the upload journal, timeouts, ETag truth, the
 * delete guards) holds in reverse. Its state (upload journal, what MinIO's ETags are) lives in its own folder.
 */
public final class ReversedSettings {
    /** The settings each side has under the same name: migration.source.X and migration.target.X trade places. */
    private static final List<String> SIDE_KEYS = List.of("endpoint", "region", "access-key", "secret-key", "ca-cert", "provider",
            "path-style", "bucket-domains", "proxy", "proxy-username", "proxy-password");

    private ReversedSettings() {
    }

    public static Settings of(Settings settings) {
        Map<String, String> values = new LinkedHashMap<>(settings.all());
        for (String key : SIDE_KEYS) {
            Setting source = Setting.byKey("migration.source." + key).orElseThrow();
            Setting target = Setting.byKey("migration.target." + key).orElseThrow();
            values.put(source.key(), settings.get(target));
            values.put(target.key(), settings.get(source));
        }
        // a rate limit belongs to its store (OSS counts its QPS whichever way the bytes go)
        values.put(Setting.SOURCE_RATE.key(), settings.get(Setting.RATE));
        values.put(Setting.RATE.key(), settings.get(Setting.SOURCE_RATE));
        if (!settings.get(Setting.FALLBACK_ACCESS_KEY).isEmpty()) {
            values.put(Setting.TARGET_ACCESS_KEY.key(), settings.get(Setting.FALLBACK_ACCESS_KEY));
            values.put(Setting.TARGET_SECRET_KEY.key(), settings.required(Setting.FALLBACK_SECRET_KEY));
        }
        values.put(Setting.TARGET_STORAGE_CLASS.key(), ""); // MinIO's own
        values.put(Setting.BUCKETS.key(), String.join(",", mappings(settings).stream()
                .map(m -> m.targetBucket() + ":" + m.sourceBucket()).toList()));
        values.put(Setting.STATE_DIR.key(), Path.of(settings.get(Setting.STATE_DIR)).resolve("fallback").toString());
        // no events come from the target: the fallback is passes only, run by one process (no shards, no Kafka)
        values.put(Setting.EVENTS_MODE.key(), "off");
        values.put(Setting.EVENTS_URI.key(), "");
        values.put(Setting.CLUSTER_ZOOKEEPER.key(), "");
        return new Settings(values);
    }

    /**
     * The settings of `run`'s fallback window: a `run` in the other direction with no events, whose reconcile passes are the
     * fallback passes (every migration.fallback.interval). With migration.cluster.zookeeper its instances elect their own
     * leader (the migration's name with "-fallback") who plans each pass, and every instance runs its shards, as forward.
     * It has no cutover to make: its plan and commands are empty.
     */
    public static Settings forRun(Settings settings) {
        Map<String, String> values = new LinkedHashMap<>(of(settings).all());
        values.put(Setting.CLUSTER_ZOOKEEPER.key(), settings.get(Setting.CLUSTER_ZOOKEEPER));
        String name = settings.get(Setting.CLUSTER_NAME).trim();
        values.put(Setting.CLUSTER_NAME.key(), (name.length() > 55 ? name.substring(0, 55) : name) + "-fallback");
        values.put(Setting.RECONCILE_INTERVAL.key(), settings.get(Setting.FALLBACK_INTERVAL));
        values.put(Setting.CUTOVER_PLAN.key(), "");
        values.put(Setting.CUTOVER_STOP_COMMAND.key(), "");
        values.put(Setting.CUTOVER_START_COMMAND.key(), "");
        return new Settings(values);
    }

    /** The forward mappings, each of which the fallback can turn round. */
    public static List<BucketMapping> mappings(Settings settings) {
        List<BucketMapping> mappings = settings.mappings();
        for (BucketMapping mapping : mappings) {
            if (!mapping.targetPrefix().isEmpty()) {
                throw new SettingsException(Setting.BUCKETS.key() + ": the mapping " + mapping + " writes under a prefix of "
                        + mapping.targetBucket() + "; the fallback direction (the target back to MinIO) does not read a prefix yet. "
                        + "Copy those keys back by hand (e.g. rclone copy) before a rollback.");
            }
        }
        return mappings;
    }

    /** The forward mapping a reversed one came from (the report's words: "oss-temp -> archive-temp" is archive-temp's fallback). */
    public static BucketMapping forward(BucketMapping reversed) {
        return new BucketMapping(reversed.targetBucket(), reversed.sourceBucket(), "");
    }
}
