package dev.ringmaster.gitcommitter.git;

import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.gitcommitter.config.CommitterConfig;
import dev.ringmaster.gitcommitter.domain.FleetYamlEditor;
import dev.ringmaster.gitcommitter.domain.FleetYamlException;
import dev.ringmaster.gitcommitter.domain.RingOverride;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.jboss.logging.Logger;

/**
 * Carries out a {@link BumpVersion}: fetch the branch, look for the command's trailers in the history, edit the ring's
 * override in fleet.yaml, commit on top of the fetched head and push with a compare-and-swap on that head. A push
 * refused because someone else pushed first starts again from the new head, so their commit is never lost; nothing is
 * ever force-pushed.
 *
 * <p>Exactly once: a command whose trailers ({@code Rollout-Id}, {@code Service}, {@code Ring}, {@code Version}) are
 * already in the history, or whose version the file already holds, is answered with that commit and {@code
 * changed=false}. So a crash after the push and before the answer does not commit twice on redelivery.
 */
@ApplicationScoped
public class VersionBumper {

    private static final Logger LOG = Logger.getLogger(VersionBumper.class);

    private final CommitterConfig.Git config;
    private final LocalRepositories repositories;
    private final Credentials credentials;

    public VersionBumper(CommitterConfig config, LocalRepositories repositories, Credentials credentials) {
        this.config = config.git();
        this.repositories = repositories;
        this.credentials = credentials;
    }

    public BumpOutcome bump(BumpVersion cmd) {
        ReentrantLock lock = repositories.lock(cmd.repoUrl());
        lock.lock();
        try (Repository repo = repositories.open(cmd.repoUrl())) {
            return bump(repo, cmd);
        } catch (IOException e) {
            return new BumpOutcome.Failed(
                    "error using the local copy of " + cmd.repoUrl() + ": " + e.getMessage(), true);
        } finally {
            lock.unlock();
        }
    }

    private BumpOutcome bump(Repository repo, BumpVersion cmd) {
        CredentialsProvider auth = credentials.forUrl(cmd.repoUrl());
        String file = cmd.path().equals(".") ? "fleet.yaml" : cmd.path() + "/fleet.yaml";
        RingOverride target =
                RingOverride.of(cmd.ring(), cmd.customizationPattern(), cmd.ringLabel(), cmd.versionPath());
        int pushes = 0;
        int transportFailures = 0;
        String lastTransportError = null;
        while (true) {
            try {
                ObjectId head = fetch(repo, cmd, auth);
                Optional<RevCommit> done = findTrailers(repo, head, cmd);
                if (done.isPresent()) {
                    return new BumpOutcome.Committed(done.get().name(), false);
                }
                FileAt current = read(repo, head, file, cmd.branch());
                FleetYamlEditor.Result edit = FleetYamlEditor.setVersion(current.text(), target, cmd.version());
                if (!edit.changed()) {
                    return new BumpOutcome.Committed(head.name(), false);
                }
                ObjectId commit = commit(repo, head, current, file, edit, cmd);
                RemoteRefUpdate.Status status = push(repo, cmd, auth, head, commit);
                if (status == RemoteRefUpdate.Status.OK) {
                    return new BumpOutcome.Committed(commit.name(), true);
                }
                pushes++;
                LOG.infof(
                        "push of %s to %s was refused (%s): someone pushed first; retrying on the new head",
                        cmd.service(), cmd.repoUrl(), status);
                if (pushes >= config.pushAttempts()) {
                    return new BumpOutcome.Failed(
                            "push to " + cmd.repoUrl() + " was refused " + pushes + " times: the branch " + cmd.branch()
                                    + " keeps moving",
                            true);
                }
                backoff(pushes);
            } catch (FleetYamlException e) {
                return new BumpOutcome.Failed(file + " on branch " + cmd.branch() + ": " + e.getMessage(), false);
            } catch (Terminal e) {
                return new BumpOutcome.Failed(e.getMessage(), false);
            } catch (GitAPIException | IOException | URISyntaxException e) {
                transportFailures++;
                lastTransportError = describe(e);
                LOG.warnf(
                        "error reaching %s (attempt %d of %d): %s",
                        cmd.repoUrl(), transportFailures, config.transportAttempts(), lastTransportError);
                if (transportFailures >= config.transportAttempts()) {
                    return new BumpOutcome.Failed(
                            "error reaching " + cmd.repoUrl() + " after " + transportFailures + " attempts: "
                                    + lastTransportError,
                            true);
                }
                backoff(transportFailures);
            }
        }
    }

    /** Fetches the branch; returns its head. */
    private ObjectId fetch(Repository repo, BumpVersion cmd, CredentialsProvider auth) throws GitAPIException {
        String remoteRef = Constants.R_HEADS + cmd.branch();
        FetchResult result;
        try {
            result = Git.wrap(repo)
                    .fetch()
                    .setRemote(cmd.repoUrl())
                    .setRefSpecs(new RefSpec("+" + remoteRef + ":refs/remotes/origin/" + cmd.branch()))
                    .setCredentialsProvider(auth)
                    .setTransportConfigCallback(t -> credentials.configure(t, cmd.repoUrl()))
                    .setTimeout(timeoutSeconds())
                    .call();
        } catch (TransportException e) {
            // JGit refuses an explicit refspec whose source the remote does not advertise: the branch is missing.
            if (MessageFormat.format(JGitText.get().remoteDoesNotHaveSpec, remoteRef)
                    .equals(e.getMessage())) {
                throw new Terminal("branch " + cmd.branch() + " does not exist in " + cmd.repoUrl());
            }
            throw e;
        }
        Ref ref = result.getAdvertisedRef(remoteRef);
        if (ref == null) {
            throw new Terminal("branch " + cmd.branch() + " does not exist in " + cmd.repoUrl());
        }
        return ref.getObjectId();
    }

    /** The newest commit within the search depth that carries the command's four trailers. */
    private Optional<RevCommit> findTrailers(Repository repo, ObjectId head, BumpVersion cmd) throws IOException {
        Map<String, String> wanted = Map.of(
                "Rollout-Id", cmd.rolloutId(),
                "Service", cmd.service(),
                "Ring", String.valueOf(cmd.ring()),
                "Version", cmd.version());
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(head));
            int seen = 0;
            for (RevCommit c : walk) {
                if (seen++ >= config.historyDepth()) {
                    break;
                }
                Map<String, String> footers = c.getFooterLines().stream()
                        .collect(Collectors.toMap(FooterLine::getKey, FooterLine::getValue, (a, b) -> b));
                if (wanted.entrySet().stream().allMatch(e -> e.getValue().equals(footers.get(e.getKey())))) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    private record FileAt(RevCommit commit, String text, FileMode mode) {}

    private FileAt read(Repository repo, ObjectId head, String file, String branch) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(head);
            try (TreeWalk tw = TreeWalk.forPath(repo, file, commit.getTree())) {
                if (tw == null) {
                    throw new Terminal("no " + file + " on branch " + branch);
                }
                FileMode mode = tw.getFileMode(0);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    throw new Terminal(file + " on branch " + branch + " is not a regular file");
                }
                byte[] bytes = repo.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes();
                try {
                    String text = StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes))
                            .toString();
                    return new FileAt(commit, text, mode);
                } catch (CharacterCodingException e) {
                    throw new Terminal(file + " on branch " + branch + " is not UTF-8 text");
                }
            }
        }
    }

    private ObjectId commit(
            Repository repo, ObjectId head, FileAt current, String file, FleetYamlEditor.Result edit, BumpVersion cmd)
            throws IOException {
        try (ObjectInserter ins = repo.newObjectInserter();
                ObjectReader reader = repo.newObjectReader()) {
            ObjectId blob = ins.insert(Constants.OBJ_BLOB, edit.text().getBytes(StandardCharsets.UTF_8));
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            builder.addTree(
                    new byte[0], DirCacheEntry.STAGE_0, reader, current.commit().getTree());
            builder.finish();
            DirCacheEditor editor = index.editor();
            editor.add(new DirCacheEditor.PathEdit(file) {
                @Override
                public void apply(DirCacheEntry entry) {
                    entry.setFileMode(current.mode());
                    entry.setObjectId(blob);
                }
            });
            editor.finish();
            PersonIdent who = new PersonIdent(config.authorName(), config.authorEmail());
            CommitBuilder c = new CommitBuilder();
            c.setTreeId(index.writeTree(ins));
            c.setParentId(head);
            c.setAuthor(who);
            c.setCommitter(who);
            c.setMessage(message(cmd, file, edit.previous()));
            ObjectId id = ins.insert(c);
            ins.flush();
            return id;
        }
    }

    static String message(BumpVersion cmd, String file, String previous) {
        String customization = cmd.customizationPattern().replace("{n}", String.valueOf(cmd.ring()));
        return "Roll out " + cmd.service() + " " + cmd.version() + " to ring " + cmd.ring() + "\n\n"
                + "Rollout " + cmd.rolloutId() + " of application " + cmd.application() + " sets "
                + cmd.versionPath() + "\nin the " + customization + " targetCustomization of " + file + " to "
                + cmd.version() + (previous == null ? " (a new override)" : " (was " + previous + ")") + ".\n\n"
                + "Rollout-Id: " + cmd.rolloutId() + "\n"
                + "Service: " + cmd.service() + "\n"
                + "Ring: " + cmd.ring() + "\n"
                + "Version: " + cmd.version() + "\n";
    }

    /** Pushes {@code commit} to the branch if the branch is still at {@code expected}. Never forces. */
    private RemoteRefUpdate.Status push(
            Repository repo, BumpVersion cmd, CredentialsProvider auth, ObjectId expected, ObjectId commit)
            throws IOException, URISyntaxException {
        String remoteRef = Constants.R_HEADS + cmd.branch();
        RemoteRefUpdate update = new RemoteRefUpdate(repo, null, commit, remoteRef, false, null, expected);
        try (Transport transport = Transport.open(repo, new URIish(cmd.repoUrl()))) {
            transport.setCredentialsProvider(auth);
            credentials.configure(transport, cmd.repoUrl());
            transport.setTimeout(timeoutSeconds());
            transport.push(NullProgressMonitor.INSTANCE, List.of(update));
        }
        RemoteRefUpdate.Status status = update.getStatus();
        return switch (status) {
            case OK -> status;
            case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED, REJECTED_OTHER_REASON -> status;
            default ->
                throw new IOException(
                        "push answered " + status + (update.getMessage() == null ? "" : ": " + update.getMessage()));
        };
    }

    private int timeoutSeconds() {
        return (int) Math.max(1, config.timeout().toSeconds());
    }

    private void backoff(int attempt) {
        long base = config.backoffInitial().toMillis() << Math.min(attempt - 1, 16);
        long wait = Math.min(config.backoffMax().toMillis(), base);
        wait = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
        try {
            Thread.sleep(wait); // backoff between attempts against a remote server
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String describe(Exception e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !s.toString().contains(c.getMessage())) {
                s.append(": ").append(c.getMessage());
            }
        }
        return s.toString();
    }

    /** A failure no retry can fix. */
    private static final class Terminal extends RuntimeException {
        Terminal(String message) {
            super(message);
        }
    }
}
