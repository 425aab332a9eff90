package io.github.miniomigrator.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Aborts the multipart uploads earlier runs started and never finished (a kill -9, an OOM kill, a reboot), as the
 * upload journal records them. A record with an id is aborted by that id; a record without one (written just before a
 * crash, or for a try whose answer was lost) is matched to the upload of that key the store lists as started within a
 * minute after it (where the store can list unfinished uploads: OSS's S3 API cannot). Nobody else's upload is touched.
 */
public final class LeftoverUploads {
    private static final Duration MATCH = Duration.ofMinutes(1);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

    /** What was cleaned up: how many uploads, how many bytes their parts held, and what could not be done. */
    public record Result(int aborted, long bytes, List<String> notes) {
    }

    private int aborted;
    private long bytes;
    private final List<String> notes = new ArrayList<>();
    private final TargetStore target;

    private LeftoverUploads(TargetStore target) {
        this.target = target;
    }

    /** At the start of `copy` or `run`: every upload the journal holds from earlier runs. */
    public static Result abortAll(TargetStore target, UploadJournal journal) {
        LeftoverUploads cleanup = new LeftoverUploads(target);
        for (UploadJournal.Entry entry : journal.claimLeftovers()) {
            if (cleanup.abort(entry, null)) {
                journal.finished(entry.file());
            }
        }
        return cleanup.result();
    }

    /**
     * A try to start an upload got no answer and a later try started {@code kept}: the store may have started one for
     * the lost try too. Aborted now where the store lists it; where it cannot list, the record stays for the next start.
     */
    static Result abortUnanswered(TargetStore target, UploadJournal journal, UploadJournal.Entry entry, String kept) {
        LeftoverUploads cleanup = new LeftoverUploads(target);
        if (cleanup.abort(entry, kept)) {
            journal.finished(entry.file());
        }
        return cleanup.result();
    }

    private Result result() {
        return new Result(aborted, bytes, List.copyOf(notes));
    }

    /** @return whether the record is settled (aborted, or nothing of it is left); false keeps it for another try */
    private boolean abort(UploadJournal.Entry entry, String kept) {
        try {
            List<String> ids = entry.uploadId() != null ? List.of(entry.uploadId()) : startedAfter(entry, kept);
            if (ids == null) {
                return false;
            }
            for (String id : ids) {
                long held = target.uploadedBytes(entry.bucket(), entry.key(), id);
                if (held >= 0) {
                    target.abort(entry.bucket(), entry.key(), id);
                    aborted++;
                    bytes += held;
                }
            }
            return true;
        } catch (RuntimeException e) {
            notes.add("could not abort the unfinished upload of " + entry.bucket() + "/" + entry.key() + " (" + StoreException.describe(e)
                    + "); the next start tries again, or a lifecycle rule for incomplete uploads removes it");
            return false;
        }
    }

    /** The uploads of the record's key the store lists as started just after it, but {@code kept}; null where it cannot list. */
    private List<String> startedAfter(UploadJournal.Entry entry, String kept) {
        List<MultipartUpload> listed;
        try {
            listed = target.uploadsOf(entry.bucket(), entry.key());
        } catch (RuntimeException e) {
            if (StoreException.status(e) != 501 && !StoreException.errorCode(e).equals("NotImplemented")) {
                throw e;
            }
            notes.add("an upload of " + entry.bucket() + "/" + entry.key() + " may have been started without its answer reaching "
                    + "the tool, and this store cannot list unfinished uploads: a lifecycle rule that removes incomplete multipart "
                    + "uploads cleans it up if it exists");
            return kept == null ? List.of() : null;
        }
        List<String> ids = new ArrayList<>();
        for (MultipartUpload upload : listed) {
            if (upload.initiated() == null || upload.uploadId().equals(kept)) {
                continue; // without a start time it cannot be told from somebody else's upload of the key
            }
            Duration after = Duration.between(entry.started(), upload.initiated());
            if (after.compareTo(CLOCK_SKEW.negated()) >= 0 && after.compareTo(MATCH) <= 0) {
                ids.add(upload.uploadId());
            }
        }
        return ids;
    }
}
