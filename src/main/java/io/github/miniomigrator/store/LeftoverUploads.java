package io.github.miniomigrator.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Aborts the multipart uploads earlier runs started and never finished (a kill -9, an OOM kill, a reboot), as the
 * upload journal records them. A record with an id is aborted by that id; a record written just before a crash, with
 * no id yet, is matched to the upload of that key the store lists as started within a minute after it (where the
 * store can list unfinished uploads: OSS's S3 API cannot). Nobody else's upload is touched.
 */
public final class LeftoverUploads {
    private static final Duration MATCH = Duration.ofMinutes(1);
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

    /** What was cleaned up: how many uploads, how many bytes their parts held, and what could not be done. */
    public record Result(int aborted, long bytes, List<String> notes) {
    }

    private LeftoverUploads() {
    }

    public static Result abortAll(TargetStore target, UploadJournal journal) {
        int aborted = 0;
        long bytes = 0;
        List<String> notes = new ArrayList<>();
        for (UploadJournal.Entry entry : journal.claimLeftovers()) {
            try {
                List<String> ids = new ArrayList<>();
                if (entry.uploadId() != null) {
                    ids.add(entry.uploadId());
                } else {
                    List<MultipartUpload> listed;
                    try {
                        listed = target.uploadsOf(entry.bucket(), entry.key());
                    } catch (RuntimeException e) {
                        if (StoreException.status(e) != 501 && !StoreException.errorCode(e).equals("NotImplemented")) {
                            throw e;
                        }
                        notes.add("an upload of " + entry.bucket() + "/" + entry.key() + " may have been started just before a crash, and this "
                                + "store cannot list unfinished uploads: a lifecycle rule that removes incomplete multipart uploads cleans "
                                + "it up if it exists");
                        listed = List.of();
                    }
                    for (MultipartUpload upload : listed) {
                        if (upload.initiated() == null) {
                            continue; // no start time: it cannot be told from somebody else's upload of the key
                        }
                        Duration after = Duration.between(entry.started(), upload.initiated());
                        if (after.compareTo(CLOCK_SKEW.negated()) >= 0 && after.compareTo(MATCH) <= 0) {
                            ids.add(upload.uploadId());
                        }
                    }
                }
                for (String id : ids) {
                    long held = target.uploadedBytes(entry.bucket(), entry.key(), id);
                    if (held >= 0) {
                        target.abort(entry.bucket(), entry.key(), id);
                        aborted++;
                        bytes += held;
                    }
                }
                journal.finished(entry.file());
            } catch (RuntimeException e) {
                notes.add("could not abort the unfinished upload of " + entry.bucket() + "/" + entry.key() + " (" + StoreException.describe(e)
                        + "); the next start tries again, or a lifecycle rule for incomplete uploads removes it");
            }
        }
        return new Result(aborted, bytes, notes);
    }
}
