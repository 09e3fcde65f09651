package dev.ringmaster.events.fleet;

/**
 * A cluster runs the expected commit (or a descendant) and reports ready. Sent on {@code fleet.events}, keyed by rollout id.
 */
public record ClusterReady(String rolloutId, String service, String cluster, String commit) {}
