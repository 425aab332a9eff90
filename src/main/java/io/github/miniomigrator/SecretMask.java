package io.github.miniomigrator;

import java.util.Comparator;
import java.util.List;

/** Replaces every secret value in a text with asterisks: for anything printed or written that could hold one. */
public final class SecretMask {
    private final List<String> secrets;

    public SecretMask(List<String> secrets) {
        // longest first, so a secret that contains another is masked whole
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    public String apply(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, "****");
        }
        return masked;
    }
}
