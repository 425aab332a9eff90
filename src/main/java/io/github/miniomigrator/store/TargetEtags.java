package io.github.miniomigrator.store;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this target's ETag of a single PUT is the MD5 of its bytes. Where it is, two differing plain-MD5 ETags mean
 * different bytes and no stored metadata overrules them (a target object overwritten after the copy is repaired).
 * The write canary learns it; it is kept in migration.state.dir so that `verify`, which writes nothing, knows it too.
 */
public final class TargetEtags {
    private static final Logger LOG = LoggerFactory.getLogger(TargetEtags.class);
    static final String FILE = "target-etags.properties";

    public enum Kind { MD5, NOT_MD5, UNKNOWN }

    private final Path file;
    private final String endpoint;
    private volatile Kind kind;

    private TargetEtags(Path file, String endpoint, Kind kind) {
        this.file = file;
        this.endpoint = endpoint;
        this.kind = kind;
    }

    /** What an earlier run learnt about the target at this endpoint, or UNKNOWN. */
    public static TargetEtags load(Path stateDir, String endpoint) {
        Path file = stateDir.resolve(FILE);
        Kind kind = Kind.UNKNOWN;
        if (Files.isRegularFile(file)) {
            Properties known = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                known.load(in);
                kind = Kind.valueOf(known.getProperty(endpoint, Kind.UNKNOWN.name()));
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("cannot read {} ({}); the target's ETag kind is learnt again", file, e.getMessage());
            }
        }
        return new TargetEtags(file, endpoint, kind);
    }

    public Kind kind() {
        return kind;
    }

    /** Whether a plain-MD5 ETag of this target is known to be the MD5 of the object's bytes. */
    public boolean md5() {
        return kind == Kind.MD5;
    }

    /** Records what a PUT showed: its ETag was (or was not) the Content-MD5 sent. */
    public synchronized void learn(boolean etagIsMd5) {
        Kind learnt = etagIsMd5 ? Kind.MD5 : Kind.NOT_MD5;
        if (learnt == kind) {
            return;
        }
        kind = learnt;
        try {
            Files.createDirectories(file.getParent());
            Properties known = new Properties();
            if (Files.isRegularFile(file)) {
                try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    known.load(in);
                }
            }
            known.setProperty(endpoint, learnt.name());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                known.store(out, "what minio-migrator learnt about each target: is a single PUT's ETag the MD5 of the bytes?");
            }
        } catch (IOException e) {
            LOG.warn("cannot write {} ({}); verify will not know this target's ETag kind", file, e.getMessage());
        }
    }
}
