package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetStore;
import io.github.miniomigrator.store.UnsupportedRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delete routes' bean: deletes a batch of target keys in one DeleteObjects request (delete-objects), one at a time
 * where the store does not offer it, and answers each key's result; puts each result on the exchange for the hooks.
 */
public final class ObjectDeleter {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectDeleter.class);
    private final TargetStore target;
    /** Set once the store answered that it does not offer DeleteObjects: every later batch is deleted key by key. */
    private final AtomicBoolean oneByOne = new AtomicBoolean();

    public ObjectDeleter(TargetStore target) {
        this.target = target;
    }

    /**
     * Deletes the batch's keys from the mapping's target and answers each key's result (a failure is a result, never
     * thrown): a key the store refused in its answer, or all keys where the whole request failed after its retries.
     */
    public List<DeleteResult> delete(DeleteBatch batch) {
        BucketMapping mapping = batch.mapping();
        List<DeleteResult> results = new ArrayList<>(batch.keys().size());
        List<String> batched = new ArrayList<>();
        List<String> single = new ArrayList<>();
        for (String key : batch.keys()) {
            (oneByOne.get() || !DeleteBatch.fitsXml(mapping.targetKey(key)) ? single : batched).add(key);
        }
        if (!batched.isEmpty()) {
            try {
                Map<String, String> refused = target.deleteObjects(mapping.targetBucket(), batched.stream().map(mapping::targetKey).toList());
                for (String key : batched) {
                    results.add(new DeleteResult(mapping, key, refused.get(mapping.targetKey(key))));
                }
            } catch (UnsupportedRequestException e) {
                if (oneByOne.compareAndSet(false, true)) {
                    LOG.warn("{}; deleting one key per request from now on", e.getMessage());
                }
                single.addAll(0, batched);
            } catch (RuntimeException e) {
                String reason = StoreException.describe(e);
                batched.forEach(key -> results.add(new DeleteResult(mapping, key, reason)));
            }
        }
        for (String key : single) {
            try {
                target.delete(mapping.targetBucket(), mapping.targetKey(key));
                results.add(DeleteResult.deleted(mapping, key));
            } catch (RuntimeException e) {
                results.add(new DeleteResult(mapping, key, StoreException.describe(e)));
            }
        }
        return results;
    }

    /** Whether the store refused DeleteObjects, so that deletes go one key per request. */
    public boolean oneByOne() {
        return oneByOne.get();
    }

    /** One key's result on the split exchange: the header MigrationOutcome and the property MigrationResult the hooks read. */
    public void outcome(DeleteResult result, Exchange exchange) {
        result.outcome().putOn(exchange);
    }

    /** delete-object's success on its exchange: the key of its {@link DeleteBatch#PROPERTY} deleted. */
    public void deleted(@ExchangeProperty(DeleteBatch.PROPERTY) DeleteBatch one, Exchange exchange) {
        DeleteResult.deleted(one.mapping(), one.keys().get(0)).outcome().putOn(exchange);
    }
}
