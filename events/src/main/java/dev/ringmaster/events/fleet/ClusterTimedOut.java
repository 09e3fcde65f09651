package dev.ringmaster.events.fleet;

import java.time.OffsetDateTime;

/**
 * The deadline of an expectation passed before the cluster was ready. Keyed by rollout id.
 */
public record ClusterTimedOut(String rolloutId, String service, String cluster, OffsetDateTime deadline) {}
