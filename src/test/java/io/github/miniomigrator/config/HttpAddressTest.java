package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.command.Preflight;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** migration.http.host: loopback unless set, refused for the webhook while unset, checked to be this machine's and free. */
class HttpAddressTest {
    static Settings settings(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String keyValue : keyValues) {
            values.put(keyValue.substring(0, keyValue.indexOf('=')), keyValue.substring(keyValue.indexOf('=') + 1));
        }
        return new Settings(values);
    }

    static String refusal(Runnable check) {
        return assertThrows(SettingsException.class, check::run).getMessage();
    }

    @Test
    void unsetItIsLoopback() {
        HttpAddress address = HttpAddress.of(settings());
        assertEquals("127.0.0.1", address.host());
        assertEquals(8080, address.port());
        assertFalse(address.reachableFromOtherMachines());
        assertTrue(HttpAddress.of(settings("migration.http.host=0.0.0.0")).reachableFromOtherMachines());
    }

    @Test
    void theWebhookRefusesTheLoopbackDefaultAndSaysWhatToSet() {
        String message = refusal(() -> HttpAddress.of(settings()).checkReachableByMinio());
        assertTrue(message.contains("migration.events.mode=webhook needs MinIO to reach this machine"), message);
        assertTrue(message.contains("set migration.http.host to the address MinIO reaches this machine at"), message);
        assertTrue(message.contains("127.0.0.1 when MinIO runs on this machine"), message);
        // said explicitly, loopback is the operator's choice (MinIO beside the tool)
        HttpAddress.of(settings("migration.http.host=127.0.0.1")).checkReachableByMinio();
        HttpAddress.of(settings("migration.http.host=0.0.0.0")).checkReachableByMinio();
    }

    @Test
    void theEventSettingsPreflightAppliesIt() {
        Settings webhook = settings("migration.events.mode=webhook", "migration.events.webhook.token=webhook-token-0123456789");
        assertTrue(refusal(() -> Preflight.checkEventSettings(webhook)).contains("migration.http.host"));
        Preflight.checkEventSettings(settings("migration.events.mode=webhook", "migration.events.webhook.token=webhook-token-0123456789",
                "migration.http.host=127.0.0.1"));
        Preflight.checkEventSettings(settings("migration.events.mode=off")); // only the webhook needs MinIO to reach it
    }

    @Test
    void anAddressOfAnotherMachineIsRefusedByName() {
        // TEST-NET-3 (RFC 5737): no machine's own address
        String message = refusal(() -> HttpAddress.of(settings("migration.http.host=203.0.113.7", "migration.http.port=18089")).checkFree());
        assertTrue(message.startsWith("migration.http.host=203.0.113.7 is not an address of this machine"), message);
        assertTrue(refusal(() -> HttpAddress.of(settings("migration.http.host=no-such-host.invalid")).resolve())
                .contains("migration.http.host=no-such-host.invalid cannot be resolved"));
    }

    @Test
    void aPortTakenOnTheHostIsRefusedByName() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String message = refusal(() -> HttpAddress.of(settings("migration.http.port=" + taken.getLocalPort())).checkFree());
            assertTrue(message.startsWith("migration.http.port=" + taken.getLocalPort() + " cannot be used"), message);
            assertTrue(message.contains("on 127.0.0.1, migration.http.host"), message);
        }
    }

    @Test
    void openToOtherMachinesWithoutCredentialsIsNoted() {
        assertTrue(Preflight.checkHttpAccess(settings()).isEmpty(), "loopback: only this machine reaches it");
        String note = Preflight.checkHttpAccess(settings("migration.http.host=0.0.0.0")).orElseThrow();
        assertTrue(note.contains("need no credentials") && note.contains("migration.http.token"), note);
        assertTrue(Preflight.checkHttpAccess(settings("migration.http.host=0.0.0.0", "migration.http.token=observe-token-0123456789"))
                .isEmpty());
    }
}
