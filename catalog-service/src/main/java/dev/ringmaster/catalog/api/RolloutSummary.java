package dev.ringmaster.catalog.api;

import java.time.OffsetDateTime;

/** One row of the rollout history. */
public record RolloutSummary(
        String id,
        String application,
        int ring,
        String phase,
        String reason,
        String requestedBy,
        OffsetDateTime requestedAt,
        OffsetDateTime updatedAt) {}
