package io.github.miniomigrator.copy;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.LongAdder;

/**
 * One object being copied, and the source stream its copy reads through: when it started, its size, and the bytes of
 * the current try read so far. Every byte read also adds to the pass's bytes moved. Bytes are counted as the copy reads
 * them from the source: a streamed PUT sends them on as it reads, a multipart upload holds at most
 * migration.multipart.concurrency parts read and not yet sent. Read by the copy's own thread only (one writer), so the
 * count per read is a plain volatile write, no lock.
 */
public final class Transfer extends InputStream {
    private final String key;
    private final long startedNanos;
    private final LongAdder moved;
    private InputStream in = InputStream.nullInputStream();
    private volatile long size = -1;
    private volatile long tryBytes;
    private volatile String failure;

    Transfer(String key, long startedNanos, LongAdder moved) {
        this.key = key;
        this.startedNanos = startedNanos;
        this.moved = moved;
    }

    /** A new try of the copy reads this source stream: its bytes count from zero again (the retry's are counted as moved too). */
    public InputStream reading(InputStream source) {
        this.in = source;
        this.tryBytes = 0;
        return this;
    }

    void size(long size) {
        this.size = size;
    }

    /** The object is in place (its bytes now count as copied): none of it counts as in flight any more. */
    void landed() {
        tryBytes = 0;
    }

    public String key() {
        return key;
    }

    /** The key failed while in flight (the pass recorded why): the copy's outcome carries the reason. */
    void failed(String reason) {
        this.failure = reason;
    }

    /** Why the key failed while in flight, or null. */
    String failure() {
        return failure;
    }

    public long startedNanos() {
        return startedNanos;
    }

    /** The object's size, or -1 while its GET has not answered. */
    public long size() {
        return size;
    }

    /** Bytes of the current try read so far. */
    public long bytes() {
        return tryBytes;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    private void counted(int n) {
        tryBytes = tryBytes + n; // one writer: the copy's thread
        moved.add(n);
    }

    @Override
    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
