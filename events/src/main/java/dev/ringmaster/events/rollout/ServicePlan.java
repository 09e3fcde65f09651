package dev.ringmaster.events.rollout;

import java.util.List;

/**
 * One service of a rollout snapshot.
 *
 * @param service the service's name
 * @param repoUrl its Git repository
 * @param branch the branch Fleet follows
 * @param path the folder of its fleet.yaml
 * @param versionPath where the version lives in fleet.yaml
 * @param fromVersion the version the ring runs now
 * @param toVersion the version to roll out; equal to {@code fromVersion} (or null) when there is nothing to do
 * @param dependencies the services it depends on
 */
public record ServicePlan(
        String service,
        String repoUrl,
        String branch,
        String path,
        String versionPath,
        String fromVersion,
        String toVersion,
        List<String> dependencies) {}
