package io.github.miniomigrator.cluster;

/**
 * What ZooKeeper keeps of one finished shard of a shared pass (its node under done/).
 *
 * @param member the instance that ran it
 * @param clean whether the batch it ran in had no error (no failed object, no listing error)
 * @param extras target keys the source lacks found in this shard (all of its batch's, should a key fit none of the
 *     batch's shards): 0 means this shard needs no deletion pass
 */
public record ShardDone(String member, boolean clean, long extras) {
}
