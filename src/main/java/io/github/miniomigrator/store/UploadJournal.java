package io.github.miniomigrator.store;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * The multipart uploads this tool has started and not yet completed or aborted: one small file each in
 * migration.state.dir/uploads, written (and forced to disk) before the upload is started and again with its id before
 * the first part, removed after it is completed or aborted. A kill -9, an OOM kill or a reboot leaves the files, and
 * the next `copy` or `run` aborts those uploads, which stores bill and show nowhere a user looks. The process that takes
 * the folder's lock owns the leftovers; another one sharing the folder journals its own uploads but touches no others,
 * and read-only commands (verify, monitor) never take it.
 */
public final class UploadJournal implements AutoCloseable {
    /** One upload: its file, where, and (once the store answered) its id; started is when the tool asked for it. */
    public record Entry(Path file, String bucket, String key, String uploadId, Instant started) {
    }

    private final Path stateDir;
    private final Path dir;
    private FileChannel lockChannel;
    private FileLock lock;

    private UploadJournal(Path stateDir) {
        this.stateDir = stateDir;
        this.dir = stateDir.resolve("uploads");
    }

    /** The journal in the state folder; nothing is read, written or locked until a command that writes uses it. */
    public static UploadJournal open(Path stateDir) {
        return new UploadJournal(stateDir);
    }

    /**
     * The uploads earlier runs started and never finished, claimed by this process: it takes the folder's lock (held
     * until {@link #close}) and reads them. Empty when another process holds the lock: they are that one's to clean.
     */
    public synchronized List<Entry> claimLeftovers() {
        try {
            Files.createDirectories(dir);
            if (lockChannel == null) {
                lockChannel = FileChannel.open(stateDir.resolve("uploads.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                    lock = lockChannel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // this JVM holds it already (tests run several commands in one process)
                }
            }
            if (lock == null) {
                return List.of();
            }
            List<Entry> leftovers = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".upload")).toList()) {
                    try {
                        read(file).ifPresent(leftovers::add);
                    } catch (RuntimeException e) {
                        LoggerFactory.getLogger(UploadJournal.class).warn("{} is not an upload record ({}); left as it is", file,
                                e.getMessage());
                    }
                }
            }
            return leftovers;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir + " for the journal of unfinished uploads (" + e.getMessage()
                    + "): set migration.state.dir to a writable folder", e);
        }
    }

    /** Written before the upload is started: a crash between the store's answer and {@link #started} still leaves a trace. */
    public Entry intend(String bucket, String key) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upload journal in " + dir + ": " + e.getMessage()
                    + " (set migration.state.dir to a writable folder)", e);
        }
        Path file = dir.resolve(UUID.randomUUID() + ".upload");
        Entry entry = new Entry(file, bucket, key, null, Instant.now());
        write(file, entry);
        return entry;
    }

    /** The store gave the upload its id: recorded before the first part is sent. */
    public void started(Path file, String bucket, String key, String uploadId, Instant asked) {
        write(file, new Entry(file, bucket, key, uploadId, asked));
    }

    /** The upload was completed or aborted: nothing is left to clean up. */
    public void finished(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, Entry entry) {
        Properties properties = new Properties();
        properties.setProperty("bucket", entry.bucket());
        properties.setProperty("key", entry.key());
        properties.setProperty("started", entry.started().toString());
        if (entry.uploadId() != null) {
            properties.setProperty("uploadId", entry.uploadId());
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING); Writer out = Channels.newWriter(channel, StandardCharsets.UTF_8)) {
                properties.store(out, "an upload minio-migrator started; the next start aborts it if this file is still here");
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upload journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Entry> read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        String bucket = properties.getProperty("bucket");
        String key = properties.getProperty("key");
        String started = properties.getProperty("started");
        if (bucket == null || key == null || started == null) {
            return Optional.empty();
        }
        return Optional.of(new Entry(file, bucket, key, properties.getProperty("uploadId"), Instant.parse(started)));
    }

    @Override
    public synchronized void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
