package io.github.miniomigrator.cutover;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.github.miniomigrator.hooks.HookPayload;
import io.github.miniomigrator.i18n.Messages;
import java.time.Instant;

/**
 * How a cutover ended, the body the perform-cutover route answers with (routes/perform-cutover.yaml) and what the
 * cutover-finished hook receives: CUT_OVER (the application now uses the target), REFUSED (nothing switched: a guard
 * said no), FAILED (something broke; {@code reason} says whether it switched).
 *
 * @param exitCode the cutover command's exit code: 0, 1 refused, 2 failed
 * @param reason the line that said why (secrets masked); null when cut over
 * @param backup the backup file of the values it changed (rollback --backup …); null unless it wrote one
 * @param targets the mappings' targets the application now writes to; null unless cut over
 * @param thrown what stopped the cutover before its guards ran (a setting, a ZooKeeper that refused): the command
 *     reports it as it reports any such error; never sent
 */
public record CutoverResult(String outcome, int exitCode, String reason, String backup, String targets, String time,
        @JsonIgnore Exception thrown) implements HookPayload {
    public static final String CUT_OVER = "CUT_OVER";
    public static final String REFUSED = "REFUSED";
    public static final String FAILED = "FAILED";
    public static final int EXIT_REFUSED = 1;
    public static final int EXIT_FAILED = 2;

    public static CutoverResult cutOver(String targets, String backup) {
        return new CutoverResult(CUT_OVER, 0, null, backup, targets, Instant.now().toString(), null);
    }

    /** Refused (exit 1) or failed (exit 2), with the line that said why. */
    public static CutoverResult ended(int exitCode, String reason, String backup) {
        return new CutoverResult(exitCode == EXIT_REFUSED ? REFUSED : FAILED, exitCode, reason, backup, null, Instant.now().toString(), null);
    }

    /** Stopped by an error before or outside its guards: failed, the error kept for the command to report. */
    public static CutoverResult thrown(Exception e, String reason) {
        return new CutoverResult(FAILED, EXIT_FAILED, reason, null, null, Instant.now().toString(), e);
    }

    @Override
    public String json() {
        return HookPayload.json(this);
    }

    @Override
    public String line() {
        return switch (outcome) {
            case CUT_OVER -> Messages.text("cli.hook.line.cut-over", targets, backup);
            case REFUSED -> Messages.text("cli.hook.line.cutover-refused", reason);
            default -> Messages.text("cli.hook.line.cutover-failed", reason);
        };
    }
}
