package io.github.miniomigrator.command;

import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.i18n.Messages;

/** "source" and "target" in the output's language, for the messages that name a side. */
final class SideWords {
    private SideWords() {
    }

    static String of(StoreSide side) {
        return side == StoreSide.SOURCE ? Messages.text("cli.side.source") : Messages.text("cli.side.target");
    }
}
