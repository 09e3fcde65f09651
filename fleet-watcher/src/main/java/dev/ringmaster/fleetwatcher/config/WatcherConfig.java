package dev.ringmaster.fleetwatcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything fleet-watcher reads under {@code ringmaster.*}; each key can be set by environment variable. */
@ConfigMapping(prefix = "ringmaster")
public interface WatcherConfig {

    /** The CloudEvents {@code source} of every event this service publishes. */
    @WithDefault("/ringmaster/fleet-watcher")
    String eventSource();

    Fleet fleet();

    Git git();

    interface Fleet {
        /**
         * The Fleet manager's Kubernetes API URL. Unset: fabric8's usual discovery (in a pod its service account,
         * else ~/.kube/config or KUBECONFIG). (RINGMASTER_FLEET_API_URL)
         */
        Optional<String> apiUrl();

        /** A bearer token for the API, with {@link #apiUrl()} (never logged). (RINGMASTER_FLEET_TOKEN) */
        Optional<String> token();

        /** The Fleet workspace where GitRepos are kept. (RINGMASTER_FLEET_WORKSPACE) */
        @WithDefault("fleet-default")
        String workspace();

        /** How often deadlines are checked. */
        @WithDefault("1s")
        Duration tick();
    }

    interface Git {
        /** Local copies used to tell whether a commit descends from another. (RINGMASTER_GIT_CACHE) */
        @WithDefault("data/fleet-watcher-git")
        String cache();

        /** HTTPS credentials for reading repositories (never logged). (RINGMASTER_GIT_USERNAME / _PASSWORD) */
        Optional<String> username();

        Optional<String> password();
    }
}
