package io.github.miniomigrator.store;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The multipart uploads this tool has started and not yet completed or aborted: one small file each in
 * migration.state.dir/uploads, written (and forced to disk) before the upload is started and again with its id before
 * the first part, removed after it is completed or aborted. A kill -9, an OOM kill or a reboot leaves the files, and
 * the next start aborts those uploads, which stores bill and show nowhere a user looks. The process that holds the
 * folder's lock owns the leftovers; another one sharing the folder journals its own uploads but touches no others.
 */
public final class UploadJournal implements AutoCloseable {
    /** One upload: its file, where, and (once the store answered) its id; started is when the tool asked for it. */
    public record Entry(Path file, String bucket, String key, String uploadId, Instant started) {
    }

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final List<Entry> leftovers;

    private UploadJournal(Path dir, FileChannel lockChannel, FileLock lock, List<Entry> leftovers) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.leftovers = leftovers;
    }

    /** Opens the journal in the state folder; the leftovers of earlier runs are read now, before this run starts any upload. */
    public static UploadJournal open(Path stateDir) {
        Path dir = stateDir.resolve("uploads");
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(stateDir.resolve("uploads.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already (tests run several commands in one process)
            }
            List<Entry> leftovers = new ArrayList<>();
            if (lock != null) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".upload")).toList()) {
                        try {
                            read(file).ifPresent(leftovers::add);
                        } catch (RuntimeException e) {
                            org.slf4j.LoggerFactory.getLogger(UploadJournal.class).warn("{} is not an upload record ({}); left as it is", file,
                                    e.getMessage());
                        }
                    }
                }
            }
            return new UploadJournal(dir, channel, lock, List.copyOf(leftovers));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir + " for the journal of unfinished uploads (" + e.getMessage()
                    + "): set migration.state.dir to a writable folder", e);
        }
    }

    /** Uploads earlier runs started and never finished; empty when another process holds the folder. */
    public List<Entry> leftovers() {
        return leftovers;
    }

    /** Whether this process owns the folder (and so may abort what earlier runs left). */
    public boolean owned() {
        return lock != null;
    }

    /** Written before the upload is started: a crash between the store's answer and {@link #started} still leaves a trace. */
    public Path intend(String bucket, String key) {
        Path file = dir.resolve(UUID.randomUUID() + ".upload");
        write(file, new Entry(file, bucket, key, null, Instant.now()));
        return file;
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
                    StandardOpenOption.TRUNCATE_EXISTING); Writer out = java.nio.channels.Channels.newWriter(channel, StandardCharsets.UTF_8)) {
                properties.store(out, "an upload minio-migrator started; the next start aborts it if this file is still here");
                out.flush();
                channel.force(true);
            }
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the upload journal " + file + ": " + e.getMessage(), e);
        }
    }

    private static java.util.Optional<Entry> read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        String bucket = properties.getProperty("bucket");
        String key = properties.getProperty("key");
        String started = properties.getProperty("started");
        if (bucket == null || key == null || started == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Entry(file, bucket, key, properties.getProperty("uploadId"), Instant.parse(started)));
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
