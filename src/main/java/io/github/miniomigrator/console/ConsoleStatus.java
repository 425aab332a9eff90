package io.github.miniomigrator.console;

import io.github.miniomigrator.cluster.Leadership;
import io.github.miniomigrator.cluster.ZooKeeperLeadership;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.PassProgress;
import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.report.PassSummary;
import io.github.miniomigrator.report.ReportIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The console's JSON (GET /observe/status): per mapping its phase and progress, the events, the rate as bytes move, the
 * last failures, the cluster, whether a cutover could start and why not, the last verify, and the controls' state. One
 * snapshot per request, read live; nothing of a secret (settings are named, never their values, save non-secret ones).
 */
final class ConsoleStatus {
    static final int FAILURES_SHOWN = 20;

    private final Settings settings;
    private final RunState run;
    private final Bandwidth bandwidth;
    private final RateSamples rate;
    private final LongSupplier movedBytes;
    private final BooleanSupplier paused;
    private final boolean controlsEnabled;
    private final LastVerify lastVerify;

    ConsoleStatus(Settings settings, RunState run, Bandwidth bandwidth, RateSamples rate, LongSupplier movedBytes, BooleanSupplier paused,
            boolean controlsEnabled) {
        this.settings = settings;
        this.run = run;
        this.bandwidth = bandwidth;
        this.rate = rate;
        this.movedBytes = movedBytes;
        this.paused = paused;
        this.controlsEnabled = controlsEnabled;
        this.lastVerify = new LastVerify(Path.of(settings.get(Setting.REPORT_DIR)));
    }

    /** Reads the bytes moved so far into the rate chart (the console's timer does, every couple of seconds). */
    void sample() {
        rate.read(System.currentTimeMillis(), movedBytes.getAsLong());
    }

    Map<String, Object> snapshot() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("time", Instant.now().toString());
        long bytesPerSecond = rate.recent(30_000);
        json.put("mappings", mappings(bytesPerSecond));
        json.put("events", events());
        json.put("rate", rate(bytesPerSecond));
        json.put("failures", failures());
        json.put("cluster", cluster());
        json.put("cutover", cutover());
        json.put("verify", lastVerify.read());
        json.put("controls", controls());
        return json;
    }

    private List<Map<String, Object>> mappings(long bytesPerSecond) {
        CopyPass current = run.currentPass();
        SyncStatus status = run.status();
        List<Map<String, Object>> out = new ArrayList<>();
        for (BucketMapping mapping : run.mappings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mapping", mapping.toString());
            m.put("source", mapping.sourceBucket());
            m.put("target", mapping.targetBucket() + (mapping.targetPrefix().isEmpty() ? "" : "/" + mapping.targetPrefix()));
            boolean running = current != null && current.mapping().equals(mapping) && current.finished() == null;
            PassSummary last = run.lastPass(mapping);
            m.put("phase", phase(running, last, status));
            if (running) {
                m.put("pass", pass(run.currentPassKind(), current.stats(), bytesPerSecond));
            }
            if (last != null) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("result", last.result());
                l.put("seconds", last.seconds());
                l.put("sourceObjects", last.sourceObjects());
                l.put("sourceBytes", last.sourceBytes());
                l.put("copied", last.copiedObjects());
                l.put("copiedBytes", last.copiedBytes());
                l.put("identical", last.identicalObjects());
                l.put("deleted", last.deletedObjects());
                l.put("failed", last.failedObjects());
                l.put("passError", last.passError());
                m.put("lastPass", l);
            }
            out.add(m);
        }
        return out;
    }

    /** full-pass | catch-up-pass | waiting (for its first pass) | syncing | drained | cut-over | fallback-pass | fallback. */
    private String phase(boolean running, PassSummary last, SyncStatus status) {
        if (run.fallback()) {
            return running ? "fallback-pass" : "fallback";
        }
        if (run.switchedOver()) {
            return "cut-over";
        }
        if (running) {
            return "catch-up".equals(run.currentPassKind()) ? "catch-up-pass" : "full-pass";
        }
        if (status == null || !status.isFullPassDone() && last == null) {
            return "waiting";
        }
        return status.isDrained() ? "drained" : "syncing";
    }

    private static Map<String, Object> pass(String kind, PassStats s, long bytesPerSecond) {
        PassProgress p = PassProgress.of(s, bytesPerSecond);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind == null ? "full" : kind);
        m.put("listingComplete", p.listingComplete());
        m.put("listedObjects", p.listedObjects());
        m.put("listedBytes", p.listedBytes());
        m.put("doneObjects", p.doneObjects());
        m.put("doneBytes", p.doneBytes());
        m.put("leftObjects", p.listingComplete() ? p.listedObjects() - p.doneObjects() : null);
        m.put("leftBytes", p.listingComplete() ? p.listedBytes() - p.doneBytes() : null);
        m.put("percent", p.percent() < 0 ? null : Math.round(p.percent() * 10) / 10.0);
        m.put("etaSeconds", p.etaSeconds() < 0 ? null : Math.round(p.etaSeconds()));
        m.put("copied", s.copiedObjects.sum());
        m.put("copiedBytes", s.copiedBytes.sum());
        m.put("identical", s.identicalObjects.sum());
        m.put("failed", s.failedObjects.sum());
        m.put("inFlightBytes", s.inFlightBytes());
        return m;
    }

    private Map<String, Object> events() {
        SyncStatus s = run.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", run.eventsMode());
        if (s == null) {
            return m;
        }
        m.put("connected", s.isConnected());
        m.put("received", s.getEventsReceived());
        m.put("applied", s.getEventsApplied());
        m.put("ignored", s.getEventsIgnored());
        m.put("refused", s.getDeliveriesRefused());
        m.put("pending", s.getPending());
        m.put("owed", s.getKeysOwed());
        m.put("lagSeconds", Math.round(s.getLagSeconds() * 10) / 10.0);
        m.put("deletesHeld", s.getDeletesHeld());
        m.put("deleteBrake", s.isDeleteBrakeEngaged());
        m.put("unread", s.getUnreadEvents());
        m.put("fullPassDone", s.isFullPassDone());
        m.put("drained", s.isDrained());
        m.put("notDrainedBecause", s.notDrainedBecause(null));
        m.put("lastEventTime", s.getLastEventTime());
        return m;
    }

    private Map<String, Object> rate(long bytesPerSecond) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytesPerSecond", bytesPerSecond);
        m.put("movedBytes", movedBytes.getAsLong());
        List<long[]> points = new ArrayList<>();
        for (RateSamples.Point p : rate.points()) {
            points.add(new long[] {p.time(), p.bytesPerSecond()});
        }
        m.put("points", points);
        return m;
    }

    private Map<String, Object> failures() {
        List<String> all = run.failures();
        SyncStatus s = run.status();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", all.size());
        List<Map<String, String>> last = new ArrayList<>();
        for (String line : all.subList(Math.max(0, all.size() - FAILURES_SHOWN), all.size())) {
            int colon = line.indexOf(": ");
            Map<String, String> f = new LinkedHashMap<>();
            f.put("key", colon < 0 ? line : line.substring(0, colon));
            f.put("reason", colon < 0 ? "" : line.substring(colon + 2));
            last.add(f);
        }
        m.put("last", last);
        m.put("syncFailures", s == null ? 0 : s.getSyncFailures());
        String report = run.lastReport();
        m.put("report", report == null ? null : Reports.PATH + "/" + report.replaceAll("\\.json$", ".html"));
        m.put("reports", Reports.PATH + "/" + ReportIndex.FILE);
        return m;
    }

    private Map<String, Object> cluster() {
        Leadership leadership = run.leadership();
        Map<String, Object> m = new LinkedHashMap<>();
        boolean several = leadership instanceof ZooKeeperLeadership;
        m.put("enabled", several);
        m.put("leads", leadership != null && leadership.leads());
        if (leadership instanceof ZooKeeperLeadership member) {
            m.put("id", member.id());
            m.put("leader", member.leaderId().orElse(null));
            m.put("members", member.memberIds());
            m.put("notDrained", member.notDrained());
        }
        return m;
    }

    Map<String, Object> cutover() {
        Map<String, Object> m = new LinkedHashMap<>();
        String plan = settings.get(Setting.CUTOVER_PLAN);
        List<Map<String, Object>> why = new ArrayList<>();
        if (plan.isEmpty()) {
            why.add(reason("console.cutover.why.no-plan", "no plan: set " + Setting.CUTOVER_PLAN.key()));
        }
        if (settings.get(Setting.CUTOVER_ZOOKEEPER).isEmpty()) {
            why.add(reason("console.cutover.why.no-zookeeper", "no ZooKeeper: set " + Setting.CUTOVER_ZOOKEEPER.key()));
        }
        Leadership leadership = run.leadership();
        if (leadership != null && !leadership.leads()) {
            why.add(reason("console.cutover.why.follower", "this instance does not lead (" + leadership.describe()
                    + "): the leader's console starts the cutover", leadership.describe()));
        }
        if (run.switchedOver() || run.fallback()) {
            why.add(reason("console.cutover.why.switched", "cut over already"));
        }
        // what keeps the sync from being drained comes as the drain words it, in English
        run.cutoverNotReady().forEach(text -> why.add(reason(null, text)));
        m.put("plan", plan.isEmpty() ? null : Optional.ofNullable(Path.of(plan).getFileName()).map(Path::toString).orElse(plan));
        m.put("ready", why.isEmpty() && !run.cutoverRunning());
        m.put("why", why);
        m.put("running", run.cutoverRunning());
        m.put("lastResult", run.cutoverLastResult());
        m.put("switched", run.switchedOver() || run.fallback());
        m.put("stopCommand", !settings.get(Setting.CUTOVER_STOP_COMMAND).isEmpty());
        m.put("startCommand", !settings.get(Setting.CUTOVER_START_COMMAND).isEmpty());
        return m;
    }

    /** One reason the cutover cannot start: its text, and the catalogue's key (console.KEY) for the page's own words. */
    private static Map<String, Object> reason(String key, String text, Object... arguments) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        if (key != null) {
            m.put("key", key);
            m.put("args", List.of(arguments));
        }
        return m;
    }

    private Map<String, Object> controls() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", controlsEnabled);
        if (!controlsEnabled) {
            m.put("why", "set " + Setting.HTTP_TOKEN.key() + " (or " + Setting.HTTP_USERNAME.key() + " and " + Setting.HTTP_PASSWORD.key()
                    + ") to use the controls");
        }
        m.put("paused", paused.getAsBoolean());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("setting", settings.get(Setting.BANDWIDTH));
        b.put("override", bandwidth.overridden() < 0 ? null : bandwidth.overridden());
        b.put("nowBytesPerSecond", bandwidth.limitNow());
        m.put("bandwidth", b);
        return m;
    }
}
