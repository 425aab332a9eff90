package io.github.miniomigrator.config;

import java.net.URI;

/** Endpoint URLs are checked before any client is built, so a typo is named rather than failing deep in a client. */
final class Endpoints {
    private Endpoints() {
    }

    static String check(Setting setting, String value) {
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new SettingsException(setting.key() + "=" + value + " is not a URL: write it like https://host[:port].");
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new SettingsException(setting.key() + "=" + value + " is not an http(s) URL: write it like https://host[:port].");
        }
        if (uri.getRawUserInfo() != null) {
            throw new SettingsException(setting.key() + " has a user name or password in its URL: give the URL as https://host[:port] "
                    + "and the credentials in the access-key and secret-key settings.");
        }
        if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
            throw new SettingsException(setting.key() + "=" + value
                    + " has a path; give the service endpoint only (buckets and prefixes go in migration.buckets).");
        }
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
