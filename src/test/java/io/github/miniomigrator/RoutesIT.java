package io.github.miniomigrator;

import io.github.miniomigrator.command.CutoverInRun;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.events.ChangeQueue;
import io.github.miniomigrator.events.EventIntake;
import io.github.miniomigrator.events.SyncStatus;
import io.github.miniomigrator.events.kafka.HeldPartitions;
import io.github.miniomigrator.support.Wait;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Integrators edit routes/*.yaml: every file must load as the one route it is named after, and edits reload when asked. */
@Tag("store")
class RoutesIT {
    @TempDir
    Path dir;

    private Settings settings(Path routes, boolean reload) throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("migration.source.endpoint", "http://127.0.0.1:9");
        values.put("migration.source.access-key", "a");
        values.put("migration.source.secret-key", "source-secret-1");
        values.put("migration.target.provider", "generic");
        values.put("migration.target.endpoint", "http://127.0.0.1:9");
        values.put("migration.target.access-key", "b");
        values.put("migration.target.secret-key", "target-secret-1");
        values.put("migration.buckets", "src:dst");
        values.put("migration.events.mode", "webhook");
        values.put("migration.events.uri", "direct:broker-events");
        values.put("migration.http.port", String.valueOf(EventsIT.freePort()));
        values.put("migration.routes.dir", routes.toString());
        values.put("migration.routes.reload", String.valueOf(reload));
        return new Settings(values);
    }

    private static MigrationRuntime start(Settings settings) throws Exception {
        SyncStatus status = new SyncStatus(Duration.ofSeconds(1));
        EventIntake intake = new EventIntake(settings.mappings(), io.github.miniomigrator.config.KeyFilter.ALL, new ChangeQueue(10, status), status);
        HeldPartitions partitions = settings.get(Setting.EVENTS_MODE).equals("kafka") ? new HeldPartitions() : null;
        return MigrationRuntime.start(settings, new MigrationRuntime.Events(status, intake, new CutoverInRun(settings, Map.of(), System.out, status),
                partitions));
    }

    private static Set<String> routeIds(Settings settings) throws Exception {
        try (MigrationRuntime runtime = start(settings)) {
            return runtime.context().getRoutes().stream().map(Route::getRouteId).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** In webhook mode with a broker URI, then in kafka mode (its route loads; it starts only in `run`, so no broker is needed). */
    @Test
    void everyRouteFileLoadsAsTheRouteItIsNamedAfter() throws Exception {
        Set<String> files;
        try (Stream<Path> yaml = Files.list(Path.of("routes"))) {
            files = yaml.map(p -> p.getFileName().toString().replaceFirst("\\.yaml$", "")).collect(Collectors.toCollection(TreeSet::new));
        }
        // every hook set, so that the hook routes (and the robot's), which exist only then, load too
        Map<String, String> hooked = new HashMap<>(settings(Path.of("routes"), false).all());
        for (io.github.miniomigrator.hooks.Hook hook : io.github.miniomigrator.hooks.Hook.values()) {
            hooked.put(hook.setting().key(), "log:hook");
        }
        hooked.put(Setting.HOOK_ROBOT_URL.key(), "https://robot.invalid/send");
        Set<String> routes = routeIds(new Settings(hooked));
        Map<String, String> kafka = new HashMap<>(settings(Path.of("routes"), false).all());
        kafka.putAll(Map.of("migration.events.mode", "kafka", "migration.events.kafka.brokers", "127.0.0.1:9",
                "migration.events.kafka.topic", "minio-events"));
        routes.addAll(routeIds(new Settings(kafka)));
        assertEquals(files, routes, "one route per file, named after it");
    }

    @Test
    void anEditedRouteIsReloadedInTheRunningProcess() throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (Stream<Path> yaml = Files.list(Path.of("routes"))) {
            for (Path file : yaml.toList()) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        try (MigrationRuntime runtime = start(settings(routes, true))) {
            Path copyObject = routes.resolve("copy-object.yaml");
            Files.writeString(copyObject, Files.readString(copyObject).replace("Copies one object from the source to the target",
                    "Copies one object, as edited by an integrator"));
            Wait.until("the edited route is reloaded", Duration.ofSeconds(30),
                    () -> {
                        Route route = runtime.context().getRoute("copy-object"); // absent for a moment while it reloads
                        return route != null && "Copies one object, as edited by an integrator".equals(route.getDescription());
                    });
            // a reload may restart every route: the others come back too
            Wait.until("the other routes are there after the reload", Duration.ofSeconds(30),
                    () -> runtime.context().getRoute("copy-bucket") != null);
        }
    }
}
