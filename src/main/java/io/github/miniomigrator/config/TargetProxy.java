package io.github.miniomigrator.config;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.http.apache.ProxyConfiguration;

/**
 * The HTTP proxy the target is reached through (migration.target.proxy), as networks that let nothing out but through
 * a proxy need: https goes through a CONNECT tunnel, so the proxy sees the target's host and port, never a byte of the
 * objects or the credentials. Set, it replaces whatever the JVM's properties or the environment say; unset, the AWS SDK
 * looks there itself (https.proxyHost, else HTTPS_PROXY and NO_PROXY).
 */
public record TargetProxy(URI endpoint, String username, String password) {
    public static Optional<TargetProxy> of(Settings settings) {
        String value = settings.get(Setting.TARGET_PROXY).trim();
        String username = settings.get(Setting.TARGET_PROXY_USERNAME);
        String password = settings.get(Setting.TARGET_PROXY_PASSWORD);
        if (value.isEmpty()) {
            if (!username.isEmpty() || !password.isEmpty()) {
                throw new SettingsException(Setting.TARGET_PROXY_USERNAME.key() + " and " + Setting.TARGET_PROXY_PASSWORD.key()
                        + " are for a proxy, and " + Setting.TARGET_PROXY.key() + " is empty: set it to http://host:port.");
            }
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getPort() < 0
                || uri.getUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))) {
            // the value is not echoed: a user:password@ written into it by mistake would be printed
            throw new SettingsException(Setting.TARGET_PROXY.key() + " is not http://host:port (scheme http or https, a host, a port, "
                    + "no path; a user name and password go in " + Setting.TARGET_PROXY_USERNAME.key() + " and "
                    + Setting.TARGET_PROXY_PASSWORD.key() + ").");
        }
        if (username.isEmpty() != password.isEmpty()) {
            throw new SettingsException("set both " + Setting.TARGET_PROXY_USERNAME.key() + " and " + Setting.TARGET_PROXY_PASSWORD.key()
                    + " for a proxy that asks for a password, or neither.");
        }
        return Optional.of(new TargetProxy(URI.create(scheme + "://" + uri.getHost() + ":" + uri.getPort()), username, password));
    }

    ProxyConfiguration configuration() {
        ProxyConfiguration.Builder builder = ProxyConfiguration.builder().endpoint(endpoint)
                .useSystemPropertyValues(false).useEnvironmentVariableValues(false);
        if (!username.isEmpty()) {
            builder.username(username).password(password);
        }
        return builder.build();
    }

    /** Never the password. */
    @Override
    public String toString() {
        return endpoint + (username.isEmpty() ? "" : " as " + username);
    }
}
