package io.github.miniomigrator.listing;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Splits a mapping's keys by directory, as rclone walks a tree (and MinIO stores one): from the top, through directories
 * that hold nothing but one child, to the first directory P with keys of its own or several children. Its parts are
 * P's own keys (a delimiter listing) and each child's keys (a recursive listing under the child), the children being
 * those of both stores, so a directory only the target has is listed too and its extras are found. On a store that
 * walks directories (S3Proxy's filesystem store, MinIO) a listing under a child reads only the child: the pass costs
 * O(N) there instead of O(N²/1,000) in pages over the whole bucket.
 * <p>
 * A directory listed after planning (on either store) is seen by the next pass, as a key written behind a listing is.
 * Too many children to hold (more than a page on either side), or fewer than two parts: one listing of everything.
 */
public final class DirectoryPlanner {
    /** How many single-child directories the planner goes down through before it gives up on splitting. */
    static final int MAX_DEPTH = 8;

    private DirectoryPlanner() {
    }

    /** The parts of one pass: directories, or {@link KeyRange#ALL} alone when the keys have no usable directories. */
    public static List<Shard> plan(Directories source, Directories target) {
        String prefix = "";
        for (int depth = 0; ; depth++) {
            Directories.Level sourceLevel = source.level(prefix);
            Directories.Level targetLevel = sourceLevel == null ? null : target.level(prefix);
            if (sourceLevel == null || targetLevel == null) {
                return List.of(KeyRange.ALL);
            }
            TreeSet<String> children = new TreeSet<>(KeyOrder.UTF8);
            children.addAll(sourceLevel.children());
            children.addAll(targetLevel.children());
            boolean directKeys = sourceLevel.directKeys() || targetLevel.directKeys();
            if (!directKeys && children.size() == 1 && depth < MAX_DEPTH) {
                prefix = children.first();
                continue;
            }
            List<Shard> shards = new ArrayList<>(children.size() + 1);
            if (directKeys) {
                DirectoryShard own = DirectoryShard.directKeys(prefix);
                shards.add(targetLevel.directKeys() ? own : own.onEmptyTarget());
            }
            for (String child : children) {
                if (!DirectoryShard.isChild(prefix, child)) {
                    // a store that ignores the delimiter or the prefix: its children do not split this directory
                    return List.of(KeyRange.ALL);
                }
                DirectoryShard part = DirectoryShard.everything(child);
                // a directory the target has not got costs it no listing (and no folder-object HEAD)
                shards.add(targetLevel.children().contains(child) ? part : part.onEmptyTarget());
            }
            return shards.size() < 2 ? List.of(KeyRange.ALL) : shards;
        }
    }
}
