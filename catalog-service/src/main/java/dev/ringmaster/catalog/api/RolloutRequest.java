package dev.ringmaster.catalog.api;

import java.time.Duration;

/**
 * Body of {@code POST /api/v1/applications/{app}/rollouts}.
 *
 * @param ring the ring to roll out on
 * @param policy how failures are treated (optional: 15 minutes per cluster, none tolerated, pause)
 * @param requestedBy who asks (optional, free text)
 */
public record RolloutRequest(Integer ring, Policy policy, String requestedBy) {

    /**
     * @param clusterDeadline ISO-8601 duration, 1 minute to 24 hours (default PT15M)
     * @param toleratedFailures failed clusters a step tolerates (default 0)
     * @param onFailure PAUSE (default) or FAIL
     */
    public record Policy(Duration clusterDeadline, Integer toleratedFailures, String onFailure) {}
}
