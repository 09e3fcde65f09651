package dev.ringmaster.events.rollout;

import dev.ringmaster.events.catalog.ClusterRef;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A person asked to roll an application out on one ring. Carries a full snapshot, so that the orchestrator needs
 * nothing else from the catalog: what it says here is what the rollout does, even if the catalog changes meanwhile.
 *
 * @param rolloutId the rollout's id (a UUID)
 * @param application the application
 * @param ring the ring to roll out on
 * @param requestedAt when the request was accepted
 * @param requestedBy who asked (free text; empty when unknown)
 * @param ringLabel the Fleet Cluster label that carries the ring
 * @param customizationPattern the ring's targetCustomization name pattern, e.g. {@code ring-{n}}
 * @param policy how failures are treated
 * @param services every service of the application, with its from and to version for this ring
 * @param clusters the clusters on the ring when the request was accepted
 */
public record RolloutRequested(
        String rolloutId,
        String application,
        int ring,
        OffsetDateTime requestedAt,
        String requestedBy,
        String ringLabel,
        String customizationPattern,
        RolloutPolicy policy,
        List<ServicePlan> services,
        List<ClusterRef> clusters) {}
