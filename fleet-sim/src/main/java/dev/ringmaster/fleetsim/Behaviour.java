package dev.ringmaster.fleetsim;

/** How a simulated cluster's agent answers a new deployment: Fleet's real outcomes, switchable per cluster. */
public enum Behaviour {
    /** Applies, then reports ready: state Ready. */
    READY,
    /** Helm fails: Deployed=False, appliedDeploymentID stays old: state ErrApplied. */
    ERR_APPLIED,
    /** The agent is offline: nothing happens: state WaitApplied. */
    OFFLINE,
    /** Applies, never ready: state NotReady. */
    STUCK_NOT_READY,
    /** Helm times out waiting: applied, Installed=False, never ready: state NotReady. */
    HELM_TIMEOUT,
    /** Applies and is ready, then drifts: nonModified=false: state Modified. */
    MODIFIED,
    /** The controller holds the rollout (paused or throttled): deploymentID stays old: state OutOfSync. */
    PAUSED
}
