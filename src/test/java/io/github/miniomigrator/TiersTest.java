package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every integration test names its tier (store, cluster or process), so `mvn -Pfast` leaves out exactly what it should. */
class TiersTest {
    private static final Pattern TIER = Pattern.compile("@Tag\\(\"(store|cluster|process)\"\\)");

    @Test
    void everyIntegrationTestHasATier() throws Exception {
        List<String> untagged;
        int seen;
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            List<Path> its = files.filter(p -> p.getFileName().toString().endsWith("IT.java")).toList();
            seen = its.size();
            untagged = its.stream().filter(p -> {
                try {
                    return !TIER.matcher(Files.readString(p)).find();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).map(p -> p.getFileName().toString()).toList();
        }
        assertTrue(seen > 40, "the integration tests were found: " + seen);
        assertEquals(List.of(), untagged, "integration tests without @Tag(\"store\"), (\"cluster\") or (\"process\")");
    }
}
