package io.github.miniomigrator.logging;

import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Marks a log line that the command also prints on its own output: the log file keeps it, the console shows it once
 * (log4j2.xml's console appender denies this marker), not once from the command and again from the log.
 */
public final class Printed {
    public static final Marker ALSO = MarkerFactory.getMarker("PRINTED");

    private Printed() {
    }
}
