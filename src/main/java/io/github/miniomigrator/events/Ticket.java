package io.github.miniomigrator.events;

/** An event's claim on a later sync of the key it names: its stream's watermark stays at or below it until it converged. */
public record Ticket(Watermark stream, long position) {
    public void converged() {
        stream.converged(position);
    }
}
