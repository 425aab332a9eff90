package io.github.miniomigrator.config;


/**
 * Whether request bodies go out as UNSIGNED-PAYLOAD (the default, as rclone sends, over http and https alike: the
 * body streams once and Content-MD5 carries its integrity) or with their SHA-256 signed. Preflight's canary decides:
 * a target that refuses unsigned bodies gets signed ones for the rest of the run.
 */
public final class PayloadSigning {
    private volatile boolean signed;

    public boolean signed() {
        return signed;
    }

    /** From now on every body is hashed and signed: bodies must be re-readable, so they are buffered rather than streamed. */
    public void signFromNowOn() {
        signed = true;
    }
}
