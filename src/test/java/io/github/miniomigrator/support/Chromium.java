package io.github.miniomigrator.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's headless Chromium (.ci/run installs it): renders a page as a person's browser would, and gives its DOM. */
public final class Chromium {
    private Chromium() {
    }

    /**
     * Whether the browser tests can run: chromium is installed. On CI (CI=true, where .ci/run installs it) they must run,
     * so there a missing browser fails rather than skips; on a machine with only Java and Maven they are skipped.
     */
    public static boolean available() {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/chromium"));
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("chromium is missing on CI: .ci/run should have installed it");
        }
        return installed;
    }

    public static String dom(Path page) throws Exception {
        Path profile = Files.createTempDirectory("chromium-profile");
        // the DOM goes to a file: a browser that hangs must not hold the test in a read that has no timeout
        Path dom = Files.createTempFile("chromium-dom", ".html");
        Process process = new ProcessBuilder(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--dump-dom", page.toUri().toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(dom.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not render " + page + " in 120 s");
        }
        return Files.readString(dom, StandardCharsets.UTF_8);
    }

    /** The page's visible text: the DOM without its tags. */
    public static String text(Path page) throws Exception {
        return dom(page).replaceAll("(?s)<style.*?</style>", "").replaceAll("<[^>]+>", " ").replace("&gt;", ">").replace("&lt;", "<")
                .replace("&amp;", "&").replaceAll("\\s+", " ");
    }
}
