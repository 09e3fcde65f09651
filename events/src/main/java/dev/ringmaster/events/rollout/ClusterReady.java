package dev.ringmaster.events.rollout;

/**
 * One cluster runs the service's new version. {@code ready} of {@code total} clusters are ready for the step.
 */
public record ClusterReady(
        String rolloutId, String application, int ring, String service, String cluster, int ready, int total) {}
