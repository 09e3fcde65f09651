package dev.ringmaster.events.rollout;

import java.time.Duration;

/**
 * How a rollout treats clusters that fail.
 *
 * @param clusterDeadline how long one cluster may take to run a new version before it counts as timed out
 * @param toleratedFailures how many failed or timed-out clusters a step tolerates and still completes
 * @param onFailure what the rollout does when a step has more failures than tolerated
 */
public record RolloutPolicy(Duration clusterDeadline, int toleratedFailures, OnFailure onFailure) {

    /** The defaults: 15 minutes per cluster, no failure tolerated, pause on failure. */
    public static final RolloutPolicy DEFAULT = new RolloutPolicy(Duration.ofMinutes(15), 0, OnFailure.PAUSE);

    /** What a rollout does when a step fails. */
    public enum OnFailure {
        /** Stop starting new steps and wait for a person to resume or abort. */
        PAUSE,
        /** End the rollout as FAILED. */
        FAIL
    }
}
