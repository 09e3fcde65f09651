package dev.ringmaster.gitcommitter.git;

import dev.ringmaster.gitcommitter.config.CommitterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.jboss.logging.Logger;

/**
 * One local bare repository per remote URL under the work folder: a cache of the remote's objects, so that a fetch
 * only brings what is new. There is no working tree to leave half-edited: commits are built from objects. A copy that
 * cannot be opened is thrown away and made again. Each has a lock, held while a command works on it.
 */
@ApplicationScoped
public class LocalRepositories {

    private static final Logger LOG = Logger.getLogger(LocalRepositories.class);

    private final Path root;
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public LocalRepositories(CommitterConfig config) {
        this.root = Path.of(config.git().workdir()).toAbsolutePath();
    }

    /** The lock of a remote's local copy. */
    public ReentrantLock lock(String repoUrl) {
        return locks.computeIfAbsent(repoUrl, u -> new ReentrantLock());
    }

    /** The local copy of {@code repoUrl}, created on first use. Close it after use. */
    public Repository open(String repoUrl) throws IOException {
        Path dir = root.resolve(folderName(repoUrl));
        if (Files.isDirectory(dir)) {
            try {
                Repository repo = new FileRepositoryBuilder()
                        .setGitDir(dir.toFile())
                        .setBare()
                        .setMustExist(true)
                        .build();
                repo.getObjectDatabase().newReader().close();
                return repo;
            } catch (IOException | RuntimeException e) {
                LOG.warnf("local copy %s is damaged (%s); making it again", dir, e.getMessage());
                deleteTree(dir);
            }
        }
        Files.createDirectories(dir.getParent());
        Repository repo =
                new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        repo.create(true);
        return repo;
    }

    /** A stable folder name: a readable tail of the URL and a hash of all of it. */
    static String folderName(String repoUrl) {
        String tail = repoUrl.replaceAll("\\.git$", "").replaceAll(".*[/:]", "").replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(repoUrl.getBytes(StandardCharsets.UTF_8));
            return tail + "-" + HexFormat.of().formatHex(hash, 0, 8) + ".git";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
