package io.github.miniomigrator.hooks;

/**
 * What a hook endpoint receives, as the exchange property {@value #PROPERTY}: an object's outcome, a pass's report, a
 * cutover's result. The hook routes send its JSON; a robot's message is made from its line.
 */
public interface HookPayload {
    /** The exchange property a route step leaves its payload in (Simple: {@code ${exchangeProperty.MigrationResult.key}}). */
    String PROPERTY = "MigrationResult";
    /** The header every route step that has an outcome sets: the one thing a hook's filter looks at, per object. */
    String OUTCOME = "MigrationOutcome";

    /** One JSON object, the same shape every time for one hook. */
    String json();

    /** One line for a person, in the process's language (migration.language): a robot's message. */
    String line();
}
