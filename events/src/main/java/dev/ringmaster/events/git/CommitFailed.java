package dev.ringmaster.events.git;

/**
 * git-committer could not set the version. Sent on {@code git.events}, keyed by repository URL.
 *
 * @param commandId the command this answers
 * @param rolloutId the rollout
 * @param application the application
 * @param service the service
 * @param ring the ring
 * @param repoUrl the repository
 * @param version the version it tried to set
 * @param reason what went wrong, for a person (never a secret)
 * @param retryable true when the same command may succeed later unchanged (server unreachable, authentication
 *     refused); false when someone must change the repository or the catalog first (no fleet.yaml, YAML that cannot
 *     be edited, no such branch)
 */
public record CommitFailed(
        String commandId,
        String rolloutId,
        String application,
        String service,
        int ring,
        String repoUrl,
        String version,
        String reason,
        boolean retryable) {}
