package dev.ringmaster.catalog.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** A rollout: its phase, its steps with per-cluster state, and its timeline. */
public record RolloutView(
        String id,
        String application,
        int ring,
        String phase,
        String reason,
        String requestedBy,
        OffsetDateTime requestedAt,
        OffsetDateTime updatedAt,
        RolloutPlanView.PolicyView policy,
        List<StepView> steps,
        List<String> clusters,
        List<TimelineEntry> timeline) {

    /** One service's step; {@code clusters} maps each cluster to PENDING, READY or its failure state. */
    public record StepView(
            String service,
            String phase,
            String fromVersion,
            String toVersion,
            String commit,
            int ready,
            int failed,
            int total,
            Map<String, String> clusters) {}
}
