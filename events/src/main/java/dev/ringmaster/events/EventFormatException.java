package dev.ringmaster.events;

/** A message that is not a well-formed Ringmaster event: terminal, retrying it cannot help. */
public class EventFormatException extends RuntimeException {
    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
