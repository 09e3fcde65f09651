package dev.ringmaster.events.rollout;

/**
 * One cluster failed to run the service's new version ({@code state}: Fleet's state, or TimedOut).
 */
public record ClusterFailed(
        String rolloutId,
        String application,
        int ring,
        String service,
        String cluster,
        String state,
        String message,
        int failed,
        int total) {}
