package dev.ringmaster.events.fleet;

/**
 * A cluster failed to run the expected commit; {@code state} is Fleet's (ErrApplied, Modified, NotReady...). Keyed by rollout id.
 */
public record ClusterFailed(String rolloutId, String service, String cluster, String state, String message) {}
