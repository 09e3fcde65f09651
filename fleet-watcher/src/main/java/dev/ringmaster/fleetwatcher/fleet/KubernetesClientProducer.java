package dev.ringmaster.fleetwatcher.fleet;

import dev.ringmaster.fleetwatcher.config.WatcherConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The client of the Fleet manager's API, configured at run time: {@code ringmaster.fleet.api-url} (and token) when
 * set, else fabric8's discovery (in-cluster service account, kubeconfig). Quarkus fixes its own client's URL at
 * build time, which a packaged service cannot then point elsewhere.
 */
public class KubernetesClientProducer {

    @Produces
    @Singleton
    KubernetesClient client(WatcherConfig config) {
        if (config.fleet().apiUrl().isEmpty()) {
            return new KubernetesClientBuilder().build();
        }
        ConfigBuilder b = new ConfigBuilder(Config.empty())
                .withMasterUrl(config.fleet().apiUrl().get());
        config.fleet().token().ifPresent(b::withOauthToken);
        return new KubernetesClientBuilder().withConfig(b.build()).build();
    }

    void close(@Disposes KubernetesClient client) {
        client.close();
    }
}
