package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.support.TestStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An install as a user lays it out (the launcher, the jar, lib/) with an integrator's processor in a jar in ext/ and
 * an edited routes/ folder whose copy-object route calls it: the launcher puts the jar on the class path, the route runs
 * the processor, the edited file is named in a warning, and replacing the extension makes a new class archive.
 */
@Tag("process")
class ExtensionsIT {
    private static final String PROCESSOR = "com.example.ext.MarkCopied";

    @TempDir
    Path data;

    @Test
    void aProcessorInExtIsCalledFromAnEditedRouteAndTheEditIsNamed() throws Exception {
        Path install = install();
        Path marker = data.resolve("marker.txt");
        Path routes = editedRoutes();
        Path archives = Files.createDirectories(data.resolve("archives"));
        Path extension = install.resolve("ext").resolve("mark-copied.jar");
        extensionJar(extension, "v1");

        Map<String, String> environment = new HashMap<>(Map.of("JAVA_HOME", System.getProperty("java.home"),
                "MIGRATOR_CDS_DIR", archives.toString(), "MIGRATOR_LOG_DIR", data.resolve("logs").toString(),
                "MARK_COPIED_FILE", marker.toString()));
        String startFromArchive = Runtime.version().feature() >= 25 ? "-XX:AOTMode=on" : "-Xshare:on";
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            TestStores.put(stores.sourceClient, "src", "a.txt", "first".getBytes());

            // the first run writes the archive, with the extension on the class path
            String first = copy(stores, install, environment, routes, "-Xmx256m");
            assertEquals(List.of("v1 a.txt"), Files.readAllLines(marker), first);
            String warning = routes.resolve("copy-object.yaml") + " differs from this release's copy (edited, or from an older release): "
                    + "check it against the jar's (unzip -p " + install.resolve("minio-migrator.jar") + " routes/copy-object.yaml)";
            assertTrue(first.lines().anyMatch(line -> line.contains(" WARN ") && line.endsWith(warning)), first);
            assertEquals(1, first.lines().filter(line -> line.contains(" differs from this release's copy")).count(),
                    "only the edited file is named: " + first);
            assertEquals(1, archives(archives).size(), archives(archives).toString());

            // the next starts from it (the JVM refuses to start without it), the extension's classes and all
            TestStores.put(stores.sourceClient, "src", "b.txt", "second".getBytes());
            String second = copy(stores, install, environment, routes, "-Xmx256m " + startFromArchive);
            assertEquals(List.of("v1 a.txt", "v1 b.txt"), Files.readAllLines(marker), second);

            // a replaced extension makes a new archive: the old one, written with the old jar, is never offered
            extensionJar(extension, "v2");
            TestStores.put(stores.sourceClient, "src", "c.txt", "third".getBytes());
            String third = copy(stores, install, environment, routes, "-Xmx256m");
            assertEquals(List.of("v1 a.txt", "v1 b.txt", "v2 c.txt"), Files.readAllLines(marker), third);
            assertEquals(2, archives(archives).size(), "one archive per class path: " + archives(archives));
            for (String output : List.of(first, second, third)) {
                assertFalse(output.contains(TestStores.SOURCE_SECRET) || output.contains(TestStores.TARGET_SECRET), output);
                assertFalse(output.contains("WARNING"), "no JVM warning (native access, archive): " + output);
            }
            assertEquals(TestStores.contents(stores.sourceClient, "src", ""), TestStores.contents(stores.targetClient, "dst", ""));
        }
    }

    private String copy(TestStores stores, Path install, Map<String, String> environment, Path routes, String javaOptions) throws Exception {
        Map<String, String> withOptions = new HashMap<>(environment);
        withOptions.put("JAVA_OPTS", javaOptions);
        Process copy = JarIT.launch(stores, List.of(install.resolve("minio-migrator").toString()), withOptions, "copy",
                stores.arguments("src:dst", "migration.routes.dir=" + routes));
        String output = JarIT.output(copy, 120);
        assertEquals(0, copy.exitValue(), output);
        return output;
    }

    /** The launcher and the jar copied into a folder of their own, lib/ linked (the jar's manifest names lib/...). */
    private Path install() throws IOException {
        Path launcher = Path.of("target", "minio-migrator");
        Path jar = Path.of("target", "minio-migrator.jar");
        assertTrue(Files.isExecutable(launcher) && Files.isRegularFile(jar), "run after 'mvn package': " + launcher.toAbsolutePath());
        Path install = Files.createDirectories(data.resolve("install"));
        Files.copy(launcher, install.resolve("minio-migrator"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(jar, install.resolve("minio-migrator.jar"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Files.createSymbolicLink(install.resolve("lib"), Path.of("target", "lib").toAbsolutePath());
        Files.createDirectories(install.resolve("ext"));
        return install;
    }

    /** This release's routes, copy-object's handing each key to the processor from ext/ before its copy. */
    private Path editedRoutes() throws IOException {
        Path routes = Files.createDirectories(data.resolve("routes"));
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Path copyObject = routes.resolve("copy-object.yaml");
        String route = Files.readString(copyObject);
        String call = "        - bean:\n            ref: objectCopier\n            method: copy\n";
        assertTrue(route.contains(call), route);
        Files.writeString(copyObject, route.replace(call, "        - to: \"class:" + PROCESSOR + "\"\n" + call));
        return routes;
    }

    /**
     * A jar holding one processor, compiled now against the project's class path: it appends "{@code version} key" to
     * the file MARK_COPIED_FILE names, for the key copy-object was given.
     */
    private void extensionJar(Path jar, String version) throws IOException {
        Path sources = Files.createDirectories(data.resolve("sources-" + version).resolve("com/example/ext"));
        Path source = sources.resolve("MarkCopied.java");
        Files.writeString(source, """
                package com.example.ext;

                import java.nio.charset.StandardCharsets;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                import io.github.miniomigrator.listing.Difference;
                import org.apache.camel.Exchange;
                import org.apache.camel.Processor;

                public class MarkCopied implements Processor {
                    @Override
                    public void process(Exchange exchange) throws Exception {
                        String key = exchange.getMessage().getBody(Difference.class).key();
                        Files.writeString(Path.of(System.getenv("MARK_COPIED_FILE")), "%s " + key + "\\n", StandardCharsets.UTF_8,
                                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    }
                }
                """.formatted(version));
        Path classes = Files.createDirectories(data.resolve("classes-" + version));
        // against the project's class path: Camel's API and the tool's own classes (the key's record)
        String classPath = Path.of(org.apache.camel.Processor.class.getProtectionDomain().getCodeSource().getLocation().getPath())
                + java.io.File.pathSeparator + Path.of("target", "classes").toAbsolutePath();
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "--release", "17", "-classpath", classPath, "-d", classes.toString(), source.toString());
        assertEquals(0, status, "the processor compiles");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Path written = Files.createTempFile(data, "ext-", ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(written), manifest);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        Files.move(written, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Path> archives(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".jsa") || file.toString().endsWith(".aot")).sorted().toList();
        }
    }
}
