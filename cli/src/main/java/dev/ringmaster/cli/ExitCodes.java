package dev.ringmaster.cli;

/** What ringctl's exit status means; scripts may rely on these. */
public final class ExitCodes {
    public static final int OK = 0;
    /** The server failed, could not be reached, or something unexpected happened. */
    public static final int ERROR = 1;
    /** Wrong command line, or input the server refused as invalid (400, 422). */
    public static final int USAGE = 2;
    /** What was named does not exist (404). */
    public static final int NOT_FOUND = 3;
    /** It exists already, or the change conflicts with the current state (409). */
    public static final int CONFLICT = 4;
    /** {@code rollout watch}: the rollout ended FAILED, ERRORED or ABORTED. */
    public static final int ROLLOUT_NOT_SUCCEEDED = 5;

    private ExitCodes() {}
}
