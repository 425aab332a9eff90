package io.github.miniomigrator.config;

import java.security.Provider;
import java.security.Security;
import java.util.Locale;
import org.conscrypt.Conscrypt;
import org.slf4j.LoggerFactory;

/**
 * Which library speaks TLS to both stores (migration.tls.provider). Conscrypt, Google's provider on BoringSSL, by
 * default: its AES-GCM runs as native AES-NI code from the first byte, where the JDK's runs as plain Java until the C2
 * compiler has compiled it (measured: 4 x 100 MiB to a TLS target took 14.1 s with C1 alone and the JDK's TLS, 3.1 s
 * with Conscrypt). That is what lets the launcher run C1 alone, which halves the CPU of each small object. Installed
 * first in the JVM's provider list, so the target's HTTP client and the source's both use it. Where its native library
 * cannot load (it ships for Linux, Windows and macOS on x86-64), TLS stays with the JDK and the log says so.
 */
public final class TlsProvider {
    /** The choices of migration.tls.provider. */
    public enum Choice {
        CONSCRYPT, JDK;

        static Choice parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new SettingsException(Setting.TLS_PROVIDER.key() + "=" + value + " is not a TLS provider; write conscrypt or jdk.");
            }
        }
    }

    private TlsProvider() {
    }

    /** Makes the setting's choice the JVM's first TLS provider; @return the provider now in use. */
    public static synchronized Choice install(Settings settings) {
        Choice choice = Choice.parse(settings.get(Setting.TLS_PROVIDER));
        Provider installed = installedConscrypt();
        if (choice == Choice.JDK) {
            if (installed != null) {
                Security.removeProvider(installed.getName());
            }
            return Choice.JDK;
        }
        if (installed != null) {
            return Choice.CONSCRYPT;
        }
        Throwable unavailable = availability();
        if (unavailable != null) {
            // the logger is asked for here, not when the class loads: logging is being set up beside this (MigratorApplication)
            LoggerFactory.getLogger(TlsProvider.class).warn("TLS runs in the JDK: Conscrypt's native library does not load on {} {} ({}). Large objects over https cost more "
                    + "CPU; start with JAVA_OPTS=-XX:TieredStopAtLevel=4 (both compilers), or set migration.tls.provider=jdk to "
                    + "silence this.", System.getProperty("os.name"), System.getProperty("os.arch"), unavailable.toString());
            return Choice.JDK;
        }
        Security.insertProviderAt(Conscrypt.newProvider(), 1);
        return Choice.CONSCRYPT;
    }

    private static Provider installedConscrypt() {
        for (Provider provider : Security.getProviders()) {
            if (Conscrypt.isConscrypt(provider)) {
                return provider;
            }
        }
        return null;
    }

    /** @return why Conscrypt cannot run here, or null when it can */
    private static Throwable availability() {
        try {
            Conscrypt.checkAvailability();
            return null;
        } catch (Throwable e) {
            return e;
        }
    }
}
