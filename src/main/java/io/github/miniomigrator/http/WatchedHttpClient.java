package io.github.miniomigrator.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The SDK's HTTP client with migration.timeout bounding writes as its socket timeout bounds reads: a request whose
 * body stops going out is aborted by a {@link StallWatchdog} (the SDK's own abort, which closes the connection rather
 * than pooling it), and a stall either way fails as a {@link StalledTransferException} naming the request, which the
 * tool's retry layer retries on a new connection. The body is never copied: its stream is only watched as it is read.
 */
public final class WatchedHttpClient implements SdkHttpClient {
    private final SdkHttpClient delegate;
    private final StallWatchdog watchdog;
    private final boolean pathStyle;

    private WatchedHttpClient(SdkHttpClient delegate, StallWatchdog watchdog, boolean pathStyle) {
        this.delegate = delegate;
        this.watchdog = watchdog;
        this.pathStyle = pathStyle;
    }

    /**
     * A builder the SDK builds (and later closes) the watched client with, as it would the wrapped one's.
     * @param pathStyle whether the bucket is the path's first segment (else the host names it), for the messages
     */
    public static SdkHttpClient.Builder<?> around(SdkHttpClient.Builder<?> http, Duration timeout, boolean pathStyle) {
        return new Builder(http, timeout, pathStyle);
    }

    /**
     * The https socket factory a watched Apache client needs (else a stalled TLS write cannot be aborted, see
     * {@link RawSocketTlsFactory}); it replaces the SDK's, so the trust a side's ca-cert names is given here.
     * @param trust the CA to trust, or null for the JVM's trust store
     */
    public static ConnectionSocketFactory tlsSocketFactory(javax.net.ssl.TrustManager trust) {
        return RawSocketTlsFactory.create(trust);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        SdkHttpRequest what = request.httpRequest(); // described only when it stalls
        Optional<ContentStreamProvider> body = request.contentStreamProvider();
        if (body.isEmpty()) {
            return new Call(delegate.prepareRequest(request), null, what);
        }
        // the watch is armed only once the body is read, by then the request it aborts is prepared
        AtomicReference<ExecutableHttpRequest> prepared = new AtomicReference<>();
        StallWatchdog.Watch watch = watchdog.watch(() -> prepared.get().abort());
        HttpExecuteRequest.Builder watched = HttpExecuteRequest.builder().request(request.httpRequest())
                .contentStreamProvider(() -> new WatchedBody(body.get().newStream(), watch));
        request.metricCollector().ifPresent(watched::metricCollector);
        prepared.set(delegate.prepareRequest(watched.build()));
        return new Call(prepared.get(), watch, what);
    }

    /** "PUT dst/scan/a.tif (part 3)": the bucket and key, never the query (it can carry a presigned signature). */
    String describe(SdkHttpRequest request) {
        String path = URLDecoder.decode(request.encodedPath().replace("+", "%2B"), StandardCharsets.UTF_8);
        String object = path.startsWith("/") ? path.substring(1) : path;
        if (!pathStyle) {
            object = request.host() + "/" + object;
        }
        String part = request.firstMatchingRawQueryParameter("partNumber").map(n -> " (part " + n + ")").orElse("");
        return request.method().name() + " " + object + part;
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        watchdog.close();
        delegate.close();
    }

    /** One request: fails as a stall when the watchdog aborted it, or when its socket timed out waiting for the answer. */
    private final class Call implements ExecutableHttpRequest {
        private final ExecutableHttpRequest delegate;
        private final StallWatchdog.Watch watch;
        private final SdkHttpRequest what;

        Call(ExecutableHttpRequest delegate, StallWatchdog.Watch watch, SdkHttpRequest what) {
            this.delegate = delegate;
            this.watch = watch;
            this.what = what;
        }

        @Override
        public HttpExecuteResponse call() throws IOException {
            HttpExecuteResponse response;
            if (watch != null) {
                watch.enter();
            }
            try {
                response = delegate.call();
            } catch (IOException e) {
                if (watch != null && !watch.finish()) {
                    throw watch.bodySent() ? StalledTransferException.receiving(describe(what), watchdog.timeout(), e)
                            : StalledTransferException.sending(describe(what), watchdog.timeout(), e);
                }
                throw named(e);
            } catch (RuntimeException | Error e) {
                if (watch != null) {
                    watch.finish();
                }
                throw e;
            }
            if (watch != null && !watch.finish()) {
                // aborted as the answer came: its stream is cut, so the request failed all the same
                response.responseBody().ifPresent(WatchedHttpClient::closeQuietly);
                throw StalledTransferException.receiving(describe(what), watchdog.timeout(), null);
            }
            return response.responseBody().map(stream -> HttpExecuteResponse.builder().response(response.httpResponse())
                    .responseBody(AbortableInputStream.create(new NamedTimeouts(stream, this), stream)).build()).orElse(response);
        }

        /** A socket timeout is a stall by another name: the same message and the same retry. */
        IOException named(IOException e) {
            return e instanceof SocketTimeoutException && !(e instanceof StalledTransferException)
                    ? StalledTransferException.receiving(describe(what), watchdog.timeout(), e) : e;
        }

        @Override
        public void abort() {
            delegate.abort();
        }
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException | RuntimeException e) {
            // the connection is gone anyway
        }
    }

    /** A request body that reports each read to its watch. */
    private static final class WatchedBody extends FilterInputStream {
        private final StallWatchdog.Watch watch;

        WatchedBody(InputStream in, StallWatchdog.Watch watch) {
            super(in);
            this.watch = watch;
        }

        @Override
        public int read() throws IOException {
            watch.enterRead();
            int b = -1;
            try {
                b = in.read();
                return b;
            } finally {
                watch.exitRead(b < 0);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            watch.enterRead();
            int n = -1;
            try {
                n = in.read(buffer, offset, length);
                return n;
            } finally {
                watch.exitRead(n < 0);
            }
        }
    }

    /** A response body whose socket timeout says which request it was. */
    private static final class NamedTimeouts extends FilterInputStream {
        private final Call call;

        NamedTimeouts(InputStream in, Call call) {
            super(in);
            this.call = call;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw call.named(e);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (IOException e) {
                throw call.named(e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return in.skip(n);
            } catch (IOException e) {
                throw call.named(e);
            }
        }
    }

    private static final class Builder implements SdkHttpClient.Builder<Builder> {
        private final SdkHttpClient.Builder<?> http;
        private final Duration timeout;
        private final boolean pathStyle;

        Builder(SdkHttpClient.Builder<?> http, Duration timeout, boolean pathStyle) {
            this.http = http;
            this.timeout = timeout;
            this.pathStyle = pathStyle;
        }

        @Override
        public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
            return new WatchedHttpClient(http.buildWithDefaults(serviceDefaults), new StallWatchdog(timeout), pathStyle);
        }
    }
}
