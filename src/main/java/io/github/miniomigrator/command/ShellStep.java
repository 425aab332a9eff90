package io.github.miniomigrator.command;

import io.github.miniomigrator.SecretMask;
import io.github.miniomigrator.i18n.Messages;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The application's own stop.sh / start.sh, run by the cutover: output shown (secrets masked), exit code checked. */
final class ShellStep {
    private ShellStep() {
    }

    /** @return true when there is no command, or it exited 0 */
    static boolean run(String what, String command, PrintStream out, SecretMask mask) throws Exception {
        if (command == null || command.isBlank()) {
            return true;
        }
        out.println(Messages.text("cli.step.running", what, mask.apply(command)));
        Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            out.println("  " + Messages.text("cli.step.timed-out"));
            return false;
        }
        String text = new String(output, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
            out.println(mask.apply(text.replaceAll("(?m)^", "  | ")));
        }
        out.println("  " + Messages.text("cli.step.exit-code", process.exitValue()));
        return process.exitValue() == 0;
    }
}
