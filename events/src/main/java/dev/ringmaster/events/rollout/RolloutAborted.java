package dev.ringmaster.events.rollout;

/**
 * A person aborted the rollout. Nothing is reverted.
 */
public record RolloutAborted(String rolloutId, String application, int ring, String reason, String by) {}
