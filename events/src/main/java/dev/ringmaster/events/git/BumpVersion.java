package dev.ringmaster.events.git;

/**
 * Command to git-committer: set one service's version for one ring in its fleet.yaml, commit and push. Sent on
 * {@code git.commands}, keyed by repository URL, so one committer instance serialises the writes to one repository.
 *
 * @param commandId unique per command and stable across redeliveries; echoed in the answer
 * @param rolloutId the rollout the bump belongs to (the {@code Rollout-Id} trailer)
 * @param application the application
 * @param service the service (the {@code Service} trailer)
 * @param ring the ring whose override is set (the {@code Ring} trailer)
 * @param repoUrl the Git repository
 * @param branch the branch to commit to
 * @param path the folder of the fleet.yaml in the repository ({@code .} for the root)
 * @param versionPath where the version lives inside the ring's targetCustomization, dotted
 * @param version the version to set (the {@code Version} trailer)
 * @param ringLabel the Fleet Cluster label that carries the ring, for a new override's clusterSelector
 * @param customizationPattern the name of the ring's targetCustomization, {@code {n}} standing for the ring
 */
public record BumpVersion(
        String commandId,
        String rolloutId,
        String application,
        String service,
        int ring,
        String repoUrl,
        String branch,
        String path,
        String versionPath,
        String version,
        String ringLabel,
        String customizationPattern) {}
