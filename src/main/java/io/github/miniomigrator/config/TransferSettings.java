package io.github.miniomigrator.config;

/**
 * The settings a running migration's transfers are built from, read and checked once: each bounded value in its
 * {@link SettingRange}, a bad one refused with its key before anything starts.
 *
 * @param concurrency object transfers in flight in the whole process (migration.concurrency)
 * @param listingConcurrency shards a pass lists at once
 * @param partConcurrency parts of one object uploaded at once
 * @param multipartThreshold bytes up to which an object whose ETag is its MD5 goes up in one PUT
 * @param partSize the smallest part, in bytes
 * @param bufferBudget heap all in-flight part buffers may take together, at least one part
 * @param retries retries of a transfer after a transient failure
 * @param remove whether extra target objects are deleted
 * @param maxDelete the most deletes in one pass (-1: no limit)
 * @param verifySample the objects verify reads in full per mapping: a count, or "all"
 */
public record TransferSettings(int concurrency, int listingConcurrency, int partConcurrency, long multipartThreshold, long partSize,
        long bufferBudget, int retries, boolean remove, long maxDelete, String verifySample) {

    public static TransferSettings of(Settings settings) {
        int concurrency = settings.concurrency();
        int listingConcurrency = settings.listingConcurrency();
        int partConcurrency = settings.multipartConcurrency();
        long partSize = SettingRange.PART_SIZE.read(settings);
        long threshold = SettingRange.MULTIPART_THRESHOLD.read(settings);
        long budget = bufferBudget(settings, partSize);
        int retries = SettingRange.RETRIES.readInt(settings);
        boolean remove = settings.flag(Setting.REMOVE);
        long maxDelete = SettingRange.MAX_DELETE.read(settings);
        return new TransferSettings(concurrency, listingConcurrency, partConcurrency, threshold, partSize, budget, retries, remove,
                maxDelete, verifySample(settings));
    }

    private static String verifySample(Settings settings) {
        String value = settings.get(Setting.VERIFY_SAMPLE).trim();
        if (value.equalsIgnoreCase("all")) {
            return "all";
        }
        return String.valueOf(SettingRange.VERIFY_SAMPLE.read(settings));
    }

    private static long bufferBudget(Settings settings, long largestBuffer) {
        String value = settings.get(Setting.BUFFER_MEMORY);
        long budget = value.equalsIgnoreCase("auto") ? Runtime.getRuntime().maxMemory() / 4 : settings.bytes(Setting.BUFFER_MEMORY);
        return Math.max(budget, largestBuffer);
    }
}
