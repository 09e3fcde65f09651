package dev.ringmaster.events.rollout;

/**
 * The rollout resumed; failed steps are tried again.
 */
public record RolloutResumed(String rolloutId, String application, int ring, String by) {}
