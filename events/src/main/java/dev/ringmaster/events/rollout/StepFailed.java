package dev.ringmaster.events.rollout;

/**
 * A service's step failed: more clusters failed than the policy tolerates, or its commit failed.
 */
public record StepFailed(
        String rolloutId, String application, int ring, String service, String reason, boolean retryable) {}
