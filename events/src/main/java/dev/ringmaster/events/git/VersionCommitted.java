package dev.ringmaster.events.git;

/**
 * The repository holds the version for the ring: git-committer pushed a commit, or found that an earlier delivery of
 * the same command (or a person) already had. Sent on {@code git.events}, keyed by repository URL.
 *
 * @param commandId the command this answers
 * @param rolloutId the rollout
 * @param application the application
 * @param service the service
 * @param ring the ring
 * @param repoUrl the repository
 * @param version the version now in the file
 * @param commit the full SHA of the commit that set it ({@code changed}) or of the branch head that holds it
 * @param changed true when this command pushed a new commit; false when nothing needed to change
 */
public record VersionCommitted(
        String commandId,
        String rolloutId,
        String application,
        String service,
        int ring,
        String repoUrl,
        String version,
        String commit,
        boolean changed) {}
