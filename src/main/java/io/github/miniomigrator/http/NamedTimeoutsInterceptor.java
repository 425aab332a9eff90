package io.github.miniomigrator.http;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * For the MinIO client's OkHttp: its read and write timeouts (migration.timeout) already bound both directions (a
 * write that times out closes the socket), but fail with a bare "timeout". As a network interceptor (connecting,
 * with its own timeout, is done before it runs) this renames such a failure a {@link StalledTransferException} that
 * says which request stalled, so the retry says so in one line as it does for the target's client.
 */
public final class NamedTimeoutsInterceptor implements Interceptor {
    private final Duration timeout;

    public NamedTimeoutsInterceptor(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Response response;
        try {
            response = chain.proceed(request);
        } catch (SocketTimeoutException e) {
            throw named(request, e);
        }
        ResponseBody body = response.body();
        if (body == null) {
            return response;
        }
        BufferedSource named = Okio.buffer(new ForwardingSource(body.source()) {
            @Override
            public long read(Buffer sink, long byteCount) throws IOException {
                try {
                    return super.read(sink, byteCount);
                } catch (SocketTimeoutException e) {
                    throw named(request, e);
                }
            }
        });
        return response.newBuilder().body(ResponseBody.create(named, body.contentType(), body.contentLength())).build();
    }

    private SocketTimeoutException named(Request request, SocketTimeoutException e) {
        return e instanceof StalledTransferException ? e : StalledTransferException.receiving(describe(request), timeout, e);
    }

    /** "GET src/scan/a.tif": the bucket and key from the path, never the query (a presigned URL's signature is there). */
    static String describe(Request request) {
        String path = String.join("/", request.url().pathSegments());
        return request.method() + " " + path;
    }
}
