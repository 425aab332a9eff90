package io.github.miniomigrator;

import io.github.miniomigrator.cluster.HeldShards;
import io.github.miniomigrator.cluster.ZooKeeperLeadership;
import io.github.miniomigrator.config.BucketDomains;
import io.github.miniomigrator.config.CamelProperties;
import io.github.miniomigrator.config.HttpAddress;
import io.github.miniomigrator.config.PayloadSigning;
import io.github.miniomigrator.config.RequestRate;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SourceClientFactory;
import io.github.miniomigrator.config.StorageClass;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.config.TargetClientFactory;
import io.github.miniomigrator.config.TransferSettings;
import io.github.miniomigrator.copy.Bandwidth;
import io.github.miniomigrator.cutover.CutoverStep;
import io.github.miniomigrator.cutover.ForwardGate;
import io.github.miniomigrator.copy.SettlingJoin;
import io.github.miniomigrator.copy.TransferSlots;
import io.github.miniomigrator.copy.WriteRecheck;
import io.github.miniomigrator.events.EventIntake;
import io.github.miniomigrator.events.KeySync;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.observe.GuardedHttpServerFactory;
import io.github.miniomigrator.observe.MigrationHealthChecks;
import io.github.miniomigrator.observe.ObserveCredentials;
import io.github.miniomigrator.observe.MigrationMetrics;
import io.github.miniomigrator.observe.PassHistory;
import io.github.miniomigrator.store.Retry;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.TargetEtags;
import io.github.miniomigrator.store.TargetStore;
import io.github.miniomigrator.store.UploadJournal;
import io.minio.MinioClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The running camel-main application: the routes from routes/*.yaml (the jar's copies when that folder is absent), the
 * settings as properties ({@link CamelProperties}), the stores' clients built beside Camel's start, the beans the routes
 * call ({@link MigrationBeans}), and for `run` health and metrics.
 */
public final class MigrationRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationRuntime.class);
    static final String ROUTES_DIR = "routes";
    private static final String OBSERVE_PATH = CamelProperties.OBSERVE_PATH;

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
    private final MigrationBeans beans;
    /** The source's client when the source is not MinIO (else null: camel-minio's client bean reads it). */
    private S3Client sourceS3Client;

    /** The beans only `run` needs: what the event routes feed; partitions only in kafka mode (else null). */
    /** @param attach what needs the runtime before Camel starts (the cutover's steps in `run`: the route calls them) */
    public record Events(SyncStatus status, EventIntake intake, java.util.function.Consumer<MigrationRuntime> attach, HeldPartitions partitions) {
        public Events(SyncStatus status, EventIntake intake, java.util.function.Consumer<MigrationRuntime> attach) {
            this(status, intake, attach, null);
        }
    }

    /** The perform-cutover route's step: the command that owns the process says who performs it. */
    private final CutoverStep cutoverStep;

    private MigrationRuntime(Settings settings, Events events, String name) {
        this.main = new Main();
        this.settings = settings;
        this.cutoverStep = new CutoverStep(new SecretMask(settings.secretValues()));
        boolean kafka = events != null && events.partitions() != null;
        Properties properties = CamelProperties.of(settings, events != null, kafka);
        io.github.miniomigrator.hooks.Hook.addProperties(settings, properties);
        if (events != null) {
            HttpAddress address = HttpAddress.of(settings);
            // bound here, not in MigrationBeans: camel-main looks its HTTP server factory up before it reads configuration classes
            ObserveCredentials.of(settings).ifPresentOrElse(credentials -> {
                main.bind("guardedHttpServerFactory", new GuardedHttpServerFactory(credentials, OBSERVE_PATH));
                LOG.info("{}/health and {}/metrics on {} answer requests with {}", OBSERVE_PATH, OBSERVE_PATH, address, credentials.describe());
            }, () -> LOG.info("{}/health and {}/metrics on {} need no credentials (set {}, or {} and {}, to require them)", OBSERVE_PATH,
                    OBSERVE_PATH, address, Setting.HTTP_TOKEN.key(), Setting.HTTP_USERNAME.key(), Setting.HTTP_PASSWORD.key()));
        }
        if (name != null) {
            properties.put("camel.main.name", name);
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

        TransferSettings transfers = TransferSettings.of(settings);
        int concurrency = transfers.concurrency();
        Retry retry = new Retry(transfers.retries(), 500);
        bandwidth = Bandwidth.parse(settings.get(Setting.BANDWIDTH), java.time.Clock.systemDefaultZone());
        if (!bandwidth.unlimited()) {
            LOG.info("bandwidth timetable: {}", bandwidth.describe());
        }
        for (StoreSide side : StoreSide.values()) {
            RequestRate.of(settings, side).ifPresent(rate -> LOG.info("requests to the {} are limited to {} ({})", side.word(),
                    rate.describe(), RequestRate.setting(side).key()));
        }
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
        // the beans the routes call: bound by camel-main from the configuration class's @BindToRegistry methods
        this.beans = new MigrationBeans(settings, transfers, events, new MigrationBeans.Built(this::targetClient, sourceS3Client, sourceClient,
                targetStore, transferThreads, transferSlots, bandwidth, retry, cutoverStep));
        main.configure().addConfiguration(beans);
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
        return start(settings, events, whileCamelStarts, null);
    }

    /**
     * A runtime beside another in this process, under a Camel context name of its own (JMX names each context: the
     * `cutover` command's runtime hosts its route while the drain's `run` runtime, named as always, comes and goes).
     */
    public static MigrationRuntime startNamed(Settings settings, String name) throws Exception {
        return start(settings, null, runtime -> { }, name);
    }

    private static MigrationRuntime start(Settings settings, Events events, java.util.function.Consumer<MigrationRuntime> whileCamelStarts,
            String name) throws Exception {
        MigrationRuntime runtime = new MigrationRuntime(settings, events, name);
        java.util.concurrent.CompletableFuture<Void> alongside = java.util.concurrent.CompletableFuture.runAsync(
                () -> whileCamelStarts.accept(runtime), runnable -> daemon("preflight-target", runnable).start());
        try {
            if (events != null) {
                events.attach().accept(runtime);
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
        return beans.producer();
    }

    public SourceStore sourceStore() {
        return beans.sourceStore();
    }

    public TargetStore targetStore() {
        return targetStore;
    }

    /** What looks after a pass's writes once its copies have landed (nothing where writes are not looked after). */
    public SettlingJoin settlingJoin() {
        return beans.settlingJoin();
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
    public CutoverStep cutoverStep() {
        return cutoverStep;
    }

    public ForwardGate forwardGate() {
        return forwardGate;
    }

    /** Health checks and metrics for `run`, once Camel (and its Micrometer registry) is up. */
    private void observe(Events events) {
        CamelContext context = main.getCamelContext();
        MigrationHealthChecks.register(context, sourceStore(), targetStore, settings.mappings(), events.status(),
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
