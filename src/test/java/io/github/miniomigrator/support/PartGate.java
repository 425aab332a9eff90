package io.github.miniomigrator.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link FaultyProxy} policy for the parts of multipart uploads (PUT ...?partNumber=N&uploadId=...): it holds each
 * part at the server's door until {@code together} parts are there at once — which only a client sending parts in
 * parallel can bring about — then lets them go, and from then on every part passes at once. What it saw is a state,
 * not a timing: whether that many parts were ever in flight together, the most there were, and how many part requests
 * were still unanswered when an upload's abort (DELETE ...?uploadId=) came in. A part can be answered with a fault of
 * the test's choosing once the parts are together (its fate is decided then, with the others still held).
 * Install with {@link #install}: the answers of passed parts are counted as they go back.
 */
public final class PartGate implements Function<FaultyProxy.Request, FaultyProxy.Fault> {
    private static final Pattern PART = Pattern.compile("[?&]partNumber=(\\d+)");
    private final String object;
    private final int together;
    private final IntFunction<FaultyProxy.Fault> faultOfPart;
    private final Duration longest;
    private int inFlight;
    private int peak;
    private boolean opened;
    /** Unanswered parts at the moment each abort arrived. */
    private final List<Integer> inFlightAtAborts = Collections.synchronizedList(new ArrayList<>());
    /** Part requests that arrived after an abort of their upload. */
    private final List<String> partsAfterAbort = Collections.synchronizedList(new ArrayList<>());
    private final List<String> abortedUploads = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> faulted = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param object the path of the object whose uploads it watches ("/bucket/key"); other requests pass untouched
     * @param together how many parts must be at the door at once before any goes on
     * @param faultOfPart what a part gets once the parts are together: PASS, or a fault answered in the store's place
     * @param longest how long a part is held at most (the test then fails on {@link #metTogether}, rather than hanging)
     */
    public PartGate(String object, int together, IntFunction<FaultyProxy.Fault> faultOfPart, Duration longest) {
        this.object = object + "?";
        this.together = together;
        this.faultOfPart = faultOfPart;
        this.longest = longest;
    }

    /** The gate in front of the given upstream port, with the answers of passed parts counted. */
    public FaultyProxy install(int upstreamPort) throws java.io.IOException {
        FaultyProxy proxy = FaultyProxy.seeing(upstreamPort, this);
        proxy.rewriteResponses((request, answer) -> {
            if (request.path().startsWith(object) && partNumber(request) > 0) {
                answered();
            }
            return answer;
        });
        return proxy;
    }

    @Override
    public FaultyProxy.Fault apply(FaultyProxy.Request request) {
        if (!request.path().startsWith(object)) {
            return FaultyProxy.Fault.PASS;
        }
        String uploadId = uploadId(request.path());
        if (request.method().equals("DELETE") && uploadId != null) {
            synchronized (this) {
                inFlightAtAborts.add(inFlight);
                abortedUploads.add(uploadId);
            }
            return FaultyProxy.Fault.PASS;
        }
        int part = partNumber(request);
        if (part == 0) {
            return FaultyProxy.Fault.PASS;
        }
        synchronized (this) {
            if (uploadId != null && abortedUploads.contains(uploadId)) {
                partsAfterAbort.add(request.path());
            }
            inFlight++;
            peak = Math.max(peak, inFlight);
            if (inFlight >= together) {
                opened = true;
                notifyAll();
            }
            long deadline = System.nanoTime() + longest.toNanos();
            while (!opened && System.nanoTime() < deadline) {
                try {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            FaultyProxy.Fault fault = faultOfPart.apply(part);
            if (fault != FaultyProxy.Fault.PASS) {
                faulted.add(part);
                inFlight--; // answered here, in the store's place
            }
            return fault;
        }
    }

    private synchronized void answered() {
        inFlight--;
    }

    private static int partNumber(FaultyProxy.Request request) {
        if (!request.method().equals("PUT")) {
            return 0;
        }
        Matcher m = PART.matcher(request.path());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String uploadId(String path) {
        Matcher m = Pattern.compile("[?&]uploadId=([^&]+)").matcher(path);
        return m.find() ? m.group(1) : null;
    }

    /** Whether {@code together} parts were ever at the server's door at once. */
    public synchronized boolean metTogether() {
        return opened;
    }

    /** The most part requests in flight at once, as the server side saw them. */
    public synchronized int peak() {
        return peak;
    }

    /** Part requests still unanswered when each abort came in, in order. */
    public List<Integer> inFlightAtAborts() {
        synchronized (inFlightAtAborts) {
            return List.copyOf(inFlightAtAborts);
        }
    }

    /** Part requests for an upload that had been aborted already. */
    public List<String> partsAfterAbort() {
        synchronized (partsAfterAbort) {
            return List.copyOf(partsAfterAbort);
        }
    }

    /** The parts answered with a fault. */
    public List<Integer> faulted() {
        synchronized (faulted) {
            return List.copyOf(faulted);
        }
    }
}
