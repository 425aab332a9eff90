package io.github.miniomigrator.cluster;

/**
 * What ZooKeeper keeps of one finished shard of a shared pass (its node under done/).
 *
 * @param member the instance that ran it
 * @param clean whether the batch it ran in had no error (no failed object, no listing error)
 * @param extras target keys the source lacks found by that batch (the batch's, so at least this shard's): 0 means this
 *     shard needs no deletion pass
 */
public record ShardDone(String member, boolean clean, long extras) {
}
