package dev.ringmaster.orchestrator.domain;

/** Where one service's step stands. */
public enum StepPhase {
    /** Waiting for the services it depends on. */
    WAITING,
    /** BumpVersion sent; waiting for the commit. */
    COMMITTING,
    /** Committed; waiting for the ring's clusters (n of m ready). */
    DEPLOYING,
    /** Every counted cluster runs the new version (tolerated failures aside). */
    DONE,
    /** Nothing to change (no plan, or the plan equals the current version). Counts as done for dependents. */
    SKIPPED,
    /** Its commit failed, or more clusters failed than tolerated. A resume tries it again. */
    FAILED;

    /** Whether dependents may start. */
    public boolean isDone() {
        return this == DONE || this == SKIPPED;
    }
}
