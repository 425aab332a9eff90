package io.github.miniomigrator.cluster;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.store.StoreException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs shards of the shared passes on this instance, leader or not: it takes the oldest open pass, claims up to
 * migration.listing.concurrency of its free shards (all of one mapping), runs them as one local pass that counts but
 * deletes nothing (its settling join, where writes are looked after, included: a shard is done once what the batch wrote
 * has been listed again), then records them done with the batch's tally — unless one of them was recorded done meanwhile
 * by another run, when the batch records nothing and its other shards run again — and takes the next batch. A batch stops the moment
 * the connection to ZooKeeper is suspended (its claims may vanish with the session, and another instance may run the
 * shards then) or the instance stops: its claims are given up and no done is written, so another instance runs it.
 */
public final class ShardWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardWorker.class);
    private static final long AFTER_ERROR_MILLIS = 1_000;
    /** Shard lists of the last few passes: they never change once a pass is ready. */
    private static final int CACHED_PASSES = 4;

    /** Runs one pass through the copy-bucket route and returns when every copy of it has finished. */
    @FunctionalInterface
    public interface BatchRunner {
        void run(CopyPass pass);
    }

    /** Claims to give up: held in the session they were taken in (in a later one they are gone already). */
    private record Claims(String pass, List<String> shards, long session) {
    }

    private record Batch(String pass, int mapping, List<String> shards, CopyPass copy, long session) {
    }

    private final PassBoard board;
    private final CuratorFramework curator;
    private final String member;
    private final List<BucketMapping> mappings;
    private final int batchSize;
    private final BatchRunner runner;
    private final HeldShards held;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final ConnectionStateListener connection = (client, state) -> connectionChanged(state.isConnected());
    private final Map<String, List<PlannedShard>> shardLists = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<PlannedShard>> eldest) {
            return size() > CACHED_PASSES;
        }
    };
    private final Set<String> refused = new HashSet<>();
    private volatile Batch current;
    private AutoCloseable watch;
    /** Claims of stopped batches not given up yet (ZooKeeper was away): given up as soon as it answers. */
    private final List<Claims> unclaimed = new ArrayList<>();

    public ShardWorker(PassBoard board, CuratorFramework curator, String member, List<BucketMapping> mappings, int batchSize,
            BatchRunner runner, HeldShards held) {
        this.board = board;
        this.curator = curator;
        this.member = member;
        this.mappings = List.copyOf(mappings);
        this.batchSize = batchSize;
        this.runner = runner;
        this.held = held;
        this.thread = new Thread(this::loop, "shard-worker");
        this.thread.setDaemon(true);
    }

    public void start() {
        watch = board.watch(); // the worker waits for the board to change instead of reading it again and again
        curator.getConnectionStateListenable().addListener(connection);
        thread.start();
    }

    private void connectionChanged(boolean connected) {
        if (!connected) {
            cancelBatch("the connection to ZooKeeper was lost");
        } else {
            board.wake(); // claims of stopped batches to give up, a board to read again
        }
    }

    private void loop() {
        try {
            work();
        } finally {
            try {
                if (curator.getZookeeperClient().isConnected()) {
                    giveUpClaims();
                }
            } catch (Exception e) {
                LOG.debug("giving up claims on the way out: {}", e.getMessage()); // they vanish with the session
            }
        }
    }

    private void work() {
        while (closing.getCount() > 0) {
            try {
                long seen = board.seen(); // before the look: a change during it ends the wait below at once
                boolean connected = curator.getZookeeperClient().isConnected();
                if (connected) {
                    giveUpClaims();
                }
                List<String> open = connected ? board.open() : List.of();
                Optional<Batch> batch = open.isEmpty() ? Optional.empty() : claim(open);
                if (batch.isPresent()) {
                    run(batch.get());
                } else {
                    // no pass open, or every free shard taken: a new pass, a claim given up or gone with its session wakes it
                    board.awaitChange(seen, () -> closing.getCount() > 0);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warn("shard worker: {}; trying again", StoreException.describe(e));
                try {
                    pause(AFTER_ERROR_MILLIS);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void giveUpClaims() throws Exception {
        long session = board.sessionId();
        while (!unclaimed.isEmpty()) {
            Claims claims = unclaimed.get(0);
            if (claims.session() == session) {
                board.release(claims.pass(), claims.shards());
            }
            unclaimed.remove(0);
        }
    }

    private void pause(long millis) throws InterruptedException {
        closing.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Up to a batch of free shards of one mapping of the oldest open pass that has any, claimed; empty when none is free. */
    private Optional<Batch> claim(List<String> open) throws Exception {
        for (String pass : open) {
            List<PlannedShard> shards = shardsOf(pass);
            if (shards.isEmpty()) {
                continue;
            }
            Set<String> claimed = board.claimed(pass);
            Set<String> done = board.doneNames(pass);
            List<PlannedShard> free = shards.stream().filter(s -> !claimed.contains(s.name()) && !done.contains(s.name())).toList();
            if (free.isEmpty()) {
                continue;
            }
            long session = board.sessionId();
            int mapping = free.get(0).mapping();
            List<PlannedShard> mine = new ArrayList<>();
            try {
                for (PlannedShard shard : free) {
                    if (mine.size() == batchSize || closing.getCount() == 0) {
                        break;
                    }
                    if (shard.mapping() == mapping && board.claim(pass, shard.name(), member)) {
                        mine.add(shard);
                    }
                }
            } catch (Exception e) {
                unclaimed.add(new Claims(pass, mine.stream().map(PlannedShard::name).toList(), session));
                throw e;
            }
            if (!mine.isEmpty()) {
                CopyPass copy = new CopyPass(mappings.get(mapping), mine.stream().map(PlannedShard::decoded).toList(), false);
                return Optional.of(new Batch(pass, mapping, mine.stream().map(PlannedShard::name).toList(), copy, session));
            }
        }
        return Optional.empty();
    }

    /** The shards of a pass, or none when its mappings are not this instance's (its migration.buckets differs). */
    private List<PlannedShard> shardsOf(String pass) throws Exception {
        List<PlannedShard> cached = shardLists.get(pass);
        if (cached != null) {
            return cached;
        }
        List<PlannedShard> shards = board.shards(pass);
        for (PlannedShard shard : shards) {
            if (shard.mapping() >= mappings.size() || !mappings.get(shard.mapping()).toString().equals(shard.buckets())) {
                if (refused.add(pass)) {
                    LOG.error("pass {}: its shard {} is of mapping '{}', which is not mapping {} of this instance's migration.buckets; "
                            + "this instance runs none of its shards. Give every instance of the migration the same migration.buckets.",
                            pass, shard.name(), shard.buckets(), shard.mapping() + 1);
                }
                shards = List.of();
                break;
            }
        }
        shardLists.put(pass, shards);
        return shards;
    }

    private void run(Batch batch) throws Exception {
        held.hold(batch.pass(), batch.shards());
        boolean done = false;
        try (CopyPass copy = batch.copy()) {
            current = batch;
            // a loss between the claims and here: the pass starts cancelled and lists nothing
            if (closing.getCount() == 0 || !curator.getZookeeperClient().isConnected() || sessionNow() != batch.session()) {
                copy.cancel();
            }
            LOG.info("pass {}: running shards {} of {}", batch.pass(), batch.shards(), copy.mapping());
            Claims claims = new Claims(batch.pass(), batch.shards(), batch.session());
            try {
                runner.run(copy);
            } catch (RuntimeException e) {
                unclaimed.add(claims); // another instance, or this one later, runs them
                throw e;
            }
            current = null;
            if (copy.cancelled() || sessionNow() != batch.session()) {
                LOG.info("pass {}: shards {} stopped before their end; another instance runs them", batch.pass(), batch.shards());
                unclaimed.add(claims);
                return;
            }
            Map<String, ShardDone> shardsDone = new LinkedHashMap<>();
            for (int i = 0; i < batch.shards().size(); i++) {
                shardsDone.put(batch.shards().get(i), new ShardDone(member, copy.stats().clean(), copy.extras(i)));
            }
            try {
                done = board.complete(batch.pass(), shardsDone, BatchTally.of(batch.mapping(), batch.shards(), copy.stats()), member);
            } catch (Exception e) {
                LOG.warn("pass {}: shards {} ran to their end, but ZooKeeper could not record it ({}); another instance runs them again",
                        batch.pass(), batch.shards(), StoreException.describe(e));
                unclaimed.add(claims);
                return;
            }
            if (!done) {
                // its claims vanished meanwhile and another instance ran some of these shards: theirs count
                LOG.info("pass {}: shards {} ran to their end, but some were recorded done meanwhile by another run; this batch is not "
                        + "counted (its counts cannot be split by shard), and those of its shards not done yet run again", batch.pass(),
                        batch.shards());
                return;
            }
            LOG.info("pass {}: shards {} done{}", batch.pass(), batch.shards(), copy.stats().clean() ? "" : " with errors");
        } finally {
            current = null;
            held.release(batch.pass(), batch.shards(), done);
        }
    }

    /** The ZooKeeper session now, or -1 while ZooKeeper cannot say: claims are only good in the session that took them. */
    private long sessionNow() {
        try {
            return board.sessionId();
        } catch (Exception e) {
            return -1;
        }
    }

    private void cancelBatch(String why) {
        Batch batch = current;
        if (batch != null && !batch.copy().cancelled()) {
            LOG.warn("pass {}: stopping shards {}: {}", batch.pass(), batch.shards(), why);
            batch.copy().cancel();
        }
    }

    /** Stops the batch under way (its copies in flight finish; its claims are given up, no done written) and the worker. */
    @Override
    public void close() {
        closing.countDown();
        board.wake();
        cancelBatch("this instance stops");
        curator.getConnectionStateListenable().removeListener(connection);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                LOG.debug("closing the watch on the pass board: {}", e.getMessage());
            }
        }
    }
}
