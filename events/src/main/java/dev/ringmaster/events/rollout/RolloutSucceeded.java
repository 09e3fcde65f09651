package dev.ringmaster.events.rollout;

import java.util.Map;

/**
 * Every service of the rollout runs its new version on every cluster of the ring (tolerated failures aside).
 */
public record RolloutSucceeded(String rolloutId, String application, int ring, Map<String, String> versions) {}
