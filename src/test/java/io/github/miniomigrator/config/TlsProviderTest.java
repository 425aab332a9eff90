package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** migration.tls.provider decides which library the clients' SSLContexts come from; the choice can be taken back. */
class TlsProviderTest {
    private static Settings settings(String... arguments) {
        return SettingsLoader.load(null, Map.of(), List.of(arguments));
    }

    @AfterEach
    void backToTheJdk() {
        TlsProvider.install(settings("migration.tls.provider=jdk"));
    }

    @Test
    void conscryptByDefaultOnThisMachine() throws Exception {
        assertTrue(Conscrypt.isAvailable(), "Conscrypt's native library ships for Linux x86-64, as CI runs");
        assertEquals(TlsProvider.Choice.CONSCRYPT, TlsProvider.install(settings()));
        assertTrue(Conscrypt.isConscrypt(SSLContext.getInstance("TLS")), "a client's TLS context comes from Conscrypt");
        assertEquals(TlsProvider.Choice.CONSCRYPT, TlsProvider.install(settings()), "installing twice keeps one");
        assertEquals(1, java.util.Arrays.stream(java.security.Security.getProviders()).filter(Conscrypt::isConscrypt).count());
    }

    @Test
    void jdkTakesConscryptOutAgain() throws Exception {
        TlsProvider.install(settings());
        assertEquals(TlsProvider.Choice.JDK, TlsProvider.install(settings("migration.tls.provider=JDK")));
        assertFalse(Conscrypt.isConscrypt(SSLContext.getInstance("TLS")));
    }

    @Test
    void anUnknownProviderNamesTheSettingAndTheChoices() {
        SettingsException e = assertThrows(SettingsException.class, () -> TlsProvider.install(settings("migration.tls.provider=openssl")));
        assertEquals("migration.tls.provider=openssl is not a TLS provider; write conscrypt or jdk.", e.getMessage());
    }
}
