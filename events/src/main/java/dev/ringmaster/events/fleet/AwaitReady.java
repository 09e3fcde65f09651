package dev.ringmaster.events.fleet;

import dev.ringmaster.events.catalog.ClusterRef;
import java.time.OffsetDateTime;

/**
 * Expectation for fleet-watcher: tell when {@code cluster} runs {@code commit} (or a descendant) of the service's
 * repository, or fails, or the deadline passes. Sent on {@code fleet.watches}, keyed by cluster name.
 */
public record AwaitReady(
        String rolloutId,
        String application,
        String service,
        String repoUrl,
        String path,
        String commit,
        String version,
        ClusterRef cluster,
        OffsetDateTime deadline) {}
