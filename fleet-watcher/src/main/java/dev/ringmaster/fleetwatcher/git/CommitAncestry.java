package dev.ringmaster.fleetwatcher.git;

import dev.ringmaster.fleetwatcher.config.WatcherConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.jboss.logging.Logger;

/**
 * Answers "does commit A have commit B as an ancestor?" from a cached bare copy of the repository, fetching only
 * when a commit is not known yet. Asked only when a BundleDeployment's commit label differs from the expected one.
 */
@ApplicationScoped
public class CommitAncestry {

    private static final Logger LOG = Logger.getLogger(CommitAncestry.class);

    private final Path cache;
    private final UsernamePasswordCredentialsProvider credentials;
    private final Map<String, Boolean> answers = new ConcurrentHashMap<>();

    public CommitAncestry(WatcherConfig config) {
        this.cache = Path.of(config.git().cache()).toAbsolutePath();
        this.credentials = config.git().password().isPresent()
                ? new UsernamePasswordCredentialsProvider(
                        config.git().username().orElse("x-access-token"),
                        config.git().password().get())
                : null;
    }

    /** Whether {@code candidate} has {@code ancestor} in its history (false when either cannot be found). */
    public boolean descends(String repoUrl, String candidate, String ancestor) {
        String key = repoUrl + "|" + candidate + "|" + ancestor;
        Boolean known = answers.get(key);
        if (known != null) {
            return known;
        }
        synchronized (this) {
            try (Repository repo = open(repoUrl)) {
                if (!has(repo, candidate) || !has(repo, ancestor)) {
                    Git.wrap(repo)
                            .fetch()
                            .setRemote(repoUrl)
                            .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"))
                            .setCredentialsProvider(credentials)
                            .call();
                }
                if (!has(repo, candidate) || !has(repo, ancestor)) {
                    return false;
                }
                try (RevWalk walk = new RevWalk(repo)) {
                    boolean result = walk.isMergedInto(
                            walk.parseCommit(ObjectId.fromString(ancestor)),
                            walk.parseCommit(ObjectId.fromString(candidate)));
                    answers.put(key, result);
                    return result;
                }
            } catch (Exception e) {
                LOG.warnf(
                        "cannot tell whether %s descends from %s in %s: %s",
                        candidate, ancestor, repoUrl, e.getMessage());
                return false;
            }
        }
    }

    private static boolean has(Repository repo, String sha) {
        try {
            return repo.getObjectDatabase().has(ObjectId.fromString(sha));
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    private Repository open(String url) throws Exception {
        String name = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)), 0, 8);
        Path dir = cache.resolve(name + ".git");
        Files.createDirectories(cache);
        Repository repo =
                new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!Files.exists(dir.resolve("config"))) {
            repo.create(true);
        }
        return repo;
    }
}
