package dev.ringmaster.catalog.api;

import java.util.List;

/**
 * Body of {@code POST /api/v1/applications/{app}/services}.
 *
 * @param name a DNS-1123 label, unique in the application
 * @param repoUrl the Git repository (https, ssh or file; no credentials)
 * @param branch the branch Fleet follows (default {@code main})
 * @param path the folder of the fleet.yaml in the repository (default {@code .})
 * @param versionPath where the version lives in fleet.yaml (default {@code helm.values.image.tag})
 * @param currentVersion the version it runs now (an OCI tag)
 * @param dependsOn services of the same application it depends on (default none)
 */
public record ServiceRequest(
        String name,
        String repoUrl,
        String branch,
        String path,
        String versionPath,
        String currentVersion,
        List<String> dependsOn) {}
