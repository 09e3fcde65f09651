package dev.ringmaster.e2e;

import static dev.ringmaster.infra.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.fleet.FleetNames;
import dev.ringmaster.fleetsim.FleetSimulator;
import dev.ringmaster.infra.EmbeddedKafka;
import dev.ringmaster.infra.GitHttpServer;
import dev.ringmaster.infra.ServiceProcess;
import dev.ringmaster.infra.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Three fleet-watcher instances share 1,000 clusters through the partitions of fleet.watches; one is killed while
 * every expectation waits. The survivors take its partitions, receive its unanswered expectations again, and every
 * cluster that becomes ready is answered. (A cluster answered just before the kill may be answered twice: the
 * orchestrator takes the first answer per cluster and ignores the rest.)
 */
class WatcherFailoverIT {

    private static final int CLUSTERS = 1000;
    private static final EventCodec CODEC = new EventCodec();

    @Test
    void killingOneOfThreeWatchersMidWaitLosesNoCluster() throws Exception {
        Path dir = Files.createTempDirectory("watcher-failover");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                GitHttpServer gitServer = GitHttpServer.start(dir.resolve("repos"), "u", "p")) {
            kafka.createTopics(6, List.of(Topics.FLEET_WATCHES, Topics.FLEET_EVENTS));
            String url = gitServer.createRepository(
                    "web",
                    "main",
                    Map.of(
                            "fleet.yaml", "helm:\n  chart: ./chart\n  values:\n    image: {tag: \"1.0.0\"}\n",
                            "chart/Chart.yaml", "name: web\n"));
            // Agents apply at once and are ready 20 s later: long enough to kill a watcher while all wait.
            FleetSimulator.Config config = new FleetSimulator.Config(
                    "fleet-default",
                    Duration.ofMillis(500),
                    Duration.ZERO,
                    Duration.ofSeconds(20),
                    dir.resolve("sim-git"),
                    "u",
                    "p");
            try (FleetSimulator sim = FleetSimulator.start(config, 0)) {
                for (int i = 0; i < CLUSTERS; i++) {
                    sim.addCluster(String.format("c%04d", i), Map.of(FleetNames.applicationLabel("shop"), "true"));
                }
                sim.addGitRepo(
                        FleetNames.gitRepoName("shop", "web"),
                        url,
                        "main",
                        List.of("."),
                        List.of(Map.of(
                                "clusterSelector",
                                Map.of("matchLabels", Map.of(FleetNames.applicationLabel("shop"), "true")))));
                sim.runInBackground();

                List<ServiceProcess> watchers = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    watchers.add(ServiceProcess.start(
                            "fleet-watcher-" + i,
                            Path.of("..", "fleet-watcher", "target", "quarkus-app", "quarkus-run.jar"),
                            Map.of(
                                    "KAFKA_BOOTSTRAP_SERVERS",
                                    kafka.bootstrapServers(),
                                    "RINGMASTER_FLEET_API_URL",
                                    sim.apiUrl(),
                                    "RINGMASTER_GIT_CACHE",
                                    dir.resolve("watcher-git-" + i).toString(),
                                    "RINGMASTER_GIT_USERNAME",
                                    "u",
                                    "RINGMASTER_GIT_PASSWORD",
                                    "p"),
                            Path.of("target/e2e-logs"),
                            Duration.ofSeconds(90)));
                }
                try (TopicReader answers = new TopicReader(kafka.bootstrapServers(), Topics.FLEET_EVENTS)) {
                    Path work = dir.resolve("work");
                    git(dir, "clone", "-q", url.replace("http://", "http://u:p@"), work.toString());
                    Files.writeString(
                            work.resolve("fleet.yaml"),
                            Files.readString(work.resolve("fleet.yaml")).replace("1.0.0", "2.0.0"));
                    git(work, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qam", "2.0.0");
                    git(work, "push", "-q", "origin", "main");
                    String commit = git(work, "rev-parse", "HEAD").trim();

                    List<Map.Entry<String, String>> expectations = new ArrayList<>();
                    for (int i = 0; i < CLUSTERS; i++) {
                        String c = String.format("c%04d", i);
                        CloudEvent e = CODEC.wrap(
                                "/test",
                                "r-failover",
                                new AwaitReady(
                                        "r-failover",
                                        "shop",
                                        "web",
                                        url,
                                        ".",
                                        commit,
                                        "2.0.0",
                                        new ClusterRef(c, 0, "fleet-default", c),
                                        OffsetDateTime.now().plusMinutes(10)));
                        expectations.add(Map.entry(c, CODEC.encode(e)));
                    }
                    TopicReader.sendStructured(kafka.bootstrapServers(), Topics.FLEET_WATCHES, expectations);
                    // Kill one instance while the agents are not ready yet.
                    await().atMost(Duration.ofSeconds(15))
                            .until(() -> sim.client()
                                    .genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                                    .inNamespace(sim.clusterNamespace("c0999"))
                                    .withName(FleetNames.gitRepoName("shop", "web"))
                                    .get()
                                    .getMetadata()
                                    .getLabels()
                                    .get("fleet.cattle.io/commit")
                                    .equals(commit));
                    assertThat(answers.awaitCaughtUp(Duration.ofSeconds(30)).records())
                            .as("nothing is ready before the kill")
                            .isEmpty();
                    watchers.get(0).kill();

                    answers.awaitUntil(r -> readyClusters(answers).size() == CLUSTERS, Duration.ofMinutes(3));
                    Map<String, Integer> perCluster = new HashMap<>();
                    for (var r : answers.records()) {
                        Object p = CODEC.payload(CODEC.decode(r.value()));
                        assertThat(p).isInstanceOf(ClusterReady.class);
                        perCluster.merge(((ClusterReady) p).cluster(), 1, Integer::sum);
                    }
                    assertThat(perCluster).hasSize(CLUSTERS);
                    System.out.printf(
                            "watcher failover: %d clusters answered, %d duplicate answers%n",
                            CLUSTERS, answers.records().size() - CLUSTERS);
                } finally {
                    watchers.forEach(ServiceProcess::close);
                }
            }
        }
    }

    private static java.util.Set<String> readyClusters(TopicReader reader) {
        java.util.Set<String> ready = new java.util.HashSet<>();
        for (String v : reader.values()) {
            if (CODEC.payload(CODEC.decode(v)) instanceof ClusterReady r) {
                ready.add(r.cluster());
            }
        }
        return ready;
    }
}
