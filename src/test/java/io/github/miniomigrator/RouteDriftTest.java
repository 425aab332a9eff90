package io.github.miniomigrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An edited routes/ folder against this release's copies: what differs, what is the integrator's own, what is missing. */
class RouteDriftTest {
    private static final String ROUTE = "- route:\n    id: copy-object\n    from:\n      uri: direct:copy-object\n";

    @TempDir
    Path dir;

    @Test
    void aFileEditedOrFromAnOlderReleaseIsNamedInOneWarningLine() throws Exception {
        Path release = folder("release", Map.of("copy-object.yaml", ROUTE, "copy-bucket.yaml", "- route: {}\n"));
        Path routes = folder("routes", Map.of("copy-object.yaml", ROUTE + "      steps: [ { log: edited } ]\n",
                "copy-bucket.yaml", "- route: {}\n"));

        RouteDrift.Report report = RouteDrift.compare(routes, release);

        assertEquals(List.of("copy-object.yaml"), report.differing());
        assertEquals(List.of(), report.ownRoutes());
        assertEquals(List.of(), report.missing());
        assertEquals(List.of("routes/copy-object.yaml differs from this release's copy (edited, or from an older release): check it against"
                + " the jar's (unzip -p minio-migrator.jar routes/copy-object.yaml)"), RouteDrift.warnings(report, "routes", "minio-migrator.jar"));
    }

    @Test
    void lineEndingsAndTheLastNewlineAreNoDrift() throws Exception {
        Path release = folder("release", Map.of("copy-object.yaml", ROUTE));
        Path routes = folder("routes", Map.of("copy-object.yaml", ROUTE.replace("\n", "\r\n").stripTrailing()));

        RouteDrift.Report report = RouteDrift.compare(routes, release);

        assertTrue(report.inStep(), report.toString());
        assertEquals(List.of(), RouteDrift.warnings(report, "routes", "minio-migrator.jar"));
    }

    @Test
    void anIntegratorsOwnRouteIsAnInfoLineAndAMissingRouteOfThisReleaseAWarning() throws Exception {
        Path release = folder("release", Map.of("copy-object.yaml", ROUTE, "delete-object.yaml", "- route: {}\n", "cutover.yaml", "- route: {}\n"));
        Path routes = folder("routes", Map.of("copy-object.yaml", ROUTE, "to-nats.yaml", "- route: {}\n", "notes.txt", "not a route"));

        RouteDrift.Report report = RouteDrift.compare(routes, release);

        assertEquals(List.of(), report.differing());
        assertEquals(List.of("to-nats.yaml"), report.ownRoutes(), "only *.yaml files are routes");
        assertEquals(List.of("cutover.yaml", "delete-object.yaml"), report.missing());
        assertEquals(List.of("/opt/routes/to-nats.yaml is not among this release's routes: loaded as an integrator's own route"),
                RouteDrift.notes(report, "/opt/routes"));
        List<String> warnings = RouteDrift.warnings(report, "/opt/routes", "/opt/minio-migrator.jar");
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("/opt/routes/ lacks this release's cutover.yaml, delete-object.yaml (new in this release, or removed there): only the"
                + " folder's routes run; copy in those it should have from the jar's (unzip -p /opt/minio-migrator.jar routes/cutover.yaml)",
                warnings.get(0));
    }

    /** The release's routes as the tool reads them: from inside its jar, through a zip file system. */
    @Test
    void comparesWithTheRoutesInsideAJar() throws Exception {
        Path jar = dir.resolve("minio-migrator.jar");
        try (FileSystem zip = FileSystems.newFileSystem(jar, Map.of("create", "true"))) {
            Files.createDirectories(zip.getPath("routes"));
            Files.writeString(zip.getPath("routes", "copy-object.yaml"), ROUTE);
            Files.writeString(zip.getPath("routes", "copy-bucket.yaml"), "- route: {}\n");
        }
        Path routes = folder("routes", Map.of("copy-object.yaml", ROUTE.replace("direct:", "seda:"), "copy-bucket.yaml", "- route: {}\r\n"));
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            RouteDrift.Report report = RouteDrift.compare(routes, zip.getPath("routes"));
            assertEquals(List.of("copy-object.yaml"), report.differing());
            assertTrue(report.missing().isEmpty() && report.ownRoutes().isEmpty(), report.toString());
        }
    }

    /** The repository's routes/ is what the build puts in the jar: in step. */
    @Test
    void theRepositorysRoutesAreThisReleasesCopies() throws Exception {
        Path release = Path.of("target", "classes", "routes");
        assertTrue(RouteDrift.compare(Path.of("routes"), release).inStep());
    }

    private Path folder(String name, Map<String, String> files) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(folder.resolve(file.getKey()), file.getValue());
        }
        return folder;
    }
}
