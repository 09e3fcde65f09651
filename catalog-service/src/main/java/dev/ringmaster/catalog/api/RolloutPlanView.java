package dev.ringmaster.catalog.api;

import java.util.List;

/** What a rollout would do (the answer of a dry run), and what it does (part of a rollout's view). */
public record RolloutPlanView(
        String application,
        int ring,
        List<List<String>> layers,
        List<ServiceChange> services,
        List<String> clusters,
        PolicyView policy) {

    /** One service: where its version is set, from what to what, or why nothing happens. */
    public record ServiceChange(
            String service,
            String repoUrl,
            String branch,
            String file,
            String fromVersion,
            String toVersion,
            String action,
            List<String> dependsOn) {}

    public record PolicyView(String clusterDeadline, int toleratedFailures, String onFailure) {}
}
