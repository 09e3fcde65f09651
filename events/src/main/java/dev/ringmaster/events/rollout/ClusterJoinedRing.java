package dev.ringmaster.events.rollout;

/**
 * A cluster joined the ring during the rollout: reported, and left for the next rollout.
 */
public record ClusterJoinedRing(String rolloutId, String application, int ring, String cluster) {}
