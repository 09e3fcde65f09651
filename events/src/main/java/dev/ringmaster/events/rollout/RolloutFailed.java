package dev.ringmaster.events.rollout;

/**
 * The rollout ended as FAILED: a step failed and the policy says FAIL.
 */
public record RolloutFailed(String rolloutId, String application, int ring, String reason) {}
