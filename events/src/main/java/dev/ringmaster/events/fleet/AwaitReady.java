package dev.ringmaster.events.fleet;

import dev.ringmaster.events.catalog.ClusterRef;
import java.time.OffsetDateTime;

/**
 * Expectation for fleet-watcher: tell when {@code cluster} runs {@code commit} (or a descendant) of the service's
 * repository, or fails, or the deadline passes. Sent on {@code fleet.watches}, keyed by cluster name.
 *
 * <p>{@code failuresSince} (optional): a failure Fleet reported before this time does not count. It is set when a
 * cluster is awaited again after a resume, while Fleet may still show the failure that caused the pause.
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
        OffsetDateTime deadline,
        OffsetDateTime failuresSince) {

    /** A first expectation: any failure Fleet reports counts. */
    public AwaitReady(
            String rolloutId,
            String application,
            String service,
            String repoUrl,
            String path,
            String commit,
            String version,
            ClusterRef cluster,
            OffsetDateTime deadline) {
        this(rolloutId, application, service, repoUrl, path, commit, version, cluster, deadline, null);
    }
}
