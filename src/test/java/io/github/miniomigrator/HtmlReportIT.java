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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The HTML reports as a person sees them: rendered by headless Chromium, their text read back. */
@Tag("process")
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
            stores.targetClient.deleteObject(b -> b.bucket("dst").key("发票/12.pdf"));
            put(stores.targetClient, "dst", "发票/7.pdf", new byte[5]);
            put(stores.targetClient, "dst", "zz/late.pdf", new byte[9]);
            assertEquals(1, stores.run("verify", stores.arguments("src:dst")).exitCode());
            String verify = Chromium.text(newest(stores, "verify-"));
            assertTrue(verify.contains("Verify report") && verify.contains("differences"), verify);
            // grouped, the problems first, sorted by key within a group ("12" before "3"), each with its sizes and times
            int differs = verify.indexOf("* differs: 1");
            int sourceOnly = verify.indexOf("+ only in the source: 2");
            int targetOnly = verify.indexOf("- only in the target: 1");
            assertTrue(differs > 0 && differs < sourceOnly && sourceOnly < targetOnly, verify);
            assertTrue(verify.indexOf("+ 发票/12.pdf") > sourceOnly && verify.indexOf("+ 发票/12.pdf") < verify.indexOf("+ 发票/3.pdf")
                    && verify.indexOf("+ 发票/3.pdf") < targetOnly, verify);
            assertTrue(verify.contains("* 发票/7.pdf") && verify.contains("20007 (") && verify.contains("5 (5 B)"), verify);
            assertTrue(verify.contains("- zz/late.pdf") && verify.contains("9 (9 B)"), verify);
            assertTrue(java.util.regex.Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z").matcher(verify).find(), "the keys' times: " + verify);
            assertTrue(verify.contains("Next step: Copy again") && verify.contains("Next step: Run copy") && verify.contains("Next step: The target has keys"), verify);
            assertTrue(verify.contains("= identical: 17 keys"), verify);

            // the folder's index: newest first, each with its result, linking the pages and JSON beside it
            Path index = newest(stores, "verify-").resolveSibling("index.html");
            String listed = Chromium.text(index);
            assertTrue(listed.contains("differences") && listed.contains("ok") && listed.indexOf("verify") < listed.indexOf("copy"), listed);
            java.util.regex.Matcher links = java.util.regex.Pattern.compile("href=\"([^\"]+)\"").matcher(Chromium.dom(index));
            java.util.List<String> hrefs = new java.util.ArrayList<>();
            while (links.find()) {
                hrefs.add(links.group(1));
            }
            assertEquals(4, hrefs.size(), hrefs.toString());
            assertTrue(hrefs.get(0).startsWith("verify-") && hrefs.get(3).startsWith("copy-"), "newest first: " + hrefs);
            hrefs.forEach(href -> assertTrue(Files.isRegularFile(index.resolveSibling(href)), "a working relative link: " + href));
            assertFalse(verify.contains(TestStores.SOURCE_SECRET) || verify.contains(TestStores.TARGET_SECRET));
        }
    }
}
