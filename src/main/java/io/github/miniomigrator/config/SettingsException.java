package io.github.miniomigrator.config;

/** A setting is missing or wrong; the message names the setting and what to do. */
public class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }
}
