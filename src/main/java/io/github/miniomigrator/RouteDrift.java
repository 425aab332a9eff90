package io.github.miniomigrator;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of an edited routes/ folder against this release's copies in the jar: routes load all from the folder or
 * all from the jar, so after an upgrade an edited folder keeps the old YAML running against the new beans, silently
 * but for this. Each file that differs is named in one warning line; a file the jar lacks (an integrator's own route)
 * in one info line; a route of this release the folder lacks in one warning line. Line endings do not count.
 */
final class RouteDrift {
    private static final Logger LOG = LoggerFactory.getLogger(RouteDrift.class);
    /** Once per folder and process: a command may start Camel more than once. */
    private static final Set<Path> CHECKED = ConcurrentHashMap.newKeySet();

    /** What the folder holds against the release's routes, by file name, each list sorted. */
    record Report(List<String> differing, List<String> ownRoutes, List<String> missing) {
        boolean inStep() {
            return differing.isEmpty() && missing.isEmpty();
        }
    }

    private RouteDrift() {
    }

    /**
     * Compares the *.yaml files of {@code folder} with those of {@code release} (the jar's routes/ folder, or any
     * folder holding a release's routes).
     */
    static Report compare(Path folder, Path release) throws IOException {
        Set<String> ours = yamlNames(folder);
        Set<String> theirs = yamlNames(release);
        List<String> differing = new ArrayList<>();
        List<String> own = new ArrayList<>();
        for (String name : ours) {
            if (!theirs.contains(name)) {
                own.add(name);
            } else if (!normalised(folder.resolve(name)).equals(normalised(release.resolve(name)))) {
                differing.add(name);
            }
        }
        List<String> missing = theirs.stream().filter(name -> !ours.contains(name)).toList();
        return new Report(List.copyOf(differing), List.copyOf(own), missing);
    }

    /**
     * The lines to log for a report: {@code shownFolder} is the folder as configured (routes, or a path), {@code jar}
     * how to name the jar in the advice (its file name, or its path).
     */
    static List<String> warnings(Report report, String shownFolder, String jar) {
        return warnings(report, shownFolder, name -> "the jar's (unzip -p " + jar + " routes/" + name + ")");
    }

    /** @param releaseCopy for a file's name, where to see this release's copy of it ("the jar's (unzip -p ...)") */
    static List<String> warnings(Report report, String shownFolder, Function<String, String> releaseCopy) {
        List<String> lines = new ArrayList<>();
        for (String name : report.differing()) {
            lines.add(shownFolder + "/" + name + " differs from this release's copy (edited, or from an older release): check it against "
                    + releaseCopy.apply(name));
        }
        if (!report.missing().isEmpty()) {
            lines.add(shownFolder + "/ lacks this release's " + String.join(", ", report.missing()) + " (new in this release, or removed"
                    + " there): only the folder's routes run; copy in those it should have from " + releaseCopy.apply(report.missing().get(0)));
        }
        return lines;
    }

    static List<String> notes(Report report, String shownFolder) {
        return report.ownRoutes().stream()
                .map(name -> shownFolder + "/" + name + " is not among this release's routes: loaded as an integrator's own route")
                .toList();
    }

    /**
     * Logs the drift of {@code folder} from the routes of the jar this class was loaded from, once per folder; nothing
     * when the classes do not come from a jar or a folder holding routes/ (nothing to compare with), and a failure to
     * read only costs the check.
     */
    static void check(Path folder) {
        if (!CHECKED.add(folder.toAbsolutePath().normalize())) {
            return;
        }
        try {
            Path codeSource = Path.of(RouteDrift.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(codeSource)) { // classes not packed (a build's target/classes)
                Path release = codeSource.resolve(MigrationRuntime.ROUTES_DIR);
                check(folder, release, name -> "this release's (" + release.resolve(name) + ")");
            } else if (Files.isRegularFile(codeSource)) {
                String jar = shownJar(codeSource);
                try (FileSystem zip = FileSystems.newFileSystem(codeSource)) {
                    check(folder, zip.getPath(MigrationRuntime.ROUTES_DIR), name -> "the jar's (unzip -p " + jar + " routes/" + name + ")");
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            LOG.debug("the routes in {} were not compared with this release's: {}", folder, e.toString());
        }
    }

    private static void check(Path folder, Path release, Function<String, String> releaseCopy) throws IOException {
        if (!Files.isDirectory(release)) {
            return;
        }
        Report report = compare(folder, release);
        MigratorApplication.awaitLogging(); // the check runs early: its lines must not be lost while logging is set up
        String shown = folder.toString().replaceAll("/+$", "");
        warnings(report, shown, releaseCopy).forEach(LOG::warn);
        notes(report, shown).forEach(LOG::info);
    }

    /** The jar's file name when it lies in the working folder (the advice then reads as typed there), else its path. */
    private static String shownJar(Path jar) {
        Path parent = jar.toAbsolutePath().getParent();
        return parent != null && parent.equals(Path.of("").toAbsolutePath()) ? jar.getFileName().toString() : jar.toString();
    }

    private static Set<String> yamlNames(Path folder) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(Files::isRegularFile).map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml")).forEach(names::add);
        }
        return names;
    }

    /** The text with its line endings made \n and its trailing newlines dropped: an editor's habits are no drift. */
    static String normalised(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return text.replace("\r\n", "\n").replace('\r', '\n').replaceAll("\n+$", "");
    }
}
