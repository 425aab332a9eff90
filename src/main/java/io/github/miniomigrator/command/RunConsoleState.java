package io.github.miniomigrator.command;

import io.github.miniomigrator.cluster.Leadership;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.console.RunState;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.report.PassSummary;
import java.util.List;

/** A running {@link RunCommand} as its console reads it. */
final class RunConsoleState implements RunState {
    private final RunCommand run;

    RunConsoleState(RunCommand run) {
        this.run = run;
    }

    @Override
    public List<BucketMapping> mappings() {
        return run.mappings();
    }

    @Override
    public CopyPass currentPass() {
        return run.currentPass();
    }

    @Override
    public String currentPassKind() {
        return run.passKind();
    }

    @Override
    public PassSummary lastPass(BucketMapping mapping) {
        return run.lastPass(mapping);
    }

    @Override
    public List<String> failures() {
        return run.failures();
    }

    @Override
    public String lastReport() {
        return run.lastReport();
    }

    @Override
    public SyncStatus status() {
        return run.status();
    }

    @Override
    public String eventsMode() {
        return run.mode();
    }

    @Override
    public Leadership leadership() {
        return run.leadership();
    }

    @Override
    public boolean fallback() {
        return run.turnedRound();
    }

    @Override
    public boolean switchedOver() {
        return run.switchedOver();
    }

    @Override
    public List<String> cutoverNotReady() {
        SyncStatus status = run.status();
        Leadership leadership = run.leadership();
        return status == null ? List.of("the run is starting") : CutoverCommand.notDrained(status, leadership == null ? Leadership.alone() : leadership);
    }

    @Override
    public int cutoverLastResult() {
        CutoverInRun cutover = run.cutover();
        return cutover == null ? -1 : cutover.lastResult();
    }

    @Override
    public boolean cutoverRunning() {
        CutoverInRun cutover = run.cutover();
        return cutover != null && cutover.running();
    }
}
