package io.github.miniomigrator.observe;

import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What /observe/health and /observe/metrics accept: a bearer token (migration.http.token), basic auth
 * (migration.http.username and migration.http.password), or either when both are set — Prometheus scrapes with
 * {@code authorization: credentials} or {@code basic_auth}, a load balancer's or Kubernetes' probe sends a header.
 * Compared in constant time, so neither can be guessed byte by byte; the values are never part of a message.
 */
public final class ObserveCredentials {
    static final int MIN_LENGTH = 16;

    private final byte[] token;
    private final byte[] userAndPassword;

    private ObserveCredentials(String token, String username, String password) {
        this.token = token.isEmpty() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.userAndPassword = username.isEmpty() ? null : (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** The credentials the settings ask for; empty when none are set (the server is then open to whoever reaches it). */
    public static Optional<ObserveCredentials> of(Settings settings) {
        String token = settings.get(Setting.HTTP_TOKEN);
        String username = settings.get(Setting.HTTP_USERNAME);
        String password = settings.get(Setting.HTTP_PASSWORD);
        if (!token.isEmpty() && (token.length() < MIN_LENGTH || token.chars().anyMatch(Character::isWhitespace))) {
            throw new SettingsException(Setting.HTTP_TOKEN.key() + " must be at least " + MIN_LENGTH + " characters without spaces "
                    + "(e.g. the output of openssl rand -hex 16): set " + Setting.HTTP_TOKEN.environmentVariable() + ".");
        }
        if (username.isEmpty() != password.isEmpty()) {
            throw new SettingsException(username.isEmpty()
                    ? Setting.HTTP_PASSWORD.key() + " is set without " + Setting.HTTP_USERNAME.key() + ": basic auth needs both; set "
                            + Setting.HTTP_USERNAME.key() + ", or remove the password and use " + Setting.HTTP_TOKEN.key() + "."
                    : Setting.HTTP_USERNAME.key() + " is set without " + Setting.HTTP_PASSWORD.key() + ": basic auth needs both; set "
                            + Setting.HTTP_PASSWORD.environmentVariable() + " (at least " + MIN_LENGTH + " characters).");
        }
        if (username.contains(":")) {
            throw new SettingsException(Setting.HTTP_USERNAME.key() + " may not contain ':' (basic auth separates the user name "
                    + "from the password with it): choose another user name.");
        }
        if (!password.isEmpty() && password.length() < MIN_LENGTH) {
            throw new SettingsException(Setting.HTTP_PASSWORD.key() + " must be at least " + MIN_LENGTH + " characters (e.g. the "
                    + "output of openssl rand -hex 16): set " + Setting.HTTP_PASSWORD.environmentVariable() + ".");
        }
        if (token.isEmpty() && username.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ObserveCredentials(token, username, password));
    }

    /** Whether an Authorization header carries the token or the user name and password; a missing header never does. */
    public boolean admits(String authorization) {
        if (authorization == null) {
            return false;
        }
        String header = authorization.trim();
        int space = header.indexOf(' ');
        if (space < 0) {
            return false;
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String credentials = header.substring(space + 1).trim();
        if (scheme.equals("bearer") && token != null) {
            return MessageDigest.isEqual(token, credentials.getBytes(StandardCharsets.UTF_8));
        }
        if (scheme.equals("basic") && userAndPassword != null) {
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(credentials);
            } catch (IllegalArgumentException e) {
                return false;
            }
            return MessageDigest.isEqual(userAndPassword, decoded);
        }
        return false;
    }

    /** The WWW-Authenticate challenges of a 401: the schemes this server accepts, so a client knows what to send. */
    public List<String> challenges() {
        List<String> challenges = new ArrayList<>();
        if (token != null) {
            challenges.add("Bearer realm=\"minio-migrator\"");
        }
        if (userAndPassword != null) {
            challenges.add("Basic realm=\"minio-migrator\", charset=\"UTF-8\"");
        }
        return challenges;
    }

    /** What a client must send, by setting name (never by value): for the 401's body and the startup line. */
    public String describe() {
        List<String> ways = new ArrayList<>();
        if (token != null) {
            ways.add("the bearer token in " + Setting.HTTP_TOKEN.key());
        }
        if (userAndPassword != null) {
            ways.add("basic auth with " + Setting.HTTP_USERNAME.key() + " and " + Setting.HTTP_PASSWORD.key());
        }
        return String.join(" or ", ways);
    }

    @Override
    public String toString() {
        return "ObserveCredentials[" + describe() + "]";
    }
}
