package dev.ringmaster.gitcommitter.support;

import dev.ringmaster.infra.GitHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Map;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A real SSH Git server (JGit's, on Apache MINA sshd) that accepts one user's key, serving one bare repository; the
 * committer is configured with that key and a known_hosts file holding the server's host key.
 */
public class SshGitServerResource implements QuarkusTestResourceLifecycleManager {

    public static Path bare;
    public static String url;

    private SshTestGitServer server;
    private Repository repository;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("ssh-git");
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            KeyPair user = rsa.generateKeyPair();
            KeyPair host = rsa.generateKeyPair();
            Path key = dir.resolve("id_rsa");
            try (OutputStream out = Files.newOutputStream(key)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(user, "ringmaster-test", null, out);
            }
            bare = dir.resolve("web.git");
            GitHttpServer.createBareRepository(bare, "main", Map.of("fleet.yaml", "helm:\n  chart: ./chart\n"));
            repository = new FileRepositoryBuilder()
                    .setGitDir(bare.toFile())
                    .setBare()
                    .build();
            server = new SshTestGitServer("git", user.getPublic(), repository, host);
            int port = server.start();
            Path knownHosts = dir.resolve("known_hosts");
            Files.writeString(
                    knownHosts, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(host.getPublic()) + "\n");
            url = "ssh://git@127.0.0.1:" + port + "/web.git";
            return Map.of(
                    "ringmaster.git.ssh-private-key-file", key.toString(),
                    "ringmaster.git.ssh-known-hosts-file", knownHosts.toString());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the SSH Git server: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        try {
            server.stop();
        } catch (Exception ignored) {
            // the JVM is ending
        }
        repository.close();
    }
}
