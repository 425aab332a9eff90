package io.github.miniomigrator.store;

import java.util.Locale;
import java.util.Set;

/**
 * A source object in an archive storage class that has not been restored: it cannot be read, so it is reported as a
 * failed copy with what to do, never skipped in silence. Not transient: retrying cannot help until someone restores it.
 */
public final class ArchivedObjectException extends StoreException {
    /**
     * The classes whose objects must be restored before a GET: S3's GLACIER and DEEP_ARCHIVE (GLACIER_IR reads at once),
     * and the names OSS (Archive, ColdArchive, DeepColdArchive) and OBS (COLD) report for theirs.
     */
    private static final Set<String> ARCHIVE_CLASSES = Set.of("GLACIER", "DEEPARCHIVE", "ARCHIVE", "COLDARCHIVE", "DEEPCOLDARCHIVE", "COLD");

    public ArchivedObjectException(String bucket, String key, String storageClass, Throwable cause) {
        super("'" + key + "' is in archive storage class " + (storageClass == null || storageClass.isEmpty() ? "(not named by the store)" : storageClass)
                + ": restore it first (e.g. aws s3api restore-object --bucket " + bucket + " --key '" + key
                + "' --restore-request Days=7, or ossutil restore oss://" + bucket + "/" + key + "), then copy again", cause);
    }

    /** Whether objects of this class, as a listing, HEAD or GET names it, need a restore before they can be read. */
    public static boolean isArchiveClass(String storageClass) {
        return storageClass != null && ARCHIVE_CLASSES.contains(storageClass.trim().toUpperCase(Locale.ROOT).replace("_", ""));
    }

    /**
     * Whether a restore has finished (x-amz-restore, or OSS's x-oss-restore: {@code ongoing-request="false", expiry-date=...}),
     * so the archived object can be read for now.
     */
    public static boolean restored(String restoreHeader) {
        return restoreHeader != null && restoreHeader.replace(" ", "").contains("ongoing-request=\"false\"");
    }
}
