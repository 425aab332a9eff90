package io.github.miniomigrator;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.ObjectAttributes;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetStore;
import io.github.miniomigrator.verify.SampleChecker;
import io.github.miniomigrator.verify.VerifyTally;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * `smoke-test`: the runbook's "open a random sample of old files, upload a new one". N random objects of each target
 * are read and compared with the source byte for byte; a canary object is uploaded, read back and deleted.
 */
public final class SmokeTestCommand {
    private SmokeTestCommand() {
    }

    public static int run(Settings settings, PrintStream out) throws Exception {
        List<BucketMapping> mappings = Preflight.checkSettings(settings);
        try (MigrationRuntime runtime = MigrationRuntime.start(settings)) {
            return check(runtime, mappings, settings, out) ? 0 : 1;
        }
    }

    static boolean check(MigrationRuntime runtime, List<BucketMapping> mappings, Settings settings, PrintStream out) {
        long sample = settings.number(Setting.SMOKE_SAMPLE, 0, 100_000);
        boolean ok = true;
        for (BucketMapping mapping : mappings) {
            Path markers = Path.of(settings.get(Setting.REPORT_DIR)).resolve("smoke-test-" + Instant.now().toEpochMilli() + "-"
                    + mapping.sourceBucket() + ".txt");
            try (VerifyTally tally = new VerifyTally(markers)) {
                SampleChecker samples = new SampleChecker(runtime.sourceStore(), runtime.targetStore(), String.valueOf(sample));
                Iterator<ListingEntry> target = runtime.targetStore().list(mapping.targetBucket(), mapping.targetPrefix());
                while (target.hasNext()) {
                    samples.offer(mapping, target.next(), tally);
                }
                samples.checkSample(tally);
                String canary = canary(runtime.targetStore(), mapping);
                boolean good = tally.differ.sum() == 0 && tally.errors.sum() == 0 && canary == null;
                ok &= good;
                out.printf("Smoke test %s: %d old objects read and compared with the source, %d differ, %d unreadable; canary %s%n",
                        mapping, tally.sampled.sum(), tally.differ.sum(), tally.errors.sum(), canary == null ? "written, read back, deleted" : "FAILED: " + canary);
                if (tally.sampleArchived.sum() > 0) {
                    out.printf("  %d old objects were not read: they are in an archive storage class and need a restore before anyone, "
                            + "the application included, can open them%n", tally.sampleArchived.sum());
                }
                tally.kept().forEach(out::println);
            }
        }
        out.println(ok ? "Smoke test passed." : "Smoke test FAILED.");
        return ok;
    }

    /** Uploads a small object under the mapping's prefix, reads it back, deletes it; returns what failed, or null. */
    private static String canary(TargetStore target, BucketMapping mapping) {
        String key = mapping.targetKey(".minio-migrator-canary-" + UUID.randomUUID());
        byte[] body = ("minio-migrator canary " + Instant.now()).getBytes(StandardCharsets.UTF_8);
        try {
            String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body));
            target.put(mapping.targetBucket(), key, new ObjectAttributes("text/plain", null, null, null, null, null, Map.of()), body,
                    body.length, md5);
            try {
                if (target.storageClass().archive()) {
                    return null; // written in an archive class, which cannot be read until restored: the write is what is tested
                }
                try (InputStream in = target.get(mapping.targetBucket(), key)) {
                    if (!java.util.Arrays.equals(body, in.readAllBytes())) {
                        return "read back other bytes than were written";
                    }
                }
            } finally {
                target.delete(mapping.targetBucket(), key);
            }
            return null;
        } catch (Exception e) {
            return StoreException.describe(e);
        }
    }
}
