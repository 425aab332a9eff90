package io.github.miniomigrator.support;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/** Live threads and heap after a full GC, sampled through a long run, and whether they stayed flat. */
public final class JvmSamples {
    /** Threads may float by this many between the first and the last third: pools that grow and shrink with bursts. */
    public static final int THREAD_SLACK = 5;
    /**
     * Heap after a full GC still holds what is in flight at that moment (the 6-12 MiB body being written and its copy,
     * 5 MiB part buffers, S3Proxy's and Jetty's buffers) and caches that fill lazily: some 50-80 MiB live here, the
     * floor moving by a few MiB. A leak grows with time instead: in a 20-minute soak at 4 changes a second the last
     * third starts ~3,000 changes and a few reconnects after the first, so ~11 KiB kept per change, or a few MiB per
     * reconnect, ends over the bound. Hence +50 % or +32 MiB, whichever is larger.
     */
    public static final double HEAP_GROWTH = 1.5;
    public static final long HEAP_SLACK = 32L << 20;

    /** One sample: seconds since the start, live threads, heap used right after a full GC, and what the run said. */
    public record Sample(long seconds, int threads, long heapAfterGc, String note) {
        public String row() {
            return String.format(Locale.ROOT, "%6d %8d %10.1f  %s", seconds, threads, heapAfterGc / (double) (1 << 20), note);
        }
    }

    /**
     * First third against last third of the samples after warm-up, and the bounds they were held to. Threads: the
     * medians. Heap: the floors (lowest sample), since a sample that catches large bodies in flight (the 6-12 MiB
     * writes, 5 MiB part buffers) sits tens of MiB above the others, while a leak lifts every later sample, the lowest too.
     */
    public record Flatness(int samples, int threadsFirst, int threadsLast, long heapFirst, long heapLast, long heapBound) {
        public boolean enoughSamples() {
            return samples >= 3;
        }

        public boolean threadsFlat() {
            return threadsLast <= threadsFirst + THREAD_SLACK;
        }

        public boolean heapFlat() {
            return heapLast <= heapBound;
        }

        public String describe() {
            return String.format(Locale.ROOT, "threads %d -> %d (median of the first vs the last third of %d samples after warm-up; "
                    + "bound +%d), heap after GC %.1f -> %.1f MiB (lowest of each third; bound %.1f MiB)", threadsFirst, threadsLast, samples,
                    THREAD_SLACK, heapFirst / (double) (1 << 20), heapLast / (double) (1 << 20), heapBound / (double) (1 << 20));
        }
    }

    /** The table's head, the note's columns named by the caller. */
    public static String header(String noteTitle) {
        return String.format(Locale.ROOT, "%6s %8s %10s  %s", "t (s)", "threads", "heap MiB", noteTitle);
    }

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();

    public Sample take(long seconds, String note) {
        memory.gc();
        Sample sample = new Sample(seconds, threads.getThreadCount(), memory.getHeapMemoryUsage().getUsed(), note);
        samples.add(sample);
        return sample;
    }

    public Flatness flatness(long warmUpSeconds) {
        List<Sample> judged = samples.stream().filter(s -> s.seconds() >= warmUpSeconds).toList();
        int third = Math.max(1, judged.size() / 3);
        List<Sample> first = judged.subList(0, Math.min(third, judged.size()));
        List<Sample> last = judged.subList(Math.max(0, judged.size() - third), judged.size());
        long heapFirst = lowest(first);
        return new Flatness(judged.size(), medianThreads(first), medianThreads(last), heapFirst, lowest(last),
                Math.max((long) (heapFirst * HEAP_GROWTH), heapFirst + HEAP_SLACK));
    }

    private static long lowest(List<Sample> samples) {
        return samples.stream().mapToLong(Sample::heapAfterGc).min().orElse(0);
    }

    private static int medianThreads(List<Sample> samples) {
        int[] sorted = samples.stream().mapToInt(Sample::threads).sorted().toArray();
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }
}
