package io.github.miniomigrator.store;

import java.io.FilterInputStream;
import java.io.InputStream;
import okhttp3.Headers;

/**
 * A source object being read: its bytes as a stream, and the headers its GET answered (Content-Length, ETag,
 * Content-Type, user metadata), whichever client read it. The headers are OkHttp's multimap because the metadata
 * mapping reads them so; it is a plain value type, not a connection.
 */
public final class SourceObject extends FilterInputStream {
    private final Headers headers;

    public SourceObject(InputStream body, Headers headers) {
        super(body);
        this.headers = headers;
    }

    public Headers headers() {
        return headers;
    }
}
