package dev.ringmaster.events.rollout;

/**
 * The rollout paused: no new step starts until it is resumed. {@code by} is a person, or empty when the policy paused it.
 */
public record RolloutPaused(String rolloutId, String application, int ring, String reason, String by) {}
