package dev.ringmaster.sandbox;

/** The sandbox cannot do what was asked; the message says what and where to look. */
public final class SandboxException extends RuntimeException {
    public SandboxException(String message) {
        super(message);
    }
}
