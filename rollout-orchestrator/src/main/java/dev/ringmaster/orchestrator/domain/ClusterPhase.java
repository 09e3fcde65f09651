package dev.ringmaster.orchestrator.domain;

/** Where one cluster stands for one step. */
public enum ClusterPhase {
    /** Waiting for Fleet to report the new version ready. */
    PENDING,
    /** Runs the new version. */
    READY,
    /** Fleet reported a failure (ErrApplied, Modified, NotReady past the deadline...). */
    FAILED,
    /** The deadline passed before it was ready. */
    TIMED_OUT;

    public boolean isFailure() {
        return this == FAILED || this == TIMED_OUT;
    }
}
