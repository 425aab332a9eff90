package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** migration.target.proxy: what it takes, and that the password never reaches the words the log prints. */
class TargetProxyTest {
    static final String PASSWORD = "proxy-SECRET-0b5e77d1";

    @Test
    void theProxyAsTheLogNamesItCarriesNoPassword() {
        TargetProxy proxy = TargetProxy.of(new Settings(Map.of("migration.target.proxy", "http://proxy.corp.example:3128",
                "migration.target.proxy-username", "migrator", "migration.target.proxy-password", PASSWORD))).orElseThrow();
        assertEquals("http://proxy.corp.example:3128 as migrator", proxy.toString());
        assertTrue(TargetProxy.of(new Settings(Map.of())).isEmpty(), "unset: the SDK's own defaults");
    }

    @Test
    void aUrlWithAPathOrCredentialsOrNoPortIsRefusedWithoutEchoingIt() {
        for (String value : new String[] {"http://migrator:" + PASSWORD + "@proxy:3128", "http://proxy", "socks5://proxy:1080", "http://proxy:3128/x"}) {
            SettingsException e = assertThrows(SettingsException.class, () -> TargetProxy.of(new Settings(Map.of("migration.target.proxy", value))));
            assertTrue(e.getMessage().startsWith("migration.target.proxy is not http://host:port"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
        }
        SettingsException half = assertThrows(SettingsException.class, () -> TargetProxy.of(new Settings(Map.of(
                "migration.target.proxy", "http://proxy:3128", "migration.target.proxy-password", PASSWORD))));
        assertTrue(half.getMessage().contains("set both"), half.getMessage());
    }
}
