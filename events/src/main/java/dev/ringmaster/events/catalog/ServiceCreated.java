package dev.ringmaster.events.catalog;

import java.util.List;

/**
 * A service (one Git repository holding a fleet.yaml) was added to an application.
 *
 * @param application the owning application
 * @param service the service's name, unique within the application
 * @param repoUrl the Git repository (https, ssh or file URL; never with credentials)
 * @param branch the branch Fleet follows
 * @param path the folder of the fleet.yaml inside the repository ({@code .} for the root)
 * @param versionPath where the version lives in fleet.yaml, dotted (default {@code helm.values.image.tag})
 * @param currentVersion the version the service runs before any rollout
 * @param dependencies names of the services of the same application it depends on
 */
public record ServiceCreated(
        String application,
        String service,
        String repoUrl,
        String branch,
        String path,
        String versionPath,
        String currentVersion,
        List<String> dependencies) {}
