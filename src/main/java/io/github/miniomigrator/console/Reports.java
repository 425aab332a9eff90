package io.github.miniomigrator.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The report files of migration.report.dir over HTTP (GET /observe/reports/NAME, behind the console's credentials), so
 * the console's links open the full list of failures and the verify pages: a plain file name of the folder only, never
 * a path out of it.
 */
final class Reports {
    static final String PATH = "/observe/reports";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}\\.(html|json|md|txt|csv)");
    private static final long LARGEST = 64L << 20;

    /** A file of the folder, with its content type. */
    record File(byte[] body, String contentType) {
    }

    private final Path directory;

    Reports(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    /** The file by that name, or empty when there is no such report (or the name is not one). */
    Optional<File> read(String name) throws IOException {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            return Optional.empty();
        }
        Path file = directory.resolve(name).normalize();
        if (!file.getParent().equals(directory) || !Files.isRegularFile(file) || Files.size(file) > LARGEST) {
            return Optional.empty();
        }
        return Optional.of(new File(Files.readAllBytes(file), contentType(name)));
    }

    static String contentType(String name) {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        return switch (extension) {
            case "html" -> "text/html; charset=utf-8";
            case "json" -> "application/json; charset=utf-8";
            case "md" -> "text/markdown; charset=utf-8";
            case "csv" -> "text/csv; charset=utf-8";
            default -> "text/plain; charset=utf-8";
        };
    }
}
