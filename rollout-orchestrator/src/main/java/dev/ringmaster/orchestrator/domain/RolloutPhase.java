package dev.ringmaster.orchestrator.domain;

/** Where a rollout stands. */
public enum RolloutPhase {
    /** Requested; the orchestrator has not taken it yet. */
    PENDING,
    /** Steps start as their dependencies finish. */
    RUNNING,
    /** No new step starts (a person asked, or a step failed and the policy says pause); deploying steps finish. */
    PAUSED,
    /** Every service runs its new version on every counted cluster of the ring. */
    SUCCEEDED,
    /** A step failed (clusters failed or timed out beyond the tolerance) and the policy says fail. */
    FAILED,
    /** A technical failure no retry fixes, e.g. a commit failed terminally. */
    ERRORED,
    /** A person ended it. Nothing is reverted. */
    ABORTED;

    /** Whether nothing can change this rollout any more. */
    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == ERRORED || this == ABORTED;
    }
}
