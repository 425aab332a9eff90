package io.github.miniomigrator.command;

import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.store.StoreException;
import java.util.Optional;

/**
 * What a store's 403 means and what to do about it: a wrong secret or an unknown access key is a settings fix (the
 * store's SignatureDoesNotMatch, InvalidAccessKeyId), not a permission to grant; only AccessDenied (or a refusal
 * without a code) calls for a grant.
 */
final class AccessRefusal {
    /** A refusal that is about the keys themselves, not about what they may do. */
    enum WrongKey {
        /** SignatureDoesNotMatch: the store knows the access key, the secret is another. */
        SECRET,
        /** InvalidAccessKeyId: the store does not know the access key. */
        ACCESS_KEY
    }

    private AccessRefusal() {
    }

    /** Whether the store's answer says the secret or the access key is wrong (a settings fix); empty for anything else. */
    static Optional<WrongKey> wrongKey(Throwable e) {
        if (StoreException.status(e) != 403) {
            return Optional.empty();
        }
        return switch (StoreException.errorCode(e)) {
            case "SignatureDoesNotMatch" -> Optional.of(WrongKey.SECRET);
            case "InvalidAccessKeyId" -> Optional.of(WrongKey.ACCESS_KEY);
            default -> Optional.empty();
        };
    }

    /**
     * The advice for a 403, naming the side's settings; empty for any other answer.
     *
     * @param grant the permissions the refused step needs, as the store's policy language names them
     */
    static Optional<String> advice(StoreSide side, Throwable e, String grant) {
        if (StoreException.status(e) != 403) {
            return Optional.empty();
        }
        Optional<WrongKey> wrong = wrongKey(e);
        String accessKey = side.accessKey().key();
        String secretKey = side.secretKey().key();
        if (wrong.equals(Optional.of(WrongKey.SECRET))) {
            return Optional.of(Messages.text("cli.access.wrong-secret", SideWords.of(side), secretKey, accessKey,
                    side.secretKey().environmentVariable()));
        }
        if (wrong.equals(Optional.of(WrongKey.ACCESS_KEY))) {
            return Optional.of(Messages.text("cli.access.unknown-key", SideWords.of(side), accessKey, side.endpoint().key(), secretKey));
        }
        return Optional.of(Messages.text("cli.access.denied", accessKey, grant));
    }
}
