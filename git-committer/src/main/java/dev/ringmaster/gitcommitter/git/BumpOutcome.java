package dev.ringmaster.gitcommitter.git;

/** What carrying out a BumpVersion came to. */
public sealed interface BumpOutcome {

    /** The branch holds the version: {@code commit} set it ({@code changed}) or already held it. */
    record Committed(String commit, boolean changed) implements BumpOutcome {}

    /** It could not be done; {@code retryable} when the same command may work later unchanged. */
    record Failed(String reason, boolean retryable) implements BumpOutcome {}
}
