package dev.ringmaster.events.rollout;

/**
 * A cluster of the rollout's snapshot left the ring (or was removed): it no longer counts.
 */
public record ClusterLeftRing(String rolloutId, String application, int ring, String cluster) {}
