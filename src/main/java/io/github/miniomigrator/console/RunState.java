package io.github.miniomigrator.console;

import io.github.miniomigrator.cluster.Leadership;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.report.PassSummary;
import java.util.List;

/** What a running `run` tells its console: the passes, the events, the cluster and the cutover, read live. */
public interface RunState {
    List<BucketMapping> mappings();

    /** The pass under way on this instance (a full or catch-up pass of one mapping, or a shard batch of one); null when none. */
    CopyPass currentPass();

    /** "full" or "catch-up" while a pass is under way; null otherwise. */
    String currentPassKind();

    /** The last finished pass of this mapping in this run; null before one finished. */
    PassSummary lastPass(BucketMapping mapping);

    /** This run's failed keys so far, "key: reason" each, at most 1000. */
    List<String> failures();

    /** The file name (in migration.report.dir) of the last pass's JSON report; null before one. */
    String lastReport();

    SyncStatus status();

    /** migration.events.mode as the run captures events: listen, webhook, kafka or off. */
    String eventsMode();

    /** The run's leadership (alone: it always leads); null before the run has joined its cluster. */
    Leadership leadership();

    /** This run keeps MinIO level with the target after a cutover (the fallback window): its mappings run backwards. */
    boolean fallback();

    /** A cutover of this run's mappings applied: the forward sync has ended. */
    boolean switchedOver();

    /** What stands between now and a cutover (not drained: each instance with why); empty when it could start. */
    List<String> cutoverNotReady();

    /** The last cutover's exit code in this run: 0 done, 1 refused, 2 failed; -1 before any. */
    int cutoverLastResult();

    /** A cutover is under way. */
    boolean cutoverRunning();
}
