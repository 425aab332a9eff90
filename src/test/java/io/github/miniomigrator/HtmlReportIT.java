package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.Chromium;
import io.github.miniomigrator.support.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The HTML reports as a person sees them: rendered by headless Chromium, their text read back. */
class HtmlReportIT {
    static Path newest(TestStores stores, String prefix) throws Exception {
        try (Stream<Path> files = Files.list(stores.work().resolve("reports"))) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.toString().endsWith(".html")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void copyAndVerifyReportsRenderWithTheirFiguresAndDifferences() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Chromium.available(), "no chromium here (apt-get install chromium); CI installs it");
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            for (int i = 0; i < 20; i++) {
                put(stores.sourceClient, "src", "发票/" + i + ".pdf", new byte[20_000 + i]);
            }
            assertEquals(0, stores.run("copy", stores.arguments("src:dst")).exitCode());
            Path copy = newest(stores, "copy-");
            String text = Chromium.text(copy);
            assertTrue(text.contains("Copy report") && text.contains("every object is in place"), text);
            assertTrue(text.contains("src → dst") && text.contains(" 20 "), text);
            assertTrue(Chromium.dom(copy).contains("<svg"), "the throughput chart");

            stores.targetClient.deleteObject(b -> b.bucket("dst").key("发票/3.pdf"));
            assertEquals(1, stores.run("verify", stores.arguments("src:dst")).exitCode());
            String verify = Chromium.text(newest(stores, "verify-"));
            assertTrue(verify.contains("Verify report") && verify.contains("differences"), verify);
            assertTrue(verify.contains("+ 发票/3.pdf"), verify);
            assertFalse(verify.contains(TestStores.SOURCE_SECRET) || verify.contains(TestStores.TARGET_SECRET));
        }
    }
}
