package dev.ringmaster.events.rollout;

/**
 * One cluster runs the service's new version. {@code ready} of {@code total} clusters are ready for the step.
 *
 * @deprecated no longer sent: the orchestrator sends {@link ClustersReady} (one event for the clusters it applied
 *     together). Kept so that rollout histories stored before the change still read.
 */
@Deprecated
public record ClusterReady(
        String rolloutId, String application, int ring, String service, String cluster, int ready, int total) {}
