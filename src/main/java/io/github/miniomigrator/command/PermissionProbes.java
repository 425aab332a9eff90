package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.command.PermissionLine.Outcome;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Provider;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.copy.WriteCanary;
import io.github.miniomigrator.cutover.ForwardGate;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetStore;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Asks each store, with the migration's own calls, for each permission the migration needs, and says what each answer
 * means ({@link PermissionLine}). The source is only read. On the target a canary object is written under the reserved
 * canary key ({@link WriteCanary}), read back and deleted, and a multipart upload of that key is started, listed and
 * aborted. A wrong secret or unknown access key, or a store that cannot be reached, is said once for its side, whose
 * other probes are skipped: nothing after it would be about permissions.
 */
final class PermissionProbes {
    static final String LIST = "cli.check.step.list";
    static final String READ = "cli.check.step.read";
    static final String LISTEN = "cli.check.step.listen";
    static final String WRITE = "cli.check.step.write";
    static final String READ_BACK = "cli.check.step.read-back";
    static final String DELETE = "cli.check.step.delete";
    static final String START_UPLOAD = "cli.check.step.start-upload";
    static final String LIST_UPLOADS = "cli.check.step.list-uploads";
    static final String LIST_PARTS = "cli.check.step.list-parts";
    static final String ABORT_UPLOAD = "cli.check.step.abort-upload";

    /** A step's words in the output's language (each key named as a literal, so MessagesTest sees it). */
    static String words(String step) {
        return switch (step) {
            case LIST -> Messages.text("cli.check.step.list");
            case READ -> Messages.text("cli.check.step.read");
            case LISTEN -> Messages.text("cli.check.step.listen");
            case WRITE -> Messages.text("cli.check.step.write");
            case READ_BACK -> Messages.text("cli.check.step.read-back");
            case DELETE -> Messages.text("cli.check.step.delete");
            case START_UPLOAD -> Messages.text("cli.check.step.start-upload");
            case LIST_UPLOADS -> Messages.text("cli.check.step.list-uploads");
            case LIST_PARTS -> Messages.text("cli.check.step.list-parts");
            case ABORT_UPLOAD -> Messages.text("cli.check.step.abort-upload");
            default -> throw new IllegalArgumentException("no check step " + step);
        };
    }

    /** A call to a store; what it answers does not matter, only whether it was refused. */
    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private final MigrationRuntime runtime;
    private final Settings settings;
    private final Consumer<String> print;
    private final Set<StoreSide> stopped = EnumSet.noneOf(StoreSide.class);
    /** Sides whose keys a store has accepted: a later wrong-key answer there is about the request, not the keys. */
    private final Set<StoreSide> keysAccepted = EnumSet.noneOf(StoreSide.class);
    private int checked;
    private int failed;
    private int missing;

    /** @param print where each line goes as soon as it is known */
    PermissionProbes(MigrationRuntime runtime, Consumer<String> print) {
        this.runtime = runtime;
        this.settings = runtime.settings();
        this.print = print;
    }

    /** The checks so far that did not pass (a side's wrong key or unreachable store counts as one). */
    int failed() {
        return failed;
    }

    /** The permission lines so far that are MISSING: grants to add. */
    int missing() {
        return missing;
    }

    /** The checks made so far: one per permission line, and one per side stopped by a wrong key or an unreachable store. */
    int checked() {
        return checked;
    }

    /** The source's read permissions for the mapping, and its listen permission where events come through it. */
    void source(BucketMapping mapping) {
        StoreSide side = StoreSide.SOURCE;
        Provider provider = settings.sourceProvider();
        String bucket = mapping.sourceBucket();
        SourceStore source = runtime.sourceStore();
        String[] firstKey = new String[1];
        Optional<Exception> listed = attempt(side, () -> {
            source.checkReadable(bucket);
            firstKey[0] = source.keySpace(bucket).firstKeyAfter("", null);
        });
        if (stopped.contains(side)) {
            return;
        }
        report(judge(side, bucket, LIST, Grant.LIST.on(provider), listed,
                provider == Provider.MINIO ? Messages.text("cli.check.needs.list-minio") : ""));
        if (listed.filter(PermissionProbes::noSuchBucket).isPresent()) {
            return;
        }
        // an empty bucket (or one that could not be listed): a key that does not exist, whose 404 shows the GET allowed
        String key = firstKey[0] != null ? firstKey[0] : ".minio-migrator-check-" + UUID.randomUUID();
        Optional<Exception> read = attempt(side, () -> source.readFirstByte(bucket, key));
        if (stopped.contains(side)) {
            return;
        }
        String getGrant = Grant.GET.on(provider);
        if (read.isPresent() && firstKey[0] == null && StoreException.errorCode(read.get()).equals("NoSuchKey")) {
            read = Optional.empty();
        }
        if (read.isPresent() && firstKey[0] == null && listed.isPresent() && StoreException.status(read.get()) == 403) {
            report(unknown(side, bucket, READ, getGrant, Messages.text("cli.check.unknown.read-unlisted", StoreException.describe(read.get()),
                    Grant.LIST.on(provider))));
        } else {
            report(judge(side, bucket, READ, getGrant, read, ""));
        }
        listen(mapping, provider);
    }

    /** MinIO's listen API, where migration.events.mode=listen takes the events from it. */
    private void listen(BucketMapping mapping, Provider provider) {
        StoreSide side = StoreSide.SOURCE;
        String bucket = mapping.sourceBucket();
        String grant = Grant.LISTEN.on(provider);
        String mode = settings.get(Setting.EVENTS_MODE).toLowerCase(java.util.Locale.ROOT);
        if (provider != Provider.MINIO || !mode.equals("listen")) {
            report(new PermissionLine(side, bucket, LISTEN, grant, Outcome.NOT_NEEDED,
                    Messages.text("cli.check.not-needed.listen", mode), ""));
            return;
        }
        Optional<Exception> listened = attempt(side, () -> runtime.sourceStore().listen(bucket).close());
        if (stopped.contains(side)) {
            return;
        }
        int status = listened.map(StoreException::status).orElse(0);
        if (listened.isPresent() && (status >= 400 && status != 403 && status < 600 || AccessRefusal.wrongKey(listened.get()).isPresent())) {
            // not MinIO, or a proxy in front of it: the API is not there (S3Proxy answers SignatureDoesNotMatch to the keys it
            // accepted for the listing), which says nothing about the grant
            report(unknown(side, bucket, LISTEN, grant, Messages.text("cli.check.unknown.listen", StoreException.describe(listened.get()))));
        } else {
            report(judge(side, bucket, LISTEN, grant, listened, Messages.text("cli.check.needs.listen")));
        }
    }

    /**
     * The target's permissions for the mapping: list; a canary written, read back, deleted; a multipart upload of the
     * canary's key started, found among the bucket's unfinished uploads, its parts listed, and aborted. Run as the
     * application's canary writes are, so a gate a cutover shut to forward syncs lets them through.
     */
    void target(BucketMapping mapping) {
        ForwardGate.canary(() -> {
            probeTarget(mapping);
            return null;
        });
    }

    private void probeTarget(BucketMapping mapping) {
        StoreSide side = StoreSide.TARGET;
        Provider provider = settings.provider();
        String bucket = mapping.targetBucket();
        TargetStore target = runtime.targetStore();
        WriteCanary canaries = new WriteCanary(target);
        WriteCanary.Canary canary = WriteCanary.Canary.of(mapping);
        Optional<Exception> listed = attempt(side, () -> target.list(bucket, mapping.targetPrefix()).hasNext());
        if (stopped.contains(side)) {
            return;
        }
        report(judge(side, bucket, LIST, Grant.LIST.on(provider), listed, ""));
        if (listed.filter(PermissionProbes::noSuchBucket).isPresent()) {
            return;
        }
        if (!step(side, bucket, WRITE, Grant.PUT.on(provider), () -> canaries.write(canary, new ArrayList<>()), "")) {
            if (stopped.contains(side)) {
                return;
            }
            String why = Messages.text("cli.check.unknown.no-canary");
            report(unknown(side, bucket, READ_BACK, Grant.GET.on(provider), why));
            report(unknown(side, bucket, DELETE, Grant.DELETE.on(provider), why));
        } else {
            step(side, bucket, READ_BACK, Grant.GET.on(provider), () -> canaries.readBack(canary), "");
            String needs = settings.flag(Setting.REMOVE) ? Messages.text("cli.check.needs.delete-remove")
                    : Messages.text("cli.check.needs.delete-canary");
            if (!removal(side, bucket, DELETE, Grant.DELETE.on(provider), () -> target.delete(bucket, canary.key()), needs)) {
                print.accept(Messages.text("cli.check.left.canary", canary.key(), bucket));
            }
        }
        if (!stopped.contains(side)) {
            uploads(mapping, canary);
        }
    }

    private void uploads(BucketMapping mapping, WriteCanary.Canary canary) {
        StoreSide side = StoreSide.TARGET;
        Provider provider = settings.provider();
        String bucket = mapping.targetBucket();
        String key = canary.key();
        TargetStore target = runtime.targetStore();
        String[] uploadId = new String[1];
        if (!step(side, bucket, START_UPLOAD, Grant.PUT.on(provider), () -> uploadId[0] = target.createUpload(bucket, key, canary.attributes()), "")) {
            if (!stopped.contains(side)) {
                String why = Messages.text("cli.check.unknown.no-upload");
                report(unknown(side, bucket, LIST_UPLOADS, Grant.LIST_UPLOADS.on(provider), why));
                report(unknown(side, bucket, LIST_PARTS, Grant.LIST_PARTS.on(provider), why));
                report(unknown(side, bucket, ABORT_UPLOAD, Grant.ABORT_UPLOAD.on(provider), why));
            }
            return;
        }
        Optional<Exception> listed = attempt(side, () -> target.uploadsOf(bucket, key));
        if (!stopped.contains(side)) {
            if (listed.isPresent() && (StoreException.status(listed.get()) == 501 || StoreException.errorCode(listed.get()).equals("NotImplemented"))) {
                // OSS's S3 API: the tool does without it (LeftoverUploads)
                report(new PermissionLine(side, bucket, LIST_UPLOADS, Grant.LIST_UPLOADS.on(provider), Outcome.NOT_NEEDED,
                        Messages.text("cli.check.not-needed.list-uploads", StoreException.describe(listed.get())), ""));
            } else {
                report(judge(side, bucket, LIST_UPLOADS, Grant.LIST_UPLOADS.on(provider), listed, Messages.text("cli.check.needs.list-uploads")));
            }
        }
        if (!stopped.contains(side)) {
            step(side, bucket, LIST_PARTS, Grant.LIST_PARTS.on(provider), () -> target.uploadedBytes(bucket, key, uploadId[0]),
                    Messages.text("cli.check.needs.list-parts"));
        }
        if (!removal(side, bucket, ABORT_UPLOAD, Grant.ABORT_UPLOAD.on(provider), () -> target.abortUpload(bucket, key, uploadId[0]), "")) {
            print.accept(Messages.text("cli.check.left.upload", uploadId[0], key, bucket));
        }
    }

    /**
     * Removes what a probe created, even when its side stopped on the way (a line is printed only while it has not):
     * nothing that can be removed is left behind. @return whether it was removed
     */
    private boolean removal(StoreSide side, String bucket, String step, String grant, Call call, String needs) {
        if (stopped.contains(side)) {
            return attemptQuietly(call).isEmpty();
        }
        return step(side, bucket, step, grant, call, needs);
    }

    /** One call judged and printed; whether it was allowed (false also when the side stopped on it). */
    private boolean step(StoreSide side, String bucket, String step, String grant, Call call, String needs) {
        Optional<Exception> failure = attempt(side, call);
        if (stopped.contains(side)) {
            return false;
        }
        report(judge(side, bucket, step, grant, failure, needs));
        return failure.isEmpty();
    }

    /**
     * Runs the call unless its side has stopped; a wrong key or an unreachable store is said here, once, and stops the
     * side. @return the failure, if any (a stopped side: an empty answer, and {@link #stopped} says so)
     */
    private Optional<Exception> attempt(StoreSide side, Call call) {
        if (stopped.contains(side)) {
            return Optional.empty();
        }
        Optional<Exception> failure = attemptQuietly(call);
        if (failure.isEmpty()) {
            keysAccepted.add(side);
        } else {
            sideProblem(side, failure.get(), keysAccepted.contains(side)).ifPresent(problem -> {
                stopped.add(side);
                checked++;
                failed++;
                print.accept(problem);
            });
        }
        return failure;
    }

    private static Optional<Exception> attemptQuietly(Call call) {
        try {
            call.run();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.of(e);
        }
    }

    /**
     * A refusal that is about the side's keys or its address rather than a permission: what to fix, or empty.
     * @param keysAccepted the store accepted these keys before: a wrong-key answer now is about this one request
     */
    private static Optional<String> sideProblem(StoreSide side, Exception e, boolean keysAccepted) {
        String word = PermissionLine.sideWord(side);
        Optional<AccessRefusal.WrongKey> wrong = AccessRefusal.wrongKey(e);
        if (wrong.isPresent() && !keysAccepted) {
            return Optional.of(wrong.get() == AccessRefusal.WrongKey.SECRET
                    ? Messages.text("cli.check.wrong-secret", word, side.secretKey().key(), side.accessKey().key(),
                            side.secretKey().environmentVariable())
                    : Messages.text("cli.check.unknown-key", word, side.accessKey().key(), side.endpoint().key(), side.secretKey().key()));
        }
        if (unreachable(e)) {
            return Optional.of(Messages.text("cli.check.unreachable", word, StoreException.describe(e), side.endpoint().key(),
                    side.proxy().key()));
        }
        return Optional.empty();
    }

    /** No HTTP answer at all: the connection failed (refused, reset, no such host, TLS). */
    private static boolean unreachable(Throwable e) {
        if (StoreException.status(e) != 0) {
            return false;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof software.amazon.awssdk.core.exception.SdkClientException) {
                return true;
            }
        }
        return false;
    }

    /**
     * What an answer means: allowed; a 403: the grant is missing; a wrong-key answer to keys the store accepted before,
     * or anything else: could not tell.
     */
    private static PermissionLine judge(StoreSide side, String bucket, String step, String grant, Optional<Exception> failure, String needs) {
        if (failure.isEmpty()) {
            return PermissionLine.ok(side, bucket, step, grant);
        }
        Exception e = failure.get();
        if (StoreException.archived(e)) {
            return PermissionLine.ok(side, bucket, step, grant); // allowed, and refused only for the object's storage class
        }
        if (noSuchBucket(e)) {
            return unknown(side, bucket, step, grant, Messages.text("cli.check.unknown.no-bucket", StoreException.describe(e),
                    side.endpoint().key()));
        }
        if (AccessRefusal.wrongKey(e).isPresent()) {
            return unknown(side, bucket, step, grant, Messages.text("cli.check.unknown.keys-accepted", StoreException.describe(e)));
        }
        if (StoreException.status(e) == 403) {
            return new PermissionLine(side, bucket, step, grant, Outcome.MISSING, StoreException.describe(e), needs);
        }
        return unknown(side, bucket, step, grant, Messages.text("cli.check.unknown.answer", StoreException.describe(e)));
    }

    /** The bucket is not there: nothing else about it can be asked (a line says so, once). */
    private static boolean noSuchBucket(Exception e) {
        return StoreException.status(e) == 404 && StoreException.errorCode(e).equals("NoSuchBucket");
    }

    private static PermissionLine unknown(StoreSide side, String bucket, String step, String grant, String why) {
        return new PermissionLine(side, bucket, step, grant, Outcome.UNKNOWN, why, "");
    }

    private void report(PermissionLine line) {
        checked++;
        if (line.fails()) {
            failed++;
        }
        if (line.outcome() == Outcome.MISSING) {
            missing++;
        }
        print.accept(line.text(line.side().accessKey().key()));
    }
}
