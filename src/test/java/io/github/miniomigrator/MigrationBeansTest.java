package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.command.CutoverInRun;
import io.github.miniomigrator.config.KeyFilter;
import io.github.miniomigrator.config.PayloadSigning;
import io.github.miniomigrator.config.Provider;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.StorageClass;
import io.github.miniomigrator.config.TransferSettings;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.copy.TransferSlots;
import io.github.miniomigrator.events.ChangeQueue;
import io.github.miniomigrator.events.EventIntake;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.store.Retry;
import io.github.miniomigrator.store.TargetEtags;
import io.github.miniomigrator.store.TargetStore;
import io.github.miniomigrator.store.UploadJournal;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration class binds, through Camel's own bean post-processor (as camel-main does), every bean the routes
 * name, under that name; `run`'s beans only in `run`, kafka's only in kafka mode. No store is reached.
 */
class MigrationBeansTest {
    private static final Pattern ROUTE_BEAN = Pattern.compile("(?:ref|executorService):\\s*\"?#?(?:bean:)?([A-Za-z][A-Za-z0-9]*)\"?|\"#([A-Za-z][A-Za-z0-9]*)\"");

    @TempDir
    Path dir;
    private final ExecutorService threads = Executors.newSingleThreadExecutor();
    private CamelContext context;

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        if (context != null) {
            context.close();
        }
    }

    private CamelContext bind(MigrationRuntime.Events events, Settings settings) throws Exception {
        TransferSettings transfers = TransferSettings.of(settings);
        Retry retry = new Retry(transfers.retries(), 500);
        TargetStore target = new TargetStore(() -> null, retry, new PayloadSigning(), StorageClass.parse(Provider.OSS, ""),
                TargetEtags.load(dir, "http://target.invalid"), UploadJournal.open(dir));
        MigrationBeans beans = new MigrationBeans(settings, transfers, events, new MigrationBeans.Built(() -> null, null, null, target,
                threads, new TransferSlots(transfers.concurrency()), Bandwidth.parse("off", Clock.systemUTC()), retry,
                new io.github.miniomigrator.cutover.CutoverStep(new io.github.miniomigrator.SecretMask(java.util.List.of()))));
        context = new DefaultCamelContext();
        PluginHelper.getBeanPostProcessor(context).postProcessBeforeInitialization(beans, "migrationBeans");
        return context;
    }

    private Settings settings() {
        return new Settings(Map.of("migration.buckets", "archive-temp:oss-temp", "migration.report.dir", dir.toString(),
                "migration.buffer-memory", "16MiB"));
    }

    private MigrationRuntime.Events events(boolean kafka) {
        SyncStatus status = new SyncStatus(Duration.ofSeconds(30));
        Settings settings = settings();
        EventIntake intake = new EventIntake(settings.mappings(), KeyFilter.of(settings), new ChangeQueue(100, status), status);
        CutoverInRun cutover = new CutoverInRun(settings, Map.of(), new PrintStream(OutputStream.nullOutputStream()), status);
        return new MigrationRuntime.Events(status, intake, cutover::attach, kafka ? new HeldPartitions() : null);
    }

    /** Every bean name routes/*.yaml refers to (ref:, executorService:, "#name"). */
    private static Set<String> routeBeans() throws Exception {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                Matcher m = ROUTE_BEAN.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1) != null ? m.group(1) : m.group(2));
                }
            }
        }
        return names;
    }

    @Test
    void inKafkaModeEveryBeanTheRoutesNameIsBound() throws Exception {
        Set<String> named = routeBeans();
        assertTrue(named.containsAll(Set.of("passPlanner", "objectCopier", "keySync", "transferThreads", "targetS3Client",
                "convergingConsumers")), "the routes' bean names are read: " + named);
        CamelContext bound = bind(events(true), settings());
        for (String name : named) {
            if (!name.equals("sourceMinioClient") && !name.equals("targetS3Client")) { // clients: from the stores, none here
                assertNotNull(bound.getRegistry().lookupByName(name), name + " is bound");
            }
        }
        assertNotNull(bound.getRegistry().lookupByName("sampleChecker"), "verify's sample checker is bound");
    }

    @Test
    void withoutRunTheEventBeansAreNotBoundAndTheSharedPartsAreBuiltOnce() throws Exception {
        CamelContext bound = bind(null, settings());
        for (String name : new String[] {"keySync", "webhookReceiver", "eventIntake", "convergingConsumers", "kafkaEventReceiver",
                "sourceMinioClient"}) {
            assertNull(bound.getRegistry().lookupByName(name), name + " is bound only in run (or for a MinIO source)");
        }
        for (String name : new String[] {"passPlanner", "copyDecision", "objectCopier", "extraObjectRemover", "sampleChecker", "verifier",
                "transferThreads"}) {
            assertNotNull(bound.getRegistry().lookupByName(name), name + " is bound");
        }
        assertSame(threads, bound.getRegistry().lookupByName("transferThreads"));
        assertNotNull(bound.getRegistry().lookupByName("cutover"), "the cutover's step is in every command: it refuses where none is performed");
        assertNotNull(bound.getRegistry().lookupByName("hookMessages"));
    }

    @Test
    void runWithoutKafkaBindsTheEventBeansButNotKafkas() throws Exception {
        MigrationRuntime.Events events = events(false);
        CamelContext bound = bind(events, settings());
        assertSame(events.intake(), bound.getRegistry().lookupByName("eventIntake"));
        assertNotNull(bound.getRegistry().lookupByName("keySync"));
        assertNull(bound.getRegistry().lookupByName("convergingConsumers"));
        assertNull(bound.getRegistry().lookupByName("kafkaEventReceiver"));
        assertEquals(1, bound.getRegistry().findByType(io.github.miniomigrator.copy.ExtraObjectRemover.class).size());
    }
}
