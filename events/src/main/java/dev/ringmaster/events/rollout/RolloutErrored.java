package dev.ringmaster.events.rollout;

/**
 * The rollout ended as ERRORED: a technical failure no retry fixes (e.g. a commit failed terminally).
 */
public record RolloutErrored(String rolloutId, String application, int ring, String reason) {}
