package dev.ringmaster.fleetsim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/** Reads the real Git repositories of the GitRepos, as Fleet's gitjob does: one bare copy per URL, fetched. */
final class GitSource implements AutoCloseable {

    private final Path cache;
    private final UsernamePasswordCredentialsProvider credentials;
    private final Map<String, Repository> repos = new ConcurrentHashMap<>();

    GitSource(Path cache, String user, String password) {
        this.cache = cache;
        this.credentials = user == null ? null : new UsernamePasswordCredentialsProvider(user, password);
    }

    /**
     * The head commit of {@code branch}, fetched. As Fleet's gitjob polls: the remote's refs are listed first, and only
     * a head this copy does not hold yet is fetched (a pass over unchanged repositories costs one ref listing each).
     */
    String head(String url, String branch) throws IOException {
        Repository repo = repo(url);
        try {
            Ref advertised = Git.lsRemoteRepository()
                    .setRemote(url)
                    .setHeads(true)
                    .setCredentialsProvider(credentials)
                    .callAsMap()
                    .get(Constants.R_HEADS + branch);
            if (advertised != null && repo.getObjectDatabase().has(advertised.getObjectId())) {
                return advertised.getObjectId().name();
            }
            var result = Git.wrap(repo)
                    .fetch()
                    .setRemote(url)
                    .setRefSpecs(new RefSpec("+refs/heads/" + branch + ":refs/remotes/origin/" + branch))
                    .setCredentialsProvider(credentials)
                    .call();
            Ref ref = result.getAdvertisedRef(Constants.R_HEADS + branch);
            if (ref == null) {
                throw new IOException("no branch " + branch + " in " + url);
            }
            return ref.getObjectId().name();
        } catch (GitAPIException e) {
            throw new IOException("cannot fetch " + url + ": " + e.getMessage(), e);
        }
    }

    /** The files under {@code path} at {@code commit}, path relative to it -> text. */
    Map<String, String> files(String url, String commit, String path) throws IOException {
        Repository repo = repo(url);
        Map<String, String> files = new LinkedHashMap<>();
        String prefix = path.equals(".") ? "" : path.endsWith("/") ? path : path + "/";
        try (RevWalk walk = new RevWalk(repo);
                TreeWalk tw = new TreeWalk(repo)) {
            tw.addTree(walk.parseCommit(ObjectId.fromString(commit)).getTree());
            tw.setRecursive(true);
            if (!prefix.isEmpty()) {
                tw.setFilter(PathFilter.create(prefix.substring(0, prefix.length() - 1)));
            }
            while (tw.next()) {
                String rel = tw.getPathString().substring(prefix.length());
                files.put(rel, new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

    private Repository repo(String url) throws IOException {
        Repository existing = repos.get(url);
        if (existing != null) {
            return existing;
        }
        Path dir = cache.resolve(Integer.toHexString(url.hashCode()) + ".git");
        Files.createDirectories(cache);
        Repository repo =
                new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!Files.exists(dir.resolve("config"))) {
            repo.create(true);
        }
        repos.put(url, repo);
        return repo;
    }

    @Override
    public void close() {
        repos.values().forEach(Repository::close);
    }
}
