package io.github.miniomigrator;

import io.github.miniomigrator.cutover.CutoverStep;
import io.github.miniomigrator.hooks.HookMessages;
import io.github.miniomigrator.config.KafkaClientProperties;
import io.github.miniomigrator.config.KeyFilter;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.TransferSettings;
import io.github.miniomigrator.copy.Bandwidth;
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
import io.github.miniomigrator.events.EventFailureFile;
import io.github.miniomigrator.events.EventIntake;
import io.github.miniomigrator.events.KeySync;
import io.github.miniomigrator.events.ObjectChange;
import io.github.miniomigrator.events.WebhookReceiver;
import io.github.miniomigrator.events.kafka.ConvergingConsumers;
import io.github.miniomigrator.events.kafka.KafkaEventReceiver;
import io.github.miniomigrator.store.MinioSourceStore;
import io.github.miniomigrator.store.Retry;
import io.github.miniomigrator.store.S3SourceStore;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.TargetStore;
import io.github.miniomigrator.verify.SampleChecker;
import io.github.miniomigrator.verify.Verifier;
import io.minio.MinioClient;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The beans the routes call, bound the camel-main way: each {@link BindToRegistry} method is one bean, named as
 * routes/*.yaml name it. What is built before Camel starts (the stores' clients, the target store, the transfer threads
 * and slots) comes in through the constructor; a bean `run` alone needs is bound only there (a method answering null
 * binds nothing). The parts several beans share (the source store, the key locks, the write recheck, the remover) are
 * built once, on the first method that needs them, whatever order Camel calls the methods in.
 */
public final class MigrationBeans implements CamelConfiguration {
    /** What was built before Camel: the clients and the bounds every bean shares. */
    record Built(Supplier<S3Client> targetClient, S3Client sourceS3Client, MinioClient sourceMinioClient, TargetStore targetStore,
            ExecutorService transferThreads, TransferSlots slots, Bandwidth bandwidth, Retry retry, CutoverStep cutover) {
    }

    private final Settings settings;
    private final TransferSettings transfers;
    private final MigrationRuntime.Events events;
    private final Built built;
    private final PassPlanner.Split listingSplit;
    private final KeyFilter scope;
    private final boolean recheckWrites;

    private ProducerTemplate producer;
    private SourceStore sourceStore;
    private KeyLocks locks;
    private CopyDecision decision;
    private WriteRecheck recheck;
    private ExtraObjectRemover remover;
    private SettlingJoin settlingJoin;
    private SampleChecker sampleChecker;

    MigrationBeans(Settings settings, TransferSettings transfers, MigrationRuntime.Events events, Built built) {
        this.settings = settings;
        this.transfers = transfers;
        this.events = events;
        this.built = built;
        this.listingSplit = PassPlanner.Split.parse(settings.get(Setting.LISTING_SPLIT));
        this.scope = KeyFilter.of(settings);
        this.recheckWrites = WriteRecheck.wanted(settings);
    }

    /** Whether writes are looked after (several instances may write the same keys). */
    boolean recheckWrites() {
        return recheckWrites;
    }

    // ---- the clients and the threads

    /** Looked up when the delete route first runs; a lookup while the client is still being built waits for it. */
    @BindToRegistry(value = "targetS3Client", lazy = true)
    public S3Client targetS3Client() {
        return built.targetClient().get();
    }

    /** camel-minio's client for a MinIO source (listings, the listen API); none for another source. */
    @BindToRegistry("sourceMinioClient")
    public MinioClient sourceMinioClient() {
        return built.sourceMinioClient();
    }

    /** The threads a pass and verify decide and copy keys on (routes: executorService). */
    @BindToRegistry("transferThreads")
    public ExecutorService transferThreads() {
        return built.transferThreads();
    }

    // ---- copy and verify

    @BindToRegistry("passPlanner")
    public PassPlanner passPlanner(CamelContext context) {
        return new PassPlanner(sourceStore(context), built.targetStore(), listingSplit, transfers.listingConcurrency(), scope);
    }

    @BindToRegistry("copyDecision")
    public CopyDecision copyDecision(CamelContext context) {
        return decision(context);
    }

    @BindToRegistry("objectCopier")
    public ObjectCopier objectCopier(CamelContext context) {
        BufferPool buffers = new BufferPool(transfers.bufferBudget(), (int) transfers.partSize());
        return new ObjectCopier(sourceStore(context), built.targetStore(), new MetadataMapper(settings.provider()), buffers, built.retry(),
                transfers.multipartThreshold(), (int) transfers.partSize(), locks(), built.bandwidth(), recheck(context), built.slots(),
                transfers.partConcurrency());
    }

    @BindToRegistry("extraObjectRemover")
    public ExtraObjectRemover extraObjectRemover(CamelContext context) {
        return remover(context);
    }

    @BindToRegistry("sampleChecker")
    public SampleChecker sampleChecker(CamelContext context) {
        return samples(context);
    }

    @BindToRegistry("verifier")
    public Verifier verifier(CamelContext context) {
        return new Verifier(sourceStore(context), built.targetStore(), samples(context));
    }

    // ---- `run` alone: the event routes' beans

    @BindToRegistry("keySync")
    public KeySync keySync(CamelContext context) {
        if (events == null) {
            return null;
        }
        return new KeySync(producer(context), built.retry(), sourceStore(context), decision(context), locks(), recheck(context),
                transfers.remove(), events.status(), settings.mappings(), new EventFailureFile(Path.of(settings.get(Setting.REPORT_DIR))),
                built.slots());
    }

    @BindToRegistry("webhookReceiver")
    public WebhookReceiver webhookReceiver() {
        return events == null ? null
                : new WebhookReceiver(settings.get(Setting.WEBHOOK_TOKEN), settings.get(Setting.WEBHOOK_PATH_SECRET), events.intake());
    }

    @BindToRegistry("eventIntake")
    public EventIntake eventIntake() {
        return events == null ? null : events.intake();
    }

    /** The delete-objects route's step: a pass's deletes, a DeleteObjects request per batch. */
    @BindToRegistry("objectDeleter")
    public io.github.miniomigrator.copy.ObjectDeleter objectDeleter() {
        return new io.github.miniomigrator.copy.ObjectDeleter(built.targetStore());
    }

    /** The perform-cutover route's step, in every command: the `cutover` command and `run` say who performs it. */
    @BindToRegistry("cutover")
    public CutoverStep cutover() {
        return built.cutover();
    }

    /** The hook routes' and the robot route's messages. */
    @BindToRegistry("hookMessages")
    public HookMessages hookMessages() {
        return new HookMessages(new SecretMask(settings.secretValues()), settings.get(Setting.HOOK_ROBOT_URL).strip());
    }

    /** migration.events.mode=kafka alone. */
    @BindToRegistry("convergingConsumers")
    public ConvergingConsumers convergingConsumers() {
        return events == null || events.partitions() == null ? null
                : new ConvergingConsumers(events.partitions(), KafkaClientProperties.of(settings));
    }

    /** migration.events.mode=kafka alone. */
    @BindToRegistry("kafkaEventReceiver")
    public KafkaEventReceiver kafkaEventReceiver() {
        return events == null || events.partitions() == null ? null : new KafkaEventReceiver(events.partitions(), events.intake());
    }

    // ---- the parts several beans share, built once

    synchronized ProducerTemplate producer(CamelContext context) {
        if (producer == null) {
            producer = context.createProducerTemplate();
        }
        return producer;
    }

    /** Every source's objects are read through the AWS SDK; a MinIO source is listed through camel-minio. */
    synchronized SourceStore sourceStore(CamelContext context) {
        if (sourceStore == null) {
            S3Client sourceS3 = built.sourceS3Client();
            S3SourceStore objectReads = new S3SourceStore(() -> sourceS3, built.retry());
            sourceStore = built.sourceMinioClient() != null ? new MinioSourceStore(producer(context), built.retry(), objectReads) : objectReads;
        }
        return sourceStore;
    }

    private synchronized KeyLocks locks() {
        if (locks == null) {
            locks = new KeyLocks(4096);
        }
        return locks;
    }

    private synchronized CopyDecision decision(CamelContext context) {
        if (decision == null) {
            decision = new CopyDecision(sourceStore(context), built.targetStore(), transfers.remove());
        }
        return decision;
    }

    private synchronized WriteRecheck recheck(CamelContext context) {
        if (recheck == null) {
            ProducerTemplate producer = producer(context);
            Retry retry = built.retry();
            TransferSlots slots = built.slots();
            recheck = new WriteRecheck(recheckWrites, sourceStore(context)::head,
                    (mapping, key) -> slots.holding(() -> ExtraObjectRemover.deleteTarget(producer, retry, mapping, key)), transfers.remove(),
                    events == null ? (bucket, key) -> { } : (bucket, key) -> events.intake().accept(new ObjectChange(bucket, key)));
        }
        return recheck;
    }

    private synchronized ExtraObjectRemover remover(CamelContext context) {
        if (remover == null) {
            remover = new ExtraObjectRemover(producer(context), sourceStore(context), transfers.remove(), transfers.maxDelete(), locks(),
                    built.retry(), recheck(context), events == null ? () -> false : events.status()::holdsDeletes, built.slots());
            settlingJoin = new SettlingJoin(recheckWrites, remover);
        }
        return remover;
    }

    private synchronized SampleChecker samples(CamelContext context) {
        if (sampleChecker == null) {
            sampleChecker = new SampleChecker(sourceStore(context), built.targetStore(), transfers.verifySample());
        }
        return sampleChecker;
    }

    /** What looks after a pass's writes once its copies have landed (null until Camel has bound the beans). */
    synchronized SettlingJoin settlingJoin() {
        return settlingJoin;
    }

    /** The producer the beans share (null until Camel has bound the beans). */
    synchronized ProducerTemplate producer() {
        return producer;
    }

    /** The source store the beans share (null until Camel has bound the beans). */
    synchronized SourceStore sourceStore() {
        return sourceStore;
    }

    @Override
    public void configure(CamelContext camelContext) {
        // every bean is bound by its method above
    }
}
