package io.github.miniomigrator.hooks;

import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The hooks the routes offer (routes/hook-*.yaml): each a migration.hooks.* setting naming any Camel endpoint URI, and a
 * route {@code hook-<name>} that exists only when it is set. The routes that have an outcome call a hook's route in a
 * {@code choice} with {@code precondition: true}: decided once at start, so an unset hook costs nothing per object.
 */
public enum Hook {
    COPY_FAILED(Setting.HOOK_COPY_FAILED),
    OBJECT_COPIED(Setting.HOOK_OBJECT_COPIED),
    OBJECT_DELETED(Setting.HOOK_OBJECT_DELETED),
    DELETE_FAILED(Setting.HOOK_DELETE_FAILED),
    PASS_FINISHED(Setting.HOOK_PASS_FINISHED),
    CUTOVER_FINISHED(Setting.HOOK_CUTOVER_FINISHED);

    private static final String PREFIX = "migration.hooks.";
    /** A Camel endpoint URI starts with its component's name and a colon: direct:x, kafka:topic, https://host/path. */
    private static final Pattern ENDPOINT = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:\\S+");

    /** The shipped robot route's endpoint (routes/robot.yaml). */
    static final String ROBOT = "direct:robot";
    private static final Pattern ROBOT_URL = Pattern.compile("https?://\\S+");
    private final Setting setting;

    Hook(Setting setting) {
        this.setting = setting;
    }

    /** copy-failed, object-copied …: the setting's last part, the route's {@code hook-} suffix. */
    public String hookName() {
        return setting.key().substring(PREFIX.length());
    }

    public Setting setting() {
        return setting;
    }

    /** The property the routes' preconditions read: {@code minio-migrator.hooks.<name>-enabled}. */
    public String enabledProperty() {
        return "minio-migrator.hooks." + hookName() + "-enabled";
    }

    /** Each hook's precondition property: true where its setting names an endpoint. */
    public static void addProperties(Settings settings, Properties properties) {
        for (Hook hook : values()) {
            properties.put(hook.enabledProperty(), String.valueOf(!settings.get(hook.setting).isBlank()));
        }
        properties.put("minio-migrator.robot-enabled", String.valueOf(!settings.get(Setting.HOOK_ROBOT_URL).isBlank()));
    }

    /**
     * Refuses a hook that is not an endpoint URI before Camel would (its message would show the URI, which may hold a
     * robot's key or a broker's password: the settings are secret, so this names the setting, never the value).
     */
    public static void check(Settings settings) {
        for (Hook hook : values()) {
            String uri = settings.get(hook.setting).strip();
            if (!uri.isEmpty() && !ENDPOINT.matcher(uri).matches()) {
                throw new SettingsException(io.github.miniomigrator.i18n.Messages.text("cli.hook.not-an-endpoint", hook.setting.key()));
            }
            if (uri.equals(ROBOT) && settings.get(Setting.HOOK_ROBOT_URL).isBlank()) {
                throw new SettingsException(io.github.miniomigrator.i18n.Messages.text("cli.hook.robot-unset", hook.setting.key(),
                        Setting.HOOK_ROBOT_URL.key(), Setting.HOOK_ROBOT_URL.environmentVariable()));
            }
        }
        String robot = settings.get(Setting.HOOK_ROBOT_URL).strip();
        if (!robot.isEmpty() && !ROBOT_URL.matcher(robot).matches()) {
            throw new SettingsException(io.github.miniomigrator.i18n.Messages.text("cli.hook.robot-not-http", Setting.HOOK_ROBOT_URL.key()));
        }
    }
}
