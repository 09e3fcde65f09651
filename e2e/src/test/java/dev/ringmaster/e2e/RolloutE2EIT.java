package dev.ringmaster.e2e;

import static dev.ringmaster.infra.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringmaster.fleetsim.Behaviour;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A rollout across the real processes: an application of six services (a; b and c depend on a; d on b and c; e on
 * d; f on nothing) on a ring of 50 clusters. Every commit comes after the last ClusterReady of all its
 * dependencies; the rollout succeeds; ring 1's clusters never change.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RolloutE2EIT {

    private static final Map<String, List<String>> SERVICES = new LinkedHashMap<>();
    private static final int RING0 = 50;
    private static final int RING1 = 5;
    private static final ResourceDefinitionContext BD = new ResourceDefinitionContext.Builder()
            .withGroup("fleet.cattle.io")
            .withVersion("v1alpha1")
            .withKind("BundleDeployment")
            .withPlural("bundledeployments")
            .withNamespaced(true)
            .build();

    static {
        SERVICES.put("a", List.of());
        SERVICES.put("b", List.of("a"));
        SERVICES.put("c", List.of("a"));
        SERVICES.put("d", List.of("b", "c"));
        SERVICES.put("e", List.of("d"));
        SERVICES.put("f", List.of());
    }

    private static Stack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = new Stack();
        for (String s : SERVICES.keySet()) {
            stack.git.createRepository(
                    s,
                    "main",
                    Map.of(
                            "fleet.yaml",
                                    "defaultNamespace: shop\nhelm:\n  chart: ./chart\n  values:\n    image:\n"
                                            + "      repository: registry.example.com/" + s
                                            + "\n      tag: \"1.0.0\"\n",
                            "chart/Chart.yaml", "name: " + s + "\nversion: 0.1.0\n"));
        }
        for (int i = 0; i < RING0; i++) {
            stack.fleet.addCluster(String.format("r0-%02d", i), Map.of());
        }
        for (int i = 0; i < RING1; i++) {
            stack.fleet.addCluster("r1-" + i, Map.of());
        }
        stack.startServices();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static List<GenericKubernetesResource> bundleDeployments(String cluster) {
        return stack.fleet
                .client()
                .genericKubernetesResources(BD)
                .inNamespace(stack.fleet.clusterNamespace(cluster))
                .list()
                .getItems();
    }

    @Test
    @Order(1)
    void aRingRollsOutInDependencyOrderToSuccessAndTheOtherRingNeverChanges() {
        stack.call("POST", "/applications", Map.of("name", "shop"), 201);
        SERVICES.forEach((s, deps) -> stack.call(
                "POST",
                "/applications/shop/services",
                Map.of("name", s, "repoUrl", stack.git.url(s), "currentVersion", "1.0.0", "dependsOn", deps),
                201));
        List<String> ring0 = new ArrayList<>();
        for (int i = 0; i < RING0; i++) {
            String name = String.format("r0-%02d", i);
            ring0.add(name);
            stack.call("POST", "/applications/shop/clusters", Map.of("name", name, "ring", 0), 201);
        }
        for (int i = 0; i < RING1; i++) {
            stack.call("POST", "/applications/shop/clusters", Map.of("name", "r1-" + i, "ring", 1), 201);
        }
        SERVICES.keySet()
                .forEach(s -> stack.call(
                        "PUT", "/applications/shop/services/" + s + "/plan", Map.of("version", "2.0.0"), 200));

        // Before the rollout: the watcher labelled every Fleet Cluster and made the GitRepos; Fleet deployed them.
        await().atMost(Duration.ofMinutes(2))
                .until(() -> bundleDeployments("r1-4").size() == SERVICES.size()
                        && bundleDeployments("r0-49").size() == SERVICES.size());
        Map<String, Object> ring1Before = new HashMap<>();
        for (int i = 0; i < RING1; i++) {
            bundleDeployments("r1-" + i)
                    .forEach(bd -> ring1Before.put(
                            bd.getMetadata().getNamespace() + "/"
                                    + bd.getMetadata().getName(),
                            ((Map<?, ?>) bd.getAdditionalProperties().get("spec")).get("deploymentID")));
        }
        assertThat(ring1Before).hasSize(RING1 * SERVICES.size());

        String id = stack.call("POST", "/applications/shop/rollouts", Map.of("ring", 0, "requestedBy", "e2e"), 201)
                .get("id")
                .asText();
        await().atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String phase = stack.get("/rollouts/" + id).get("phase").asText();
                    assertThat(phase).isIn("PENDING", "RUNNING", "SUCCEEDED");
                    return phase.equals("SUCCEEDED");
                });

        JsonNode rollout = stack.get("/rollouts/" + id);
        Map<String, OffsetDateTime> lastReady = new HashMap<>();
        Map<String, Long> lastReadySeq = new HashMap<>();
        Map<String, OffsetDateTime> started = new HashMap<>();
        Map<String, Long> startedSeq = new HashMap<>();
        Map<String, Integer> reported = new HashMap<>(); // clusters reported ready, per service
        for (JsonNode e : rollout.get("timeline")) {
            String type = e.get("type").asText();
            String service = e.get("data").path("service").asText();
            OffsetDateTime time = OffsetDateTime.parse(e.get("time").asText());
            long seq = e.get("seq").asLong();
            if (type.equals("clusters-ready")) {
                lastReady.merge(service, time, (x, y) -> x.isAfter(y) ? x : y);
                lastReadySeq.merge(service, seq, Math::max);
                reported.merge(service, e.get("data").get("clusters").size(), Integer::sum);
            } else if (type.equals("step-started")) {
                started.put(service, time);
                startedSeq.put(service, seq);
            }
        }
        for (JsonNode step : rollout.get("steps")) {
            assertThat(step.get("phase").asText()).isEqualTo("DONE");
            assertThat(step.get("ready").asInt()).isEqualTo(RING0);
            assertThat(reported.get(step.get("service").asText()))
                    .as("each cluster reported ready once")
                    .isEqualTo(RING0);
        }
        SERVICES.forEach((s, deps) -> {
            for (String d : deps) {
                assertThat(startedSeq.get(s))
                        .as("%s started after the last cluster of %s was ready", s, d)
                        .isGreaterThan(lastReadySeq.get(d));
                assertThat(started.get(s)).isAfterOrEqualTo(lastReady.get(d));
                // ...and so did its commit, in the repository's own history
                long committed = Long.parseLong(git(stack.git.repository(s), "log", "-1", "--format=%ct", "main")
                        .trim());
                assertThat(committed).isGreaterThanOrEqualTo(lastReady.get(d).toEpochSecond());
            }
            String body = git(stack.git.repository(s), "log", "-1", "--format=%B", "main");
            assertThat(body).contains("Rollout-Id: " + id, "Service: " + s, "Ring: 0", "Version: 2.0.0");
            assertThat(git(stack.git.repository(s), "rev-list", "--count", "main")
                            .trim())
                    .isEqualTo("2");
        });

        // Ring 1 never changed.
        Map<String, Object> ring1After = new HashMap<>();
        for (int i = 0; i < RING1; i++) {
            bundleDeployments("r1-" + i)
                    .forEach(bd -> ring1After.put(
                            bd.getMetadata().getNamespace() + "/"
                                    + bd.getMetadata().getName(),
                            ((Map<?, ?>) bd.getAdditionalProperties().get("spec")).get("deploymentID")));
        }
        assertThat(ring1After).isEqualTo(ring1Before);

        JsonNode matrix = stack.get("/applications/shop/versions");
        for (JsonNode row : matrix.get("services")) {
            assertThat(row.get("rings").get("0").asText()).isEqualTo("2.0.0");
            assertThat(row.get("rings").get("1").asText()).isEqualTo("1.0.0");
        }
        assertThat(ring0).hasSize(RING0);
    }

    private static String awaitPhase(String id, String phase, Duration within) {
        await().atMost(within)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> stack.get("/rollouts/" + id).get("phase").asText().equals(phase));
        return stack.get("/rollouts/" + id).path("reason").asText();
    }

    @Test
    @Order(2)
    void anErrAppliedClusterPausesTheRolloutWithTheReasonAndResumeCompletesIt() {
        stack.fleet.setBehaviour("r1-2", Behaviour.ERR_APPLIED);
        String id = stack.call("POST", "/applications/shop/rollouts", Map.of("ring", 1), 201)
                .get("id")
                .asText();
        String reason = awaitPhase(id, "PAUSED", Duration.ofMinutes(2));
        assertThat(reason).contains("r1-2 ErrApplied");
        stack.fleet.setBehaviour("r1-2", Behaviour.READY); // someone fixed the cluster
        stack.call("POST", "/rollouts/" + id + "/resume", Map.of("requestedBy", "e2e"), 202);
        awaitPhase(id, "SUCCEEDED", Duration.ofMinutes(3));
        JsonNode matrix = stack.get("/applications/shop/versions");
        for (JsonNode row : matrix.get("services")) {
            assertThat(row.get("rings").get("1").asText()).isEqualTo("2.0.0");
        }
    }

    @Test
    @Order(3)
    void aSilentClusterTimesOutAtTheDeadlineAndAbortEndsTheRollout() {
        stack.call("PUT", "/applications/shop/services/f/plan", Map.of("version", "3.0.0"), 200);
        stack.fleet.setBehaviour("r1-0", Behaviour.OFFLINE);
        String id = stack.call(
                        "POST",
                        "/applications/shop/rollouts",
                        Map.of("ring", 1, "policy", Map.of("clusterDeadline", "PT1M")),
                        201)
                .get("id")
                .asText();
        String reason = awaitPhase(id, "PAUSED", Duration.ofMinutes(3));
        assertThat(reason).contains("r1-0 TimedOut");
        JsonNode f = null;
        for (JsonNode step : stack.get("/rollouts/" + id).get("steps")) {
            if (step.get("service").asText().equals("f")) {
                f = step;
            }
        }
        assertThat(f.get("clusters").get("r1-0").asText()).isEqualTo("TimedOut");
        stack.call("POST", "/rollouts/" + id + "/abort", Map.of("reason", "enough"), 202);
        assertThat(awaitPhase(id, "ABORTED", Duration.ofMinutes(1))).isEqualTo("enough");
        stack.call("POST", "/rollouts/" + id + "/resume", Map.of(), 409);
        stack.fleet.setBehaviour("r1-0", Behaviour.READY);
    }
}
