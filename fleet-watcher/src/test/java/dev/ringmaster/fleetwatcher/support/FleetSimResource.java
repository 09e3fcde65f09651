package dev.ringmaster.fleetwatcher.support;

import dev.ringmaster.events.catalog.ServiceCreated;
import dev.ringmaster.fleetsim.FleetSimulator;
import dev.ringmaster.infra.GitHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real Git server with the service's repository, and the Fleet simulator (polling every 200 ms) with three
 * clusters that carry no labels yet: the watcher under test gives them their application and ring labels.
 */
public class FleetSimResource implements QuarkusTestResourceLifecycleManager {

    public static final String FLEET_YAML = """
            defaultNamespace: shop
            helm:
              chart: ./chart
              values:
                image: {repository: registry.example.com/web, tag: "1.0.0"}
            targetCustomizations:
            - name: ring-0
              clusterSelector: {matchLabels: {ring: "0"}}
              helm: {values: {image: {tag: "1.0.0"}}}
            - name: ring-1
              clusterSelector: {matchLabels: {ring: "1"}}
              helm: {values: {image: {tag: "1.0.0"}}}
            """;

    /** The catalog's fact that makes the watcher create the GitRepo {@code shop-web} for this repository. */
    public static ServiceCreated webService() {
        return new ServiceCreated(
                "shop", "web", repoUrl, "main", ".", "helm.values.image.tag", "1.0.0", java.util.List.of());
    }

    public static GitHttpServer git;
    public static FleetSimulator sim;
    public static String repoUrl;
    public static Path tmp;

    @Override
    public Map<String, String> start() {
        try {
            tmp = Files.createTempDirectory("fleet-watcher-test");
            git = GitHttpServer.start(tmp.resolve("repos"), "fleet", "s3cret");
            repoUrl = git.createRepository(
                    "web", "main", Map.of("fleet.yaml", FLEET_YAML, "chart/Chart.yaml", "name: web\n"));
            FleetSimulator.Config config = new FleetSimulator.Config(
                    "fleet-default",
                    Duration.ofMillis(200),
                    Duration.ZERO,
                    Duration.ZERO,
                    tmp.resolve("sim-cache"),
                    "fleet",
                    "s3cret");
            sim = FleetSimulator.start(config, 0);
            for (String c : new String[] {"c0a", "c0b", "c1a"}) {
                sim.addCluster(c, Map.of());
            }
            sim.runInBackground();
            return Map.of(
                    "ringmaster.fleet.api-url", sim.apiUrl(),
                    "ringmaster.git.username", "fleet",
                    "ringmaster.git.password", "s3cret");
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the Fleet simulator: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        sim.close();
        git.close();
    }
}
