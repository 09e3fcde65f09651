package dev.ringmaster.gitcommitter.git;

import dev.ringmaster.gitcommitter.config.CommitterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** Chooses the credentials for a repository URL by its host. Never logs them. */
@ApplicationScoped
public class Credentials {

    private final CommitterConfig.Git config;

    public Credentials(CommitterConfig config) {
        this.config = config.git();
    }

    /** The credentials for {@code repoUrl}, or null when none are configured (anonymous). */
    public CredentialsProvider forUrl(String repoUrl) {
        String host = host(repoUrl);
        if (host != null && config.hosts().containsKey(host)) {
            CommitterConfig.HostCredentials c = config.hosts().get(host);
            return new UsernamePasswordCredentialsProvider(c.username(), c.password());
        }
        if (config.password().isPresent()) {
            return new UsernamePasswordCredentialsProvider(
                    config.username().orElse("x-access-token"),
                    config.password().get());
        }
        return null;
    }

    static String host(String repoUrl) {
        try {
            return URI.create(repoUrl).getHost();
        } catch (IllegalArgumentException e) {
            int at = repoUrl.indexOf('@');
            int colon = repoUrl.indexOf(':', at + 1);
            return at >= 0 && colon > at ? repoUrl.substring(at + 1, colon) : null;
        }
    }
}
