package dev.ringmaster.events.rollout;

import java.util.List;

/**
 * Clusters that now run the service's new version: those whose answers the orchestrator applied together (one or
 * many), in the order they became ready. After them {@code ready} of {@code total} clusters are ready for the step.
 *
 * <p>Replaces one {@link ClusterReady} per cluster: a ring of 10,000 clusters made 10,000 of those per service, each
 * stored, relayed, projected and offered to every subscription. Consumers fold {@code clusters} as they folded
 * {@code cluster} and read {@code ready}/{@code total} as before.
 */
public record ClustersReady(
        String rolloutId, String application, int ring, String service, List<String> clusters, int ready, int total) {

    public ClustersReady {
        clusters = List.copyOf(clusters);
    }
}
