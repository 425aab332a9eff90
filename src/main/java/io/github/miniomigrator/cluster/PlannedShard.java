package io.github.miniomigrator.cluster;

import io.github.miniomigrator.listing.Shard;

/**
 * One shard of a shared pass as ZooKeeper holds it (a node under shards/): its name {@code <mapping>-<number>}, the
 * index of its mapping in migration.buckets with the mapping as written there (an instance whose migration.buckets
 * differs refuses the pass rather than copy into the wrong place), and the shard's stable serialised form.
 */
public record PlannedShard(String name, int mapping, String buckets, String shard) {
    public static PlannedShard of(int mapping, int number, String buckets, Shard shard) {
        return new PlannedShard(mapping + "-" + number, mapping, buckets, shard.encode());
    }

    public Shard decoded() {
        return Shard.decode(shard);
    }

    /** Orders names as mapping, then number. */
    static int compareNames(String a, String b) {
        int[] x = parts(a);
        int[] y = parts(b);
        return x[0] != y[0] ? Integer.compare(x[0], y[0]) : Integer.compare(x[1], y[1]);
    }

    static int mappingOf(String name) {
        return parts(name)[0];
    }

    private static int[] parts(String name) {
        int dash = name.indexOf('-');
        return new int[] {Integer.parseInt(name.substring(0, dash)), Integer.parseInt(name.substring(dash + 1))};
    }
}
