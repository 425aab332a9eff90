package io.github.miniomigrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The journal of unfinished multipart uploads, on a real folder: what each step leaves for the next start to abort,
 * which files it takes for records, and that only the holder of the folder's lock claims them.
 */
class UploadJournalTest {
    @TempDir
    Path state;

    @Test
    void openingTouchesNothing() {
        try (UploadJournal journal = UploadJournal.open(state)) {
            assertFalse(Files.exists(state.resolve("uploads")));
            assertFalse(Files.exists(state.resolve("uploads.lock")));
        }
    }

    @Test
    void eachStepLeavesWhatTheNextStartNeeds() {
        Instant asked = Instant.parse("2026-01-02T03:04:05Z");
        UploadJournal.Entry intended;
        UploadJournal.Entry started;
        try (UploadJournal journal = UploadJournal.open(state)) {
            intended = journal.intend("b", "dir/intended.bin");
            started = journal.intend("b", "dir/started.bin");
            journal.started(started.file(), "b", "dir/started.bin", "upload-7", asked);
            UploadJournal.Entry finished = journal.intend("b", "finished.bin");
            journal.started(finished.file(), "b", "finished.bin", "upload-8", asked);
            journal.finished(finished.file());
            assertFalse(Files.exists(finished.file()), "a completed or aborted upload leaves nothing");
        }
        try (UploadJournal next = UploadJournal.open(state)) {
            List<UploadJournal.Entry> leftovers = next.claimLeftovers().stream()
                    .sorted(java.util.Comparator.comparing(UploadJournal.Entry::key)).toList();
            assertEquals(2, leftovers.size(), leftovers.toString());
            UploadJournal.Entry stillStarting = leftovers.get(0);
            assertEquals(List.of(intended.file(), "b", "dir/intended.bin", intended.started()),
                    List.of(stillStarting.file(), stillStarting.bucket(), stillStarting.key(), stillStarting.started()));
            assertNull(stillStarting.uploadId(), "killed before the store answered: no id yet");
            assertEquals(new UploadJournal.Entry(started.file(), "b", "dir/started.bin", "upload-7", asked), leftovers.get(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bucket=b\nstarted=2026-01-02T03\\:04\\:05Z\n", "key=k\nstarted=2026-01-02T03\\:04\\:05Z\n", "bucket=b\nkey=k\n",
            "bucket=b\nkey=k\nstarted=yesterday\n"})
    void aFileThatIsNoRecordIsLeftAlone(String content) throws Exception {
        Files.createDirectories(state.resolve("uploads"));
        Path broken = Files.writeString(state.resolve("uploads/broken.upload"), content);
        try (UploadJournal journal = UploadJournal.open(state)) {
            UploadJournal.Entry good = journal.intend("b", "k");
            assertEquals(List.of(good.key()), journal.claimLeftovers().stream().map(UploadJournal.Entry::key).toList());
        }
        assertTrue(Files.exists(broken), "left as it is");
    }

    @Test
    void onlyUploadFilesAreRecords() throws Exception {
        Files.createDirectories(state.resolve("uploads"));
        String record = "bucket=b\nkey=k\nstarted=2026-01-02T03\\:04\\:05Z\n";
        Files.writeString(state.resolve("uploads/half-written.upload.tmp"), record);
        Files.writeString(state.resolve("uploads/notes.txt"), record);
        Files.writeString(state.resolve("uploads/real.upload"), record);
        try (UploadJournal journal = UploadJournal.open(state)) {
            assertEquals(List.of(state.resolve("uploads/real.upload")), journal.claimLeftovers().stream().map(UploadJournal.Entry::file).toList());
        }
    }

    @Test
    void onlyTheHolderOfTheLockClaimsTheLeftovers() {
        try (UploadJournal first = UploadJournal.open(state)) {
            first.intend("b", "k");
        }
        try (UploadJournal holder = UploadJournal.open(state); UploadJournal other = UploadJournal.open(state)) {
            assertEquals(1, holder.claimLeftovers().size());
            assertEquals(List.of(), other.claimLeftovers(), "another process sharing the folder leaves them to the holder");
            assertEquals(1, holder.claimLeftovers().size(), "the holder may ask again");
            UploadJournal.Entry own = other.intend("b", "its own");
            assertTrue(Files.exists(own.file()), "the other one journals its own uploads all the same");
        }
        try (UploadJournal afterwards = UploadJournal.open(state)) {
            assertEquals(2, afterwards.claimLeftovers().size(), "once the holder closed, the next one claims them all");
        }
    }
}
