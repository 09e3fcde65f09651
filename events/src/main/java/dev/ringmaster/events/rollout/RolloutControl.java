package dev.ringmaster.events.rollout;

/**
 * A person steered a running rollout.
 *
 * @param rolloutId the rollout
 * @param action what to do
 * @param reason why (free text; may be empty)
 * @param requestedBy who asked (free text; empty when unknown)
 */
public record RolloutControl(String rolloutId, Action action, String reason, String requestedBy) {

    /** What a person can ask of a rollout. */
    public enum Action {
        /** Start no new step; steps already deploying finish. */
        PAUSE,
        /** Continue a paused rollout, re-awaiting failed and timed-out clusters. */
        RESUME,
        /** End the rollout now; nothing is reverted. */
        ABORT
    }
}
