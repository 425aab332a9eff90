package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.cluster.ClusterSettings;
import io.github.miniomigrator.command.Preflight;
import io.github.miniomigrator.config.BucketDomains;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.config.SettingsLoader;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.cutover.CutoverPlan;
import io.github.miniomigrator.observe.ObserveCredentials;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example configurations in examples/ (one per scenario, linked from README's runbook, step 0) load with the real
 * settings loader and pass the settings preflight as written, with their secrets given as environment variables, as
 * their comments say; the cutover plan each names parses. Tests run with the repo root as the working directory.
 */
class ExamplesTest {
    private static final Path EXAMPLES = Path.of("examples");

    private static final Pattern EXPORT = Pattern.compile("^#\\s+export (MIGRATION_[A-Z0-9_]+)=", Pattern.MULTILINE);

    /**
     * The secrets an example leaves to the environment, as an operator would export them: exactly the variables its
     * comments tell to export ({@code #   export MIGRATION_TARGET_SECRET_KEY=...}), each with a made-up value.
     */
    static Map<String, String> environmentOf(Path file) throws Exception {
        Map<String, String> environment = new LinkedHashMap<>();
        Matcher export = EXPORT.matcher(Files.readString(file, StandardCharsets.UTF_8));
        while (export.find()) {
            String name = export.group(1);
            environment.put(name, name.equals("MIGRATION_CUTOVER_AUTH") ? "migrator:zookeeper-digest-password"
                    : "0123456789abcdef" + Integer.toHexString(name.hashCode()) + "-from-the-environment".replace("-", ""));
        }
        return environment;
    }

    private static List<Path> examples() throws Exception {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".properties")).sorted().toList();
        }
    }

    /** What `check` and every command run before any client exists, on the settings as the loader resolves them. */
    private static Settings loadAndCheck(Path file, Map<String, String> environment) {
        Settings settings = SettingsLoader.load(file, environment, List.of());
        Preflight.checkSettings(settings);
        Preflight.checkEventSettings(settings);
        ObserveCredentials.of(settings);
        ClusterSettings.of(settings);
        BucketDomains.of(settings);
        BucketDomains.of(settings, StoreSide.SOURCE);
        Bandwidth.parse(settings.get(Setting.BANDWIDTH), Clock.systemUTC());
        CutoverPlan.layoutName(settings.get(Setting.CUTOVER_LAYOUT));
        return settings;
    }

    @Test
    void everyScenarioHasItsExample() throws Exception {
        List<String> names = examples().stream().map(f -> f.getFileName().toString()).toList();
        assertEquals(List.of("ceph-to-oss.properties", "minio-to-obs.properties", "minio-to-oss-custom-domain.properties",
                "minio-to-oss-internal.properties", "minio-to-s3.properties"), names);
    }

    @Test
    void everyExamplePassesTheSettingsPreflightWithItsSecretsInTheEnvironment() throws Exception {
        for (Path file : examples()) {
            Map<String, String> environment = environmentOf(file);
            assertTrue(environment.containsKey("MIGRATION_SOURCE_SECRET_KEY") && environment.containsKey("MIGRATION_TARGET_SECRET_KEY"),
                    file + " says to export both stores' secret keys");
            Settings settings;
            try {
                settings = loadAndCheck(file, environment);
            } catch (SettingsException e) {
                throw new AssertionError(file + " fails the settings preflight: " + e.getMessage(), e);
            }
            String name = file.getFileName().toString();
            // complete: both stores, the mappings, events, HTTP credentials, reports and the cutover
            for (Setting needed : List.of(Setting.SOURCE_PROVIDER, Setting.SOURCE_ENDPOINT, Setting.SOURCE_ACCESS_KEY,
                    Setting.TARGET_PROVIDER, Setting.TARGET_ENDPOINT, Setting.TARGET_REGION, Setting.TARGET_ACCESS_KEY,
                    Setting.BUCKETS, Setting.EVENTS_MODE, Setting.HTTP_HOST, Setting.REPORT_DIR, Setting.CUTOVER_ZOOKEEPER,
                    Setting.CUTOVER_PLAN, Setting.CUTOVER_STOP_COMMAND, Setting.CUTOVER_START_COMMAND)) {
                assertFalse(settings.get(needed).isEmpty(), name + " sets " + needed.key());
            }
            assertTrue(ObserveCredentials.of(settings).isPresent(), name + ": the console, health and metrics need credentials");
            // the cutover plan it names is in examples/ and parses, its placeholders resolved from settings and environment
            Path plan = Path.of(settings.get(Setting.CUTOVER_PLAN));
            assertTrue(Files.isRegularFile(plan), name + ": its cutover plan " + plan + " exists");
            CutoverPlan parsed = CutoverPlan.read(plan, settings, environment);
            assertTrue(parsed.entries().stream().anyMatch(e -> e.key().equals("storeType")), plan + " switches storeType");
            assertTrue(parsed.entries().stream().filter(e -> e.key().contains("SECRET")).allMatch(CutoverPlan.Entry::secret),
                    plan + ": its secrets are masked");
        }
    }

    /** Secrets never sit in the files: every secret setting is left to its environment variable. */
    @Test
    void noExampleHoldsASecret() throws Exception {
        for (Path file : examples()) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
            for (String key : properties.stringPropertyNames()) {
                Setting.byKey(key).filter(Setting::secret).ifPresent(secret ->
                        assertTrue(properties.getProperty(key).isEmpty(), file + " holds the secret " + key + ": use "
                                + secret.environmentVariable()));
            }
            assertFalse(Files.readString(file).contains("fromtheenvironment"), file + " holds a secret");
        }
    }

    /** A wrong setting name is refused by the loader, so a broken example fails the test above. */
    @Test
    void aMisspeltSettingInAnExampleIsRefused(@TempDir Path dir) throws Exception {
        Path original = EXAMPLES.resolve("minio-to-oss-custom-domain.properties");
        loadAndCheck(original, environmentOf(original)); // as written it passes: what fails below is the misspelling
        List<String> lines = new ArrayList<>(Files.readAllLines(original, StandardCharsets.UTF_8));
        lines.replaceAll(line -> line.startsWith("migration.target.bucket-domains=")
                ? line.replace("migration.target.bucket-domains=", "migration.target.bucket-domain=") : line);
        Path broken = dir.resolve("minio-to-oss-custom-domain.properties");
        Files.write(broken, lines, StandardCharsets.UTF_8);
        assertTrue(Files.readString(broken).contains("migration.target.bucket-domain="), "the copy is broken");
        SettingsException refused = assertThrows(SettingsException.class, () -> loadAndCheck(broken, environmentOf(broken)));
        assertTrue(refused.getMessage().contains("migration.target.bucket-domain"), refused.getMessage());

        // a setting that exists but is left without its secret fails too: the preflight names what is missing
        Map<String, String> withoutSecrets = Map.of();
        assertThrows(SettingsException.class, () -> Preflight.checkSettings(SettingsLoader.load(original, withoutSecrets, List.of())));
    }

    /** README's runbook links every example from step 0. */
    @Test
    void readmeLinksEveryExample() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Path file : examples()) {
            assertTrue(readme.contains("(examples/" + file.getFileName() + ")"), "README links " + file);
        }
    }
}
