package io.github.miniomigrator.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import io.github.miniomigrator.SecretMask;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;

/**
 * The log layout masks secrets itself: {@code %maskedMessage} writes the message and any exception with every
 * registered secret value replaced by ****, whichever library wrote the line.
 */
@Plugin(name = "SecretMaskingConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"maskedMessage"})
public final class SecretMaskingConverter extends LogEventPatternConverter {
    private static final List<String> SECRETS = new CopyOnWriteArrayList<>();
    private static volatile SecretMask mask = new SecretMask(List.of());

    private SecretMaskingConverter() {
        super("maskedMessage", "maskedMessage");
    }

    public static SecretMaskingConverter newInstance(String[] options) {
        return new SecretMaskingConverter();
    }

    /** Secret values to mask from now on (settings marked secret, values a cutover plan resolves). */
    public static void register(List<String> secrets) {
        for (String secret : secrets) {
            if (secret != null && !SECRETS.contains(secret)) {
                SECRETS.add(secret);
            }
        }
        mask = new SecretMask(SECRETS);
    }

    public static String mask(String text) {
        return mask.apply(text);
    }

    @Override
    public void format(LogEvent event, StringBuilder out) {
        StringBuilder line = new StringBuilder(event.getMessage().getFormattedMessage());
        Throwable thrown = event.getThrown();
        if (thrown != null) {
            StringWriter trace = new StringWriter();
            thrown.printStackTrace(new PrintWriter(trace));
            line.append(System.lineSeparator()).append(trace);
        }
        out.append(mask(line.toString()));
    }

    @Override
    public boolean handlesThrowable() {
        return true;
    }
}
