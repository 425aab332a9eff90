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
    static final String USAGE = """
            usage: target/minio-migrator <command> [--config FILE] [key=value ...]   (or java -jar target/minio-migrator.jar ...)
              check     the settings, then each permission the migration needs, asked of each store: one line
                        per permission (ok, MISSING with the grant to add, not needed, could not tell); a canary
                        object and upload on each target bucket, removed again (exit 0 all there, 2 otherwise)
              assess    list only: per bucket count, bytes, size histogram, largest objects, what the
                        target would refuse, an estimated copy time
              copy      [--dry-run] one full pass over every mapping in migration.buckets, then exit
                        (exit 0 every object in place, 1 some failed, 2 could not start); --dry-run:
                        the same pass writing nothing, a report of every key it would copy or delete
              run       capture events, a full pass, then keep the target in sync until stopped
                        (SIGTERM stops it cleanly; a restart catches up by itself)
              verify    compare every mapping, write nothing
                        (exit 0 identical, 1 differences, 2 could not compare)
              cutover   [--plan FILE] stop the app (optional), drain, verify, write the plan to ZooKeeper
                        in one transaction (backup kept), start the app (optional)
              fallback  after a cutover: one pass bringing MinIO level with the target (run does it every
                        migration.fallback.interval after a cutover)
              rollback  --backup FILE [--force]: stop the app, bring MinIO level with the target, restore the
                        ZooKeeper values the cutover changed, start the app, smoke-test MinIO
              retire    end the fallback window: a last fallback pass and verify, a report kept; MinIO is
                        no longer kept level
              smoke-test  read random old objects from each target and compare with the source; upload,
                        read back and delete a canary (exit 0 passed, 1 failed)
              monitor   record each target's object count and bytes every migration.monitor.interval
              demo      the whole runbook on embedded servers: a MinIO-like source, an OSS-like target, ZooKeeper
              help      this text
            Settings: application.properties (or --config FILE), then environment variables
            (MIGRATION_SOURCE_SECRET_KEY for migration.source.secret-key), then key=value arguments.
            """;

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

    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            out.print(USAGE);
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
                    err.println("error: --dry-run is a flag of copy only (copy --dry-run: the pass it would make, nothing written); "
                            + "'" + command + "' does not take it.");
                    return EXIT_CANNOT_START;
                }
                dryRun = true;
            } else if (args[i].equals("--config")) {
                if (i + 1 >= args.length) {
                    err.println("error: --config needs a file: --config FILE");
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
                    err.println("error: unknown command '" + command + "'.");
                    err.print(USAGE);
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
