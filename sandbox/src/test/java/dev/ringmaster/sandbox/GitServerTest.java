package dev.ringmaster.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's Git server, spoken to by a real Git client (JGit's HTTP transport) and, where present, git. */
class GitServerTest {

    @TempDir
    Path tmp;

    @Test
    void clonesAndTakesPushesOverSmartHttpBehindBasicAuth() throws Exception {
        try (GitServer server = GitServer.start(tmp.resolve("repos"), 0, "u", "p")) {
            String url = server.createRepository("svc", "main", SampleApp.files("svc", 3));
            UsernamePasswordCredentialsProvider creds = new UsernamePasswordCredentialsProvider("u", "p");
            Path work = tmp.resolve("work");
            try (Git git = Git.cloneRepository()
                    .setURI(url)
                    .setDirectory(work.toFile())
                    .setCredentialsProvider(creds)
                    .call()) {
                assertThat(Files.readString(work.resolve("fleet.yaml")))
                        .contains("name: ring-2")
                        .contains("tag: \"1.0.0\"");
                Files.writeString(work.resolve("fleet.yaml"), "defaultNamespace: changed\n");
                git.commit()
                        .setAll(true)
                        .setMessage("change")
                        .setAuthor(new PersonIdent("t", "t@example.com"))
                        .setCommitter(new PersonIdent("t", "t@example.com"))
                        .call();
                git.push().setCredentialsProvider(creds).call();
            }
            Path again = tmp.resolve("again");
            try (Git git = Git.cloneRepository()
                    .setURI(url)
                    .setDirectory(again.toFile())
                    .setCredentialsProvider(creds)
                    .call()) {
                Iterable<RevCommit> log = git.log().call();
                assertThat(log).extracting(RevCommit::getShortMessage).containsExactly("change", "Initial version");
                assertThat(Files.readString(again.resolve("fleet.yaml"))).isEqualTo("defaultNamespace: changed\n");
            }
            assertThatThrownBy(() -> Git.cloneRepository()
                            .setURI(url)
                            .setDirectory(tmp.resolve("denied").toFile())
                            .setCredentialsProvider(new UsernamePasswordCredentialsProvider("u", "wrong"))
                            .call())
                    .isInstanceOf(TransportException.class);
            assertThatThrownBy(() -> Git.cloneRepository()
                            .setURI(server.url("missing"))
                            .setDirectory(tmp.resolve("missing").toFile())
                            .setCredentialsProvider(creds)
                            .call())
                    .isInstanceOf(org.eclipse.jgit.api.errors.InvalidRemoteException.class);
        }
    }

    @Test
    void theGitCommandLineClientClonesToo() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                new ProcessBuilder("git", "--version").start().waitFor() == 0, "git is not installed");
        try (GitServer server = GitServer.start(tmp.resolve("repos"), 0, "u", "p")) {
            server.createRepository("svc", "main", Map.of("a.txt", "hello\n"));
            String url = server.url("svc").replace("http://", "http://u:p@");
            Process p = new ProcessBuilder(
                            "git", "clone", "-q", url, tmp.resolve("c").toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor()).as(out).isZero();
            assertThat(Files.readString(tmp.resolve("c/a.txt"))).isEqualTo("hello\n");
        }
    }
}
