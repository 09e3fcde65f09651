package dev.ringmaster.orchestrator.domain;

/**
 * A cluster joined or left the rollout's ring while it ran (learned from catalog.events).
 *
 * @param cluster the cluster's name
 * @param joined true: it moved onto the ring (or was registered on it); false: it left the ring or was removed
 */
public record RingMembership(String cluster, boolean joined) {}
