package io.github.miniomigrator;

import io.github.miniomigrator.command.AssessCommand;
import io.github.miniomigrator.command.CheckCommand;
import io.github.miniomigrator.command.CopyCommand;
import io.github.miniomigrator.command.CopyDryRun;
import io.github.miniomigrator.command.CutoverCommand;
import io.github.miniomigrator.command.FallbackCommand;
import io.github.miniomigrator.command.RetireCommand;
import io.github.miniomigrator.command.MonitorCommand;
import io.github.miniomigrator.command.RollbackCommand;
import io.github.miniomigrator.command.RunCommand;
import io.github.miniomigrator.command.SmokeTestCommand;
import io.github.miniomigrator.command.VerifyCommand;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.config.SettingsLoader;
import io.github.miniomigrator.config.TlsProvider;
import io.github.miniomigrator.demo.DemoCommand;
import io.github.miniomigrator.i18n.Language;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.logging.SecretMaskingConverter;
import io.github.miniomigrator.store.StoreException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The command line: {@code java -jar minio-migrator.jar <command> [--config FILE] [key=value ...]}. */
public final class MigratorApplication {
    /** Exit code when the tool could not start its work: a setting, a bucket or a connection is wrong. */
    public static final int EXIT_CANNOT_START = 2;

    private static final String SLF4J_PROVIDER = "slf4j.provider";

    /** The thread setting up logging at start (null in a process that did not start through main). */
    private static volatile Thread loggingSetup;

    private MigratorApplication() {
    }

    /**
     * Waits until logging is set up: while log4j configures itself on the setup thread, it answers a logger asked for
     * on another thread with its default configuration, and a warning logged then is lost (from console and file).
     */
    static void awaitLogging() {
        Thread setup = loggingSetup;
        if (setup != null) {
            try {
                setup.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void main(String[] args) {
        // SLF4J names its binding here instead of looking for it in every jar of the class path (~0.1 s of CPU at start)
        if (System.getProperty(SLF4J_PROVIDER) == null) {
            System.setProperty(SLF4J_PROVIDER, "org.apache.logging.slf4j.SLF4JServiceProvider");
            // else SLF4J says on stderr, at every start, that it loads the provider it was told to
            System.setProperty("slf4j.internal.verbosity", System.getProperty("slf4j.internal.verbosity", "WARN"));
        }
        // logging takes a quarter of a second to set up: it is set up beside reading the settings and loading TLS (the
        // first log line waits for it)
        Thread logging = new Thread(() -> org.slf4j.LoggerFactory.getLogger(MigratorApplication.class), "logging-setup");
        logging.setDaemon(true);
        loggingSetup = logging;
        logging.start();
        int code = run(args, System.getenv(), System.out, System.err);
        System.exit(code);
    }

    /** The language of the output: migration.language, else the locale of the environment the tool was started in. */
    static Language language(Settings settings, Map<String, String> environment) {
        try {
            return Language.of(settings.get(io.github.miniomigrator.config.Setting.LANGUAGE), environment, java.util.Locale.getDefault());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(e.getMessage() + ".");
        }
    }

    /**
     * The language before the settings are read, for the usage and the argument errors: a migration.language=…
     * argument, else MIGRATION_LANGUAGE, else the locale; English for a value the settings will refuse later.
     */
    static Language earlyLanguage(String[] args, Map<String, String> environment) {
        String asked = environment.get("MIGRATION_LANGUAGE");
        for (String arg : args) {
            if (arg.startsWith("migration.language=")) {
                asked = arg.substring("migration.language=".length());
            }
        }
        try {
            return Language.of(asked, environment, java.util.Locale.getDefault());
        } catch (IllegalArgumentException e) {
            return Language.EN;
        }
    }

    /** The usage text in the process's language. */
    static String usage() {
        return Messages.text("cli.usage");
    }

    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        Messages.use(earlyLanguage(args, environment));
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(usage());
            return args.length == 0 ? EXIT_CANNOT_START : 0;
        }
        String command = args[0];
        Path config = null;
        Path backup = null;
        boolean force = false;
        boolean dryRun = false;
        List<String> settingArguments = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if ((args[i].equals("--plan") || args[i].equals("--backup")) && i + 1 < args.length) {
                if (args[i].equals("--plan")) {
                    settingArguments.add("migration.cutover.plan=" + args[++i]);
                } else {
                    backup = Path.of(args[++i]);
                }
            } else if (args[i].equals("--force")) {
                force = true;
            } else if (args[i].equals("--dry-run")) {
                if (!command.equals("copy")) {
                    err.println("error: " + Messages.text("cli.app.dry-run-copy-only", command));
                    return EXIT_CANNOT_START;
                }
                dryRun = true;
            } else if (args[i].equals("--config")) {
                if (i + 1 >= args.length) {
                    err.println("error: " + Messages.text("cli.app.config-needs-file"));
                    return EXIT_CANNOT_START;
                }
                config = Path.of(args[++i]);
            } else if (args[i].startsWith("--config=")) {
                config = Path.of(args[i].substring("--config=".length()));
            } else {
                settingArguments.add(args[i]);
            }
        }
        SecretMask mask = new SecretMask(List.of());
        try {
            Settings settings = SettingsLoader.load(config, environment, settingArguments);
            mask = new SecretMask(settings.secretValues());
            SecretMaskingConverter.register(settings.secretValues());
            TlsProvider.install(settings);
            Messages.use(language(settings, environment));
            return switch (command) {
                case "assess" -> AssessCommand.run(settings, out);
                case "check" -> CheckCommand.run(settings, out);
                case "copy" -> dryRun ? CopyDryRun.run(settings, out) : CopyCommand.run(settings, out);
                case "run" -> RunCommand.run(settings, environment, out);
                case "verify" -> VerifyCommand.run(settings, out);
                case "cutover" -> CutoverCommand.run(settings, environment, out);
                case "rollback" -> RollbackCommand.run(settings, backup, force, environment, out);
                case "fallback" -> FallbackCommand.run(settings, environment, out);
                case "retire" -> RetireCommand.run(settings, out);
                case "smoke-test" -> SmokeTestCommand.run(settings, out);
                case "monitor" -> MonitorCommand.run(settings, out);
                case "demo" -> DemoCommand.run(settings, out, true);
                default -> {
                    err.println("error: " + Messages.text("cli.app.unknown-command", command));
                    err.print(usage());
                    yield EXIT_CANNOT_START;
                }
            };
        } catch (SettingsException e) {
            err.println(mask.apply("error: " + e.getMessage()));
            return EXIT_CANNOT_START;
        } catch (Exception e) {
            err.println(mask.apply("error: " + StoreException.describe(e)));
            return EXIT_CANNOT_START;
        }
    }
}
