package io.github.miniomigrator.command;

import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.i18n.Messages;

/**
 * One permission checked on one side of a mapping, as `check` prints it: the step, the grant it needs in the store's
 * policy language, and what the store's answer means — ok, MISSING (the answer, and the grant to add), not needed (why),
 * could not tell (why).
 *
 * @param step the step's message key (cli.check.step.*)
 * @param grant the grant, as the store's policies name it
 * @param detail MISSING: the store's answer (HTTP status and code); not needed and could not tell: why
 * @param needs MISSING only: why the migration needs it, as a sentence's tail (may be empty)
 */
record PermissionLine(StoreSide side, String bucket, String step, String grant, Outcome outcome, String detail, String needs) {
    enum Outcome {
        OK, MISSING, NOT_NEEDED, UNKNOWN
    }

    static PermissionLine ok(StoreSide side, String bucket, String step, String grant) {
        return new PermissionLine(side, bucket, step, grant, Outcome.OK, "", "");
    }

    /** Everything needed is there only when no line is MISSING or could not tell. */
    boolean fails() {
        return outcome == Outcome.MISSING || outcome == Outcome.UNKNOWN;
    }

    /** The line in the process's language. */
    String text(String accessKey) {
        String subject = Messages.text("cli.check.subject", sideWord(side), bucket, PermissionProbes.words(step), grant);
        return switch (outcome) {
            case OK -> Messages.text("cli.check.ok", subject);
            case MISSING -> needs.isEmpty() ? Messages.text("cli.check.missing", subject, detail, grant, accessKey, bucket)
                    : Messages.text("cli.check.missing.needs", Messages.text("cli.check.missing", subject, detail, grant, accessKey, bucket), needs);
            case NOT_NEEDED -> Messages.text("cli.check.not-needed", subject, detail);
            case UNKNOWN -> Messages.text("cli.check.unknown", subject, detail);
        };
    }

    /** "source" or "target" in the process's language. */
    static String sideWord(StoreSide side) {
        return side == StoreSide.SOURCE ? Messages.text("cli.check.side.source") : Messages.text("cli.check.side.target");
    }
}
