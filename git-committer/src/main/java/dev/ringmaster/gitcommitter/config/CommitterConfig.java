package dev.ringmaster.gitcommitter.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything git-committer reads under {@code ringmaster.*}. Each key can be set by environment variable. */
@ConfigMapping(prefix = "ringmaster")
public interface CommitterConfig {

    /** The CloudEvents {@code source} of every event this service publishes. */
    @WithDefault("/ringmaster/git-committer")
    String eventSource();

    Git git();

    interface Git {
        /** Where the local copies (bare repositories) live; kept across restarts. (RINGMASTER_GIT_WORKDIR) */
        @WithDefault("data/git-committer")
        String workdir();

        /** Author and committer name of the commits. (RINGMASTER_GIT_AUTHOR_NAME) */
        @WithDefault("Ringmaster")
        String authorName();

        /** Author and committer e-mail of the commits. (RINGMASTER_GIT_AUTHOR_EMAIL) */
        @WithDefault("ringmaster@localhost")
        String authorEmail();

        /** How often a push refused because someone else pushed first is retried on the new head. */
        @WithDefault("20")
        int pushAttempts();

        /** How often an unreachable server or a refused login is tried before answering CommitFailed(retryable). */
        @WithDefault("3")
        int transportAttempts();

        /** First wait between attempts; doubled each time, with jitter. */
        @WithDefault("200ms")
        Duration backoffInitial();

        /** Longest wait between attempts. */
        @WithDefault("5s")
        Duration backoffMax();

        /** Network timeout of one fetch or push. */
        @WithDefault("30s")
        Duration timeout();

        /** How many commits back the history is searched for a command's trailers. */
        @WithDefault("1000")
        int historyDepth();

        /**
         * Credentials used for every host without its own entry in {@link #hosts()}: HTTPS basic auth, or a token as
         * the password. (RINGMASTER_GIT_USERNAME, RINGMASTER_GIT_PASSWORD)
         */
        Optional<String> username();

        Optional<String> password();

        /**
         * The SSH private key (OpenSSH or PEM file) for ssh:// and user@host:path repositories without their own entry
         * in {@link #hosts()}. (RINGMASTER_GIT_SSH_PRIVATE_KEY_FILE)
         */
        Optional<String> sshPrivateKeyFile();

        /**
         * The known_hosts file that vouches for SSH servers. Without it the user's ~/.ssh/known_hosts is used; an
         * unknown server is refused. (RINGMASTER_GIT_SSH_KNOWN_HOSTS_FILE)
         */
        Optional<String> sshKnownHostsFile();

        /** Credentials per host name, e.g. {@code ringmaster.git.hosts."github.com".password=<token>}. */
        Map<String, HostCredentials> hosts();
    }

    interface HostCredentials {
        /** User name (for a token: any non-empty name the server accepts, e.g. {@code x-access-token}). */
        @WithDefault("x-access-token")
        String username();

        /** Password or token, for HTTPS. */
        Optional<String> password();

        /** SSH private key file, for SSH. */
        Optional<String> sshPrivateKeyFile();
    }
}
