package io.github.miniomigrator;

import static io.github.miniomigrator.support.TestStores.contents;
import static io.github.miniomigrator.support.TestStores.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.github.miniomigrator.support.MinioEvents;
import io.github.miniomigrator.support.TestStores;
import io.github.miniomigrator.support.Wait;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pausing the copies over JMX (suspend copy-object) holds the event queue; resuming lets it drain; nothing is lost. */
@Tag("store")
class JmxControlIT {
    @Test
    void suspendingCopyObjectPausesSyncsWithoutLosingTheQueue() throws Exception {
        try (TestStores stores = new TestStores(false)) {
            stores.source.createBucket("src");
            stores.target.createBucket("dst");
            put(stores.sourceClient, "src", "old.txt", "old".getBytes());
            int port = EventsIT.freePort();
            String token = "webhook-token-0123456789abcdef";
            List<String> args = stores.arguments("src:dst", "migration.events.mode=webhook", "migration.http.port=" + port,
                    "migration.events.webhook.token=" + token);
            try (EventsIT.Running run = new EventsIT.Running(stores, args)) {
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                ObjectName copyObject = server.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null).stream()
                        .filter(n -> n.getKeyProperty("name").equals("\"copy-object\"")).findFirst().orElseThrow();
                server.invoke(copyObject, "suspend", null, null);
                Wait.until("copy-object is suspended", Duration.ofSeconds(10), () -> {
                    try {
                        return "Suspended".equals(server.getAttribute(copyObject, "State"));
                    } catch (Exception e) {
                        return false;
                    }
                });
                for (int i = 0; i < 5; i++) {
                    put(stores.sourceClient, "src", "while-paused-" + i, ("p" + i).getBytes());
                    new EventsIT().post(port, token, MinioEvents.webhook("s3:ObjectCreated:Put", "src", "while-paused-" + i));
                }
                Wait.until("the events are queued", Duration.ofSeconds(10), () -> run.command.status().getPending() == 5);
                // every sync has looked at the source and decided to copy: each could copy now, were copy-object not held
                ObjectName sync = server.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null).stream()
                        .filter(n -> n.getKeyProperty("name").equals("\"sync-on-event\"")).findFirst().orElseThrow();
                Wait.until("the five syncs wait at copy-object's door", Duration.ofSeconds(30), () -> inflight(server, sync) == 5);
                Thread.sleep(1000); // the pause holds: the syncs stay at the door and nothing is copied meanwhile
                assertEquals(5, inflight(server, sync), "the syncs still wait");
                assertEquals(List.of("old.txt"), TestStores.keys(stores.targetClient, "dst"));
                assertFalse(run.command.status().isDrained());

                server.invoke(copyObject, "resume", null, null);
                run.awaitDrained();
                assertEquals(contents(stores.sourceClient, "src", ""), contents(stores.targetClient, "dst", ""));
            }
        }
    }

    static long inflight(MBeanServer server, ObjectName route) {
        try {
            return ((Number) server.getAttribute(route, "ExchangesInflight")).longValue();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + route + "'s exchanges in flight", e);
        }
    }
}
