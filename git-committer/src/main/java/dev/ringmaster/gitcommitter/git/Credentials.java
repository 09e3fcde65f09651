package dev.ringmaster.gitcommitter.git;

import dev.ringmaster.gitcommitter.config.CommitterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Chooses how to log in to a repository, by its host: HTTPS basic auth or a token, or an SSH private key checked
 * against a known_hosts file. Configured per host or once for all; never logged, never put in an event.
 */
@ApplicationScoped
public class Credentials {

    private final CommitterConfig.Git config;
    private final Map<String, SshdSessionFactory> sshSessions = new ConcurrentHashMap<>();

    public Credentials(CommitterConfig config) {
        this.config = config.git();
    }

    /** The HTTPS credentials for {@code repoUrl}, or null when none are configured (anonymous). */
    public CredentialsProvider forUrl(String repoUrl) {
        String host = host(repoUrl);
        CommitterConfig.HostCredentials own =
                host == null ? null : config.hosts().get(host);
        if (own != null && own.password().isPresent()) {
            return new UsernamePasswordCredentialsProvider(
                    own.username(), own.password().get());
        }
        if (config.password().isPresent()) {
            return new UsernamePasswordCredentialsProvider(
                    config.username().orElse("x-access-token"),
                    config.password().get());
        }
        return null;
    }

    /** Sets up a transport for {@code repoUrl}: the SSH key and known hosts, where the transport is SSH. */
    public void configure(Transport transport, String repoUrl) {
        if (transport instanceof SshTransport ssh) {
            sshKey(repoUrl).ifPresent(key -> ssh.setSshSessionFactory(sshSessions.computeIfAbsent(key, this::session)));
        }
    }

    private Optional<String> sshKey(String repoUrl) {
        String host = host(repoUrl);
        CommitterConfig.HostCredentials own =
                host == null ? null : config.hosts().get(host);
        if (own != null && own.sshPrivateKeyFile().isPresent()) {
            return own.sshPrivateKeyFile();
        }
        return config.sshPrivateKeyFile();
    }

    private SshdSessionFactory session(String keyFile) {
        Path key = Path.of(keyFile).toAbsolutePath();
        File sshDir = new File(System.getProperty("user.home"), ".ssh");
        SshdSessionFactoryBuilder builder = new SshdSessionFactoryBuilder()
                .setHomeDirectory(new File(System.getProperty("user.home")))
                .setSshDirectory(sshDir)
                .setDefaultIdentities(dir -> List.of(key));
        config.sshKnownHostsFile()
                .ifPresent(hosts -> builder.setDefaultKnownHostsFiles(
                        dir -> List.of(Path.of(hosts).toAbsolutePath())));
        return builder.build(null);
    }

    static String host(String repoUrl) {
        try {
            String host = URI.create(repoUrl).getHost();
            if (host != null) {
                return host;
            }
        } catch (IllegalArgumentException notAUri) {
            // user@host:path below
        }
        int at = repoUrl.indexOf('@');
        int colon = repoUrl.indexOf(':', at + 1);
        return at >= 0 && colon > at ? repoUrl.substring(at + 1, colon) : null;
    }
}
