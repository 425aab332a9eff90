package io.github.miniomigrator;

import io.github.miniomigrator.cluster.HeldShards;
import io.github.miniomigrator.cluster.ZooKeeperLeadership;
import io.github.miniomigrator.command.CutoverInRun;
import io.github.miniomigrator.config.BucketDomains;
import io.github.miniomigrator.config.HttpAddress;
import io.github.miniomigrator.config.KeyFilter;
import io.github.miniomigrator.config.KafkaClientProperties;
import io.github.miniomigrator.config.PayloadSigning;
import io.github.miniomigrator.config.RequestRate;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.config.SourceClientFactory;
import io.github.miniomigrator.config.StorageClass;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.config.TargetClientFactory;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.cutover.ForwardGate;
import io.github.miniomigrator.copy.BufferPool;
import io.github.miniomigrator.copy.CopyDecision;
import io.github.miniomigrator.copy.ExtraObjectRemover;
import io.github.miniomigrator.copy.KeyLocks;
import io.github.miniomigrator.copy.MetadataMapper;
import io.github.miniomigrator.copy.ObjectCopier;
import io.github.miniomigrator.copy.PassPlanner;
import io.github.miniomigrator.copy.SettlingJoin;
import io.github.miniomigrator.copy.TransferSlots;
import io.github.miniomigrator.copy.WriteRecheck;
import io.github.miniomigrator.events.EventIntake;
import io.github.miniomigrator.events.EventFailureFile;
import io.github.miniomigrator.events.KeySync;
import io.github.miniomigrator.events.ObjectChange;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.WebhookReceiver;
import io.github.miniomigrator.events.kafka.ConvergingConsumers;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.events.kafka.KafkaEventReceiver;
import io.github.miniomigrator.observe.GuardedHttpServerFactory;
import io.github.miniomigrator.observe.MigrationHealthChecks;
import io.github.miniomigrator.observe.ObserveCredentials;
import io.github.miniomigrator.observe.MigrationMetrics;
import io.github.miniomigrator.observe.PassHistory;
import io.github.miniomigrator.store.Retry;
import io.github.miniomigrator.store.MinioSourceStore;
import io.github.miniomigrator.store.S3SourceStore;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.TargetEtags;
import io.github.miniomigrator.store.TargetStore;
import io.github.miniomigrator.store.UploadJournal;
import io.github.miniomigrator.verify.SampleChecker;
import io.github.miniomigrator.verify.Verifier;
import io.minio.MinioClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The running camel-main application: the routes from routes/*.yaml (the jar's copies when that folder is absent),
 * the settings as properties, and the beans the routes call.
 */
public final class MigrationRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationRuntime.class);
    static final String ROUTES_DIR = "routes";
    /** Where `run` serves health and metrics (camel.management.path): /observe/health, /observe/metrics. */
    static final String OBSERVE_PATH = "/observe";

    private final Main main;
    private final Settings settings;
    private final PassHistory passHistory = new PassHistory();
    private final Bandwidth bandwidth;
    private final ThreadPoolExecutor transferThreads;
    /** The one bound on transfers in flight: passes, event syncs and deletes share it. */
    private final TransferSlots transferSlots;
    /** Built on a thread of its own while Camel starts (the SDK takes a few hundred milliseconds to load). */
    private final java.util.concurrent.CompletableFuture<S3Client> targetClient;
    private final UploadJournal uploadJournal;
    private final TargetStore targetStore;
    /** Every write to the target passes it; a cutover shuts it, and so does closing the runtime. */
    private final ForwardGate forwardGate = new ForwardGate();
    private ProducerTemplate producer;
    private SourceStore sourceStore;
    /** The source's client when the source is not MinIO (else null: camel-minio's client bean reads it). */
    private S3Client sourceS3Client;
    private SettlingJoin settlingJoin;

    /** The beans only `run` needs: what the event routes feed; partitions only in kafka mode (else null). */
    public record Events(SyncStatus status, EventIntake intake, CutoverInRun cutover, HeldPartitions partitions) {
        public Events(SyncStatus status, EventIntake intake, CutoverInRun cutover) {
            this(status, intake, cutover, null);
        }
    }

    private MigrationRuntime(Settings settings, Events events) {
        this.main = new Main();
        this.settings = settings;
        Properties properties = new Properties();
        // Kafka's passed-through settings (secrets among them) go to its client alone, never into Camel's properties
        settings.all().forEach((key, value) -> {
            if (!KafkaClientProperties.isProperty(key)) {
                properties.put(key, value);
            }
        });
        // route preconditions: the event routes exist only in `run`, the broker route only when a URI is set
        properties.put("minio-migrator.events-enabled", String.valueOf(events != null));
        properties.put("minio-migrator.webhook-enabled",
                String.valueOf(events != null && settings.get(Setting.EVENTS_MODE).equalsIgnoreCase("webhook")));
        properties.put("minio-migrator.events-uri-enabled", String.valueOf(events != null && !settings.get(Setting.EVENTS_URI).isEmpty()));
        io.github.miniomigrator.hooks.Hook.addProperties(settings, properties);
        boolean kafka = events != null && events.partitions() != null;
        properties.put("minio-migrator.kafka-enabled", String.valueOf(kafka));
        if (kafka) {
            for (Setting setting : List.of(Setting.KAFKA_BROKERS, Setting.KAFKA_TOPIC, Setting.KAFKA_GROUP)) {
                properties.put(setting.key(), settings.required(setting));
            }
        }
        if (events != null) {
            // one HTTP port for `run`: the webhook, /observe/health and /observe/metrics, on migration.http.host only
            HttpAddress address = HttpAddress.of(settings);
            properties.put("camel.server.enabled", "true");
            properties.put("camel.server.host", address.host());
            properties.put("camel.server.port", String.valueOf(address.port()));
            properties.put("camel.management.enabled", "true");
            properties.put("camel.management.host", address.host());
            properties.put("camel.management.port", String.valueOf(address.port()));
            // the path the guard covers: fixed, so that no camel.* property can move health and metrics from behind it
            properties.put("camel.management.path", OBSERVE_PATH);
            ObserveCredentials.of(settings).ifPresentOrElse(credentials -> {
                main.bind("guardedHttpServerFactory", new GuardedHttpServerFactory(credentials, OBSERVE_PATH));
                LOG.info("{}/health and {}/metrics on {} answer requests with {}", OBSERVE_PATH, OBSERVE_PATH, address, credentials.describe());
            }, () -> LOG.info("{}/health and {}/metrics on {} need no credentials (set {}, or {} and {}, to require them)", OBSERVE_PATH,
                    OBSERVE_PATH, address, Setting.HTTP_TOKEN.key(), Setting.HTTP_USERNAME.key(), Setting.HTTP_PASSWORD.key()));
            properties.put("camel.management.healthCheckEnabled", "true");
            properties.put("camel.management.metricsEnabled", "true");
            properties.put("camel.metrics.enabled", "true");
            // its per-endpoint meters change tag keys between events, and Prometheus warns on every run; the routes' own
            // timers and the tool's counters stay
            properties.put("camel.metrics.enableExchangeEventNotifier", "false");
            properties.put("camel.health.enabled", "true");
            properties.put("camel.health.exposureLevel", "full");
            // MinIO's event bodies are kilobytes: a larger POST is refused before anyone reads it into memory
            properties.put("camel.server.maxBodySize", String.valueOf(4L << 20));
            properties.put("camel.server.fileUploadEnabled", "false");
        }
        main.setOverrideProperties(properties);
        Path routesDir = Path.of(settings.get(Setting.ROUTES_DIR));
        main.configure().withRoutesIncludePattern(routesPattern(routesDir));
        main.configure().addRoutesBuilder(new QuietErrorHandler());
        if (settings.flag(Setting.ROUTES_RELOAD) && Files.isDirectory(routesDir)) {
            main.configure().withRoutesReloadEnabled(true).withRoutesReloadDirectory(routesDir.toString())
                    .withRoutesReloadPattern("*.yaml").withRoutesReloadRestartDuration(true);
            LOG.info("routes in {} are reloaded when saved", routesDir.toAbsolutePath());
        }

        int concurrency = settings.concurrency();
        int listingConcurrency = settings.listingConcurrency();
        int partConcurrency = settings.multipartConcurrency();
        PassPlanner.Split listingSplit = PassPlanner.Split.parse(settings.get(Setting.LISTING_SPLIT));
        KeyFilter scope = KeyFilter.of(settings);
        long threshold = settings.bytes(Setting.MULTIPART_THRESHOLD);
        long partSize = settings.bytes(Setting.PART_SIZE);
        if (partSize < 5L << 20 || partSize > 1L << 30) {
            throw new SettingsException(Setting.PART_SIZE.key() + "=" + settings.get(Setting.PART_SIZE)
                    + " is out of range: parts are at least 5MiB (OSS, OBS and S3 refuse smaller) and at most 1GiB here.");
        }
        if (threshold < 0 || threshold > 1L << 30) {
            throw new SettingsException(Setting.MULTIPART_THRESHOLD.key() + "=" + settings.get(Setting.MULTIPART_THRESHOLD)
                    + " is out of range: from 0 to 1GiB.");
        }
        long budget = bufferBudget(settings, partSize);
        Retry retry = new Retry((int) settings.number(Setting.RETRIES, 0, 100), 500);
        bandwidth = Bandwidth.parse(settings.get(Setting.BANDWIDTH), java.time.Clock.systemDefaultZone());
        if (!bandwidth.unlimited()) {
            LOG.info("bandwidth timetable: {}", bandwidth.describe());
        }
        for (StoreSide side : StoreSide.values()) {
            RequestRate.of(settings, side).ifPresent(rate -> LOG.info("requests to the {} are limited to {} ({})", side.word(),
                    rate.describe(), RequestRate.setting(side).key()));
        }
        boolean remove = settings.flag(Setting.REMOVE);
        long maxDelete = settings.number(Setting.MAX_DELETE, -1, Long.MAX_VALUE);
        boolean recheckWrites = WriteRecheck.wanted(settings);
        if (recheckWrites) {
            LOG.info("writes are looked after, as other instances may write the same keys ({}={}): a pass lists what it wrote once more "
                    + "after its copies (a settling join), an event's sync or a delete looks its key up in the source again (a HEAD); "
                    + "a key is written again while the source changed meanwhile", Setting.RECHECK_AFTER_WRITE.key(),
                    settings.get(Setting.RECHECK_AFTER_WRITE));
        }

        // the two SDKs take a few hundred milliseconds each to load: the target's client is built on a thread of its own,
        // while the source's is built and Camel starts, and waited for at the end of start() (or at its first request)
        PayloadSigning signing = new PayloadSigning();
        BucketDomains domains = BucketDomains.of(settings);
        domains.note().ifPresent(LOG::info);
        io.github.miniomigrator.config.TargetProxy.of(settings).ifPresent(proxy -> LOG.info("the target is reached through the proxy {} ({})",
                proxy, Setting.TARGET_PROXY.key()));
        io.github.miniomigrator.config.TargetProxy.of(settings, io.github.miniomigrator.config.StoreSide.SOURCE).ifPresent(proxy -> LOG.info(
                "the source is reached through the proxy {} ({})", proxy, Setting.SOURCE_PROXY.key()));
        StorageClass storageClass = StorageClass.parse(settings.provider(),
                settings.get(Setting.TARGET_STORAGE_CLASS));
        this.targetClient = java.util.concurrent.CompletableFuture.supplyAsync(() -> TargetClientFactory.create(settings, signing, domains, forwardGate),
                runnable -> daemon("target-client", runnable).start());
        // every source's objects are read (GET, HEAD) through the AWS SDK; a MinIO source is listed through camel-minio,
        // whose client also serves MinIO's listen API
        boolean minioSource = settings.sourceProvider() == io.github.miniomigrator.config.Provider.MINIO;
        MinioClient sourceClient = null;
        try {
            if (minioSource) {
                sourceClient = SourceClientFactory.create(settings);
            } else {
                io.github.miniomigrator.config.BucketDomains.of(settings, io.github.miniomigrator.config.StoreSide.SOURCE).note()
                        .ifPresent(LOG::info);
            }
            this.sourceS3Client = SourceClientFactory.createS3(settings);
            this.uploadJournal = UploadJournal.open(Path.of(settings.get(Setting.STATE_DIR)));
        } catch (RuntimeException e) {
            targetClient.thenAccept(S3Client::close);
            if (sourceS3Client != null) {
                sourceS3Client.close();
            }
            throw e;
        }
        this.targetStore = new TargetStore(this::targetClient, retry, signing, storageClass,
                TargetEtags.load(Path.of(settings.get(Setting.STATE_DIR)), settings.get(Setting.TARGET_ENDPOINT)), uploadJournal);
        this.transferThreads = transferThreads(concurrency);
        this.transferSlots = new TransferSlots(concurrency);
        TransferSlots slots = transferSlots;
        if (sourceClient != null) {
            main.bind("sourceMinioClient", sourceClient);
        }
        main.bind("transferThreads", transferThreads);
        main.bind("hookMessages", new io.github.miniomigrator.hooks.HookMessages(new SecretMask(settings.secretValues())));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                CamelContext context = support.getCamelContext();
                // looked up when the delete route first runs; a lookup while the client is still being built waits for it
                context.getRegistry().bind("targetS3Client", S3Client.class, () -> targetClient());
                producer = context.createProducerTemplate();
                S3Client sourceS3 = sourceS3Client;
                S3SourceStore objectReads = new S3SourceStore(() -> sourceS3, retry);
                sourceStore = minioSource ? new MinioSourceStore(producer, retry, objectReads) : objectReads;
                BufferPool buffers = new BufferPool(budget, (int) partSize);
                KeyLocks locks = new KeyLocks(4096);
                CopyDecision decision = new CopyDecision(sourceStore, targetStore, remove);
                WriteRecheck recheck = new WriteRecheck(recheckWrites, sourceStore::head,
                        (mapping, key) -> slots.holding(() -> ExtraObjectRemover.deleteTarget(producer, retry, mapping, key)), remove,
                        events == null ? (bucket, key) -> { } : (bucket, key) -> events.intake().accept(new ObjectChange(bucket, key)));
                context.getRegistry().bind("passPlanner", new PassPlanner(sourceStore, targetStore, listingSplit, listingConcurrency, scope));
                context.getRegistry().bind("copyDecision", decision);
                context.getRegistry().bind("objectCopier", new ObjectCopier(sourceStore, targetStore, new MetadataMapper(settings.provider()), buffers, retry,
                        threshold, (int) partSize, locks, bandwidth, recheck, slots, partConcurrency));
                ExtraObjectRemover remover = new ExtraObjectRemover(producer, sourceStore, remove, maxDelete, locks, retry, recheck,
                        events == null ? () -> false : events.status()::holdsDeletes, slots);
                context.getRegistry().bind("extraObjectRemover", remover);
                context.getRegistry().bind("objectDeleter", new io.github.miniomigrator.copy.ObjectDeleter(targetStore));
                settlingJoin = new SettlingJoin(recheckWrites, remover);
                context.getRegistry().bind("sampleChecker", new SampleChecker(sourceStore, targetStore,
                        sampleSetting(settings)));
                context.getRegistry().bind("verifier", new Verifier(sourceStore, targetStore,
                        context.getRegistry().lookupByNameAndType("sampleChecker", SampleChecker.class)));
                if (events != null) {
                    context.getRegistry().bind("keySync", new KeySync(producer, retry, sourceStore, decision, locks, recheck, remove, events.status(),
                            settings.mappings(), new EventFailureFile(Path.of(settings.get(Setting.REPORT_DIR))), slots));
                    context.getRegistry().bind("webhookReceiver", new WebhookReceiver(settings.get(Setting.WEBHOOK_TOKEN),
                            settings.get(Setting.WEBHOOK_PATH_SECRET), events.intake()));
                    context.getRegistry().bind("eventIntake", events.intake());
                    context.getRegistry().bind("cutoverInRun", events.cutover());
                    if (events.partitions() != null) {
                        context.getRegistry().bind("convergingConsumers",
                                new ConvergingConsumers(events.partitions(), KafkaClientProperties.of(settings)));
                        context.getRegistry().bind("kafkaEventReceiver", new KafkaEventReceiver(events.partitions(), events.intake()));
                    }
                }
            }
        });
    }

    public static MigrationRuntime start(Settings settings) throws Exception {
        return start(settings, null);
    }

    public static MigrationRuntime start(Settings settings, Events events) throws Exception {
        return start(settings, events, runtime -> { });
    }

    /**
     * @param whileCamelStarts work that needs the target and not Camel (the target's preflight checks): it runs on a
     *        thread of its own while Camel starts, and start returns once both are done; its failure is start's (and
     *        everything started is stopped again), as is a failure to build the target's client
     */
    public static MigrationRuntime start(Settings settings, Events events, java.util.function.Consumer<MigrationRuntime> whileCamelStarts)
            throws Exception {
        MigrationRuntime runtime = new MigrationRuntime(settings, events);
        java.util.concurrent.CompletableFuture<Void> alongside = java.util.concurrent.CompletableFuture.runAsync(
                () -> whileCamelStarts.accept(runtime), runnable -> daemon("preflight-target", runnable).start());
        try {
            if (events != null) {
                events.cutover().attach(runtime);
            }
            runtime.main.start();
            runtime.targetClient();
            joined(alongside);
            if (events != null) {
                runtime.observe(events);
            }
            return runtime;
        } catch (Exception | Error e) {
            // Camel did not start: the work beside it ends first (a canary it wrote is deleted before anything closes)
            alongside.handle((done, failure) -> null).join();
            runtime.close();
            throw e;
        }
    }

    /** The target's client, waiting while it is being built; a failure to build it is thrown as it was. */
    private S3Client targetClient() {
        return joined(targetClient);
    }

    private static <T> T joined(java.util.concurrent.CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    private static Thread daemon(String name, Runnable runnable) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    /** migration.bandwidth as in force, and the console's operator override of it. */
    public Bandwidth bandwidth() {
        return bandwidth;
    }

    /** Every pass of this process, for the metrics. */
    public PassHistory passHistory() {
        return passHistory;
    }

    public Settings settings() {
        return settings;
    }

    public ProducerTemplate producer() {
        return producer;
    }

    public SourceStore sourceStore() {
        return sourceStore;
    }

    public TargetStore targetStore() {
        return targetStore;
    }

    /** What looks after a pass's writes once its copies have landed (nothing where writes are not looked after). */
    public SettlingJoin settlingJoin() {
        return settlingJoin;
    }

    /** The bound on object transfers in flight in this process (migration.concurrency). */
    public TransferSlots transferSlots() {
        return transferSlots;
    }

    /** The multipart uploads started and not finished, this run's and (when this process owns the state folder) earlier runs'. */
    public UploadJournal uploadJournal() {
        return uploadJournal;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** The door every write to the target passes: a cutover shuts it before its final verify. */
    public ForwardGate forwardGate() {
        return forwardGate;
    }

    /** Health checks and metrics for `run`, once Camel (and its Micrometer registry) is up. */
    private void observe(Events events) {
        CamelContext context = main.getCamelContext();
        MigrationHealthChecks.register(context, sourceStore, targetStore, settings.mappings(), events.status(),
                java.time.Duration.ofMinutes(15));
        if (events.partitions() != null) {
            MigrationHealthChecks.registerKafka(context, events.partitions(), settings.get(Setting.KAFKA_GROUP));
        }
        io.micrometer.core.instrument.MeterRegistry registry = context.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
        if (registry != null) {
            MigrationMetrics.bind(registry, passHistory, events.status());
            MigrationMetrics.bindTransfers(registry, transferSlots);
            if (events.partitions() != null) {
                MigrationMetrics.bindKafka(registry, events.partitions());
            }
        } else {
            LOG.warn("no Micrometer registry: /observe/metrics shows Camel's own metrics only");
        }
        KeySync sync = context.getRegistry().lookupByNameAndType("keySync", KeySync.class);
        if (sync != null) {
            sync.passes().forEach(pass -> passHistory.add(pass.stats()));
        }
    }

    /** With several instances: the leadership and the shards held in /observe/health (migration-cluster) and /observe/metrics. */
    public void observe(ZooKeeperLeadership leadership, HeldShards shards) {
        CamelContext context = main.getCamelContext();
        MigrationHealthChecks.registerCluster(context, leadership, shards);
        io.micrometer.core.instrument.MeterRegistry registry = context.getRegistry().findSingleByType(io.micrometer.core.instrument.MeterRegistry.class);
        if (registry != null) {
            MigrationMetrics.bindCluster(registry, leadership, shards);
        }
    }

    /**
     * Routes are edited in routes/ next to where the tool runs; the jar carries the same files for when that folder is
     * absent. A folder's files that drifted from this release's copies are named in the log ({@link RouteDrift}).
     */
    static String routesPattern(Path routesDir) {
        if (Files.isDirectory(routesDir)) {
            LOG.debug("loading routes from {}/", routesDir.toAbsolutePath());
            RouteDrift.check(routesDir);
            return "file:" + routesDir + "/*.yaml";
        }
        return "classpath:" + ROUTES_DIR + "/*.yaml";
    }

    private static String sampleSetting(Settings settings) {
        String value = settings.get(Setting.VERIFY_SAMPLE).trim();
        if (value.equalsIgnoreCase("all")) {
            return "all";
        }
        return String.valueOf(settings.number(Setting.VERIFY_SAMPLE, 0, 1_000_000));
    }

    private static long bufferBudget(Settings settings, long largestBuffer) {
        String value = settings.get(Setting.BUFFER_MEMORY);
        long budget = value.equalsIgnoreCase("auto") ? Runtime.getRuntime().maxMemory() / 4 : settings.bytes(Setting.BUFFER_MEMORY);
        return Math.max(budget, largestBuffer);
    }

    /**
     * The threads a pass (and verify) decides and copies keys on. They do not bound the transfers in flight — the
     * caller runs work too, and event syncs copy on threads of their own — {@link TransferSlots} does.
     */
    private static ThreadPoolExecutor transferThreads(int concurrency) {
        AtomicInteger number = new AtomicInteger();
        // a short queue and caller-runs: the listing is read only as fast as objects are copied
        return new ThreadPoolExecutor(concurrency, concurrency, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(concurrency * 2), r -> {
            Thread thread = new Thread(r, "transfer-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    }

    @Override
    public void close() {
        try {
            main.stop();
        } catch (Exception e) {
            LOG.warn("stopping Camel: {}", e.getMessage());
        }
        transferThreads.shutdownNow();
        // a closed runtime writes nothing more: a copy still running on a transfer thread is refused, one in flight answered
        try {
            if (!forwardGate.shut("this process is stopping", java.time.Duration.ofSeconds(30))) {
                LOG.warn("{} write(s) to the target still unanswered 30 s after the stop; closing the client ends them", forwardGate.inFlight());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // one being built is closed once built; one that failed to build has nothing to close
        targetClient.thenAccept(S3Client::close);
        if (sourceS3Client != null) {
            sourceS3Client.close();
        }
        uploadJournal.close();
    }
}
