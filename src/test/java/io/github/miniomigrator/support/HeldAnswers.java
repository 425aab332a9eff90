package io.github.miniomigrator.support;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A proxy in front of a server that holds the answers to the requests a test picks — the server has done the work (an
 * object read, or written), the client does not know yet — until released (or for at most {@code longest}): a client
 * stalled at the worst moment, made real.
 */
public final class HeldAnswers implements AutoCloseable {
    public final FaultyProxy proxy;
    /** The paths whose answer was held. */
    public final Set<String> held = ConcurrentHashMap.newKeySet();
    /** Every request that went through, as method and path ("HEAD /src/a"), in order. */
    private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch release = new CountDownLatch(1);

    /** @param firstOnly hold a path's answer the first time only (a retry of it, or a later read, goes through) */
    public HeldAnswers(String serverEndpoint, Predicate<FaultyProxy.Request> pick, boolean firstOnly, Duration longest) throws Exception {
        proxy = new FaultyProxy(URI.create(serverEndpoint).getPort(), (method, path) -> FaultyProxy.Fault.PASS);
        proxy.rewriteResponses((request, answer) -> {
            seen.add(request.method() + " " + request.path());
            if (pick.test(request) && (held.add(request.path()) || !firstOnly)) {
                try {
                    release.await(longest.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return answer;
        });
    }

    /** The paths of the requests of one method that went through, in order. */
    public List<String> paths(String method) {
        synchronized (seen) {
            return seen.stream().filter(line -> line.startsWith(method + " ")).map(line -> line.substring(method.length() + 1)).toList();
        }
    }

    /** Every answer held goes out now, and no more are held. */
    public void release() {
        release.countDown();
    }

    @Override
    public void close() throws Exception {
        release();
        proxy.close();
    }
}
