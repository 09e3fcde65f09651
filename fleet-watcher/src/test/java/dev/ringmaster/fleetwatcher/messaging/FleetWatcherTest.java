package dev.ringmaster.fleetwatcher.messaging;

import static dev.ringmaster.infra.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.catalog.ClusterRegistered;
import dev.ringmaster.events.catalog.ClusterRingChanged;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.fleet.ClusterFailed;
import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.fleet.ClusterTimedOut;
import dev.ringmaster.fleetsim.Behaviour;
import dev.ringmaster.fleetwatcher.service.Watcher;
import dev.ringmaster.fleetwatcher.support.FleetSimResource;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.TopicReader;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The watcher against the Fleet simulator and a real Git server, through the real broker. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = FleetSimResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetWatcherTest {

    @Inject
    Watcher watcher;

    private static final EventCodec CODEC = new EventCodec();
    private static final ResourceDefinitionContext CLUSTER = ctx("Cluster", "clusters");
    private static final ResourceDefinitionContext GITREPO = ctx("GitRepo", "gitrepos");
    private static final ResourceDefinitionContext BD = ctx("BundleDeployment", "bundledeployments");
    private static Path work;

    private final String broker = KafkaTestResource.bootstrapServers();

    private static ResourceDefinitionContext ctx(String kind, String plural) {
        return new ResourceDefinitionContext.Builder()
                .withGroup("fleet.cattle.io")
                .withVersion("v1alpha1")
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }

    @BeforeAll
    static void workingCopy() throws Exception {
        work = Files.createTempDirectory("person");
        git(work, "clone", "-q", FleetSimResource.repoUrl.replace("http://", "http://fleet:s3cret@"), "w");
        work = work.resolve("w");
    }

    private void send(String topic, String key, Object payload) {
        CloudEvent e = CODEC.wrap("/test", key, payload);
        TopicReader.sendStructured(broker, topic, List.of(Map.entry(key, CODEC.encode(e))));
    }

    private static String push(int ring, String version) throws Exception {
        Path f = work.resolve("fleet.yaml");
        String text = Files.readString(f);
        String marker = "- name: ring-" + ring;
        int at = text.indexOf(marker);
        int tag = text.indexOf("tag: \"", at) + 6;
        text = text.substring(0, tag) + version + text.substring(text.indexOf('"', tag));
        Files.writeString(f, text);
        git(
                work,
                "-c",
                "user.name=P",
                "-c",
                "user.email=p@example.com",
                "commit",
                "-qam",
                "ring " + ring + " " + version);
        git(work, "push", "-q", "origin", "main");
        return git(work, "rev-parse", "HEAD").trim();
    }

    private static AwaitReady expectation(String rollout, String cluster, int ring, String commit, Duration within) {
        return new AwaitReady(
                rollout,
                "shop",
                "web",
                FleetSimResource.repoUrl,
                ".",
                commit,
                "v",
                new ClusterRef(cluster, ring, "fleet-default", cluster),
                OffsetDateTime.now().plus(within));
    }

    private static GenericKubernetesResource bd(String cluster) {
        return FleetSimResource.sim
                .client()
                .genericKubernetesResources(BD)
                .inNamespace(FleetSimResource.sim.clusterNamespace(cluster))
                .withName("shop-web")
                .get();
    }

    private List<Object> answers(TopicReader reader, String rollout) {
        return reader.values().stream()
                .map(CODEC::decode)
                .filter(e -> rollout.equals(e.subject()))
                .map(CODEC::payload)
                .toList();
    }

    @Test
    @Order(1)
    void catalogFactsBecomeFleetLabelsAndAGitRepo() {
        send(
                Topics.CATALOG_EVENTS,
                "shop",
                new ClusterRegistered("shop", new ClusterRef("c0a", 0, "fleet-default", "c0a"), "ring"));
        send(
                Topics.CATALOG_EVENTS,
                "shop",
                new ClusterRegistered("shop", new ClusterRef("c0b", 0, "fleet-default", "c0b"), "ring"));
        send(
                Topics.CATALOG_EVENTS,
                "shop",
                new ClusterRegistered("shop", new ClusterRef("c1a", 1, "fleet-default", "c1a"), "ring"));
        send(Topics.CATALOG_EVENTS, "shop", FleetSimResource.webService());
        var clusters = FleetSimResource.sim
                .client()
                .genericKubernetesResources(CLUSTER)
                .inNamespace("fleet-default");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(clusters.withName("c0a").get().getMetadata().getLabels())
                    .containsEntry("app.ringmaster.dev/shop", "true")
                    .containsEntry("ring", "0");
            assertThat(clusters.withName("c1a").get().getMetadata().getLabels()).containsEntry("ring", "1");
        });
        GenericKubernetesResource repo = FleetSimResource.sim
                .client()
                .genericKubernetesResources(GITREPO)
                .inNamespace("fleet-default")
                .withName("shop-web")
                .get();
        assertThat(repo).isNotNull();
        assertThat(repo.getAdditionalProperties().get("spec").toString())
                .contains(FleetSimResource.repoUrl, "app.ringmaster.dev/shop");
        await().atMost(Duration.ofSeconds(30)).until(() -> bd("c0a") != null && bd("c0b") != null && bd("c1a") != null);
    }

    @Test
    @Order(2)
    void clustersOnTheNewCommitAreReported() throws Exception {
        String commit = push(0, "1.1.0");
        try (TopicReader events = new TopicReader(broker, Topics.FLEET_EVENTS)) {
            send(Topics.FLEET_WATCHES, "c0a", expectation("r-ready", "c0a", 0, commit, Duration.ofMinutes(1)));
            send(Topics.FLEET_WATCHES, "c0b", expectation("r-ready", "c0b", 0, commit, Duration.ofMinutes(1)));
            events.awaitUntil(r -> answers(events, "r-ready").size() == 2, Duration.ofSeconds(30));
            assertThat(answers(events, "r-ready")).allSatisfy(a -> assertThat(a).isInstanceOf(ClusterReady.class));
            assertThat(bd("c0a").getMetadata().getLabels()).containsEntry("fleet.cattle.io/commit", commit);
        }
    }

    @Test
    @Order(3)
    void anErrAppliedClusterIsReportedFailed() throws Exception {
        FleetSimResource.sim.setBehaviour("c0b", Behaviour.ERR_APPLIED);
        String commit = push(0, "1.2.0");
        try (TopicReader events = new TopicReader(broker, Topics.FLEET_EVENTS)) {
            send(Topics.FLEET_WATCHES, "c0b", expectation("r-err", "c0b", 0, commit, Duration.ofMinutes(1)));
            events.awaitUntil(r -> answers(events, "r-err").size() == 1, Duration.ofSeconds(30));
            ClusterFailed f = (ClusterFailed) answers(events, "r-err").get(0);
            assertThat(f.state()).isEqualTo("ErrApplied");
            assertThat(f.message()).contains("helm upgrade failed");
        } finally {
            FleetSimResource.sim.setBehaviour("c0b", Behaviour.READY);
        }
    }

    @Test
    @Order(4)
    void aSilentClusterTimesOutAtItsDeadline() throws Exception {
        FleetSimResource.sim.setBehaviour("c1a", Behaviour.OFFLINE);
        String commit = push(1, "1.3.0");
        try (TopicReader events = new TopicReader(broker, Topics.FLEET_EVENTS)) {
            send(Topics.FLEET_WATCHES, "c1a", expectation("r-timeout", "c1a", 1, commit, Duration.ofSeconds(3)));
            events.awaitUntil(r -> answers(events, "r-timeout").size() == 1, Duration.ofSeconds(30));
            assertThat(answers(events, "r-timeout").get(0)).isInstanceOf(ClusterTimedOut.class);
        } finally {
            FleetSimResource.sim.setBehaviour("c1a", Behaviour.READY);
        }
    }

    @Test
    @Order(5)
    void aSupersedingCommitStillAnswersTheEarlierExpectation() throws Exception {
        String first = push(0, "1.4.0");
        String second = push(0, "1.5.0");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> second.equals(bd("c0a").getMetadata().getLabels().get("fleet.cattle.io/commit")));
        try (TopicReader events = new TopicReader(broker, Topics.FLEET_EVENTS)) {
            send(Topics.FLEET_WATCHES, "c0a", expectation("r-superseded", "c0a", 0, first, Duration.ofMinutes(1)));
            events.awaitUntil(r -> answers(events, "r-superseded").size() == 1, Duration.ofSeconds(30));
            ClusterReady ready = (ClusterReady) answers(events, "r-superseded").get(0);
            assertThat(ready.commit()).isEqualTo(first);
        }
    }

    @Test
    @Order(6)
    void aRingChangeRelabelsTheFleetClusterAndFleetRetargetsIt() {
        send(
                Topics.CATALOG_EVENTS,
                "shop",
                new ClusterRingChanged("shop", new ClusterRef("c1a", 0, "fleet-default", "c1a"), 1, "ring"));
        var clusters = FleetSimResource.sim
                .client()
                .genericKubernetesResources(CLUSTER)
                .inNamespace("fleet-default");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "0"
                        .equals(clusters.withName("c1a")
                                .get()
                                .getMetadata()
                                .getLabels()
                                .get("ring")));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Object ring0 = ((Map<?, ?>) bd("c0a").getAdditionalProperties().get("spec")).get("deploymentID");
            Object moved = ((Map<?, ?>) bd("c1a").getAdditionalProperties().get("spec")).get("deploymentID");
            return ring0.equals(moved);
        });
    }

    @Test
    @Order(7)
    void everyOtherFailureSwitchGivesItsAnswer() throws Exception {
        // All three clusters are on ring 0 now.
        FleetSimResource.sim.setBehaviour("c0a", Behaviour.MODIFIED);
        FleetSimResource.sim.setBehaviour("c0b", Behaviour.STUCK_NOT_READY);
        FleetSimResource.sim.setBehaviour("c1a", Behaviour.HELM_TIMEOUT);
        String commit = push(0, "1.6.0");
        try (TopicReader events = new TopicReader(broker, Topics.FLEET_EVENTS)) {
            for (String c : List.of("c0a", "c0b", "c1a")) {
                send(Topics.FLEET_WATCHES, c, expectation("r-switches-" + c, c, 0, commit, Duration.ofSeconds(4)));
            }
            events.awaitUntil(
                    r -> answers(events, "r-switches-c0a").size() == 1
                            && answers(events, "r-switches-c0b").size() == 1
                            && answers(events, "r-switches-c1a").size() == 1,
                    Duration.ofSeconds(30));
            ClusterFailed modified =
                    (ClusterFailed) answers(events, "r-switches-c0a").get(0);
            assertThat(modified.state()).isEqualTo("Modified");
            ClusterFailed stuck =
                    (ClusterFailed) answers(events, "r-switches-c0b").get(0);
            assertThat(stuck.state()).as("not ready at the deadline").isEqualTo("NotReady");
            ClusterFailed helm =
                    (ClusterFailed) answers(events, "r-switches-c1a").get(0);
            assertThat(helm.state()).isEqualTo("NotReady");
            assertThat(helm.message()).contains("timed out waiting for the condition");
        } finally {
            for (String c : List.of("c0a", "c0b", "c1a")) {
                FleetSimResource.sim.setBehaviour(c, Behaviour.READY);
            }
        }
        FleetSimResource.sim.setBehaviour("c0a", Behaviour.PAUSED);
        String held = push(0, "1.7.0");
        try (TopicReader events = new TopicReader(broker, Topics.FLEET_EVENTS)) {
            send(Topics.FLEET_WATCHES, "c0a", expectation("r-held", "c0a", 0, held, Duration.ofSeconds(4)));
            events.awaitUntil(r -> answers(events, "r-held").size() == 1, Duration.ofSeconds(30));
            assertThat(answers(events, "r-held").get(0))
                    .as("held back by the rollout strategy (OutOfSync) until the deadline")
                    .isInstanceOf(ClusterTimedOut.class);
        } finally {
            FleetSimResource.sim.setBehaviour("c0a", Behaviour.READY);
        }
    }

    /**
     * One BundleDeployment turning ready answers every expectation waiting on it at once: 2,000 answers in one go
     * (more than the emitter's default buffer of 128 and the sink's 1,024 in flight), none lost.
     */
    @Test
    @Order(8)
    void aBurstOfAnswersLosesNone() throws Exception {
        int n = 2_000;
        FleetSimResource.sim.setBehaviour("c1a", Behaviour.OFFLINE); // its agent away: the new commit waits
        String commit = push(0, "1.8.0");
        try (TopicReader events = new TopicReader(broker, Topics.FLEET_EVENTS)) {
            List<Map.Entry<String, String>> watches = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                String rollout = "r-burst-" + i;
                watches.add(Map.entry(
                        "c1a",
                        CODEC.encode(CODEC.wrap(
                                "/test", "c1a", expectation(rollout, "c1a", 0, commit, Duration.ofMinutes(5))))));
            }
            TopicReader.sendStructured(broker, Topics.FLEET_WATCHES, watches);
            await().atMost(Duration.ofSeconds(60)).until(() -> watcher.pending() >= n);
            FleetSimResource.sim.setBehaviour("c1a", Behaviour.READY);
            events.awaitUntil(
                    r -> r.stream().filter(x -> x.value().contains("r-burst-")).count() >= n, Duration.ofSeconds(60));
            List<Object> burst = events.values().stream()
                    .map(CODEC::decode)
                    .filter(e -> e.subject().startsWith("r-burst-"))
                    .map(CODEC::payload)
                    .toList();
            assertThat(burst).hasSize(n).allSatisfy(a -> assertThat(a).isInstanceOf(ClusterReady.class));
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.pending() == 0);
        } finally {
            FleetSimResource.sim.setBehaviour("c1a", Behaviour.READY);
        }
    }
}
