package dev.ringmaster.catalog.api;

import java.time.OffsetDateTime;
import java.util.List;

/** A service as the API shows it. {@code plannedVersion} is null when no rollout plan is set. */
public record ServiceView(
        String application,
        String name,
        String repoUrl,
        String branch,
        String path,
        String versionPath,
        String currentVersion,
        String plannedVersion,
        List<String> dependsOn,
        List<String> dependents,
        OffsetDateTime createdAt) {}
