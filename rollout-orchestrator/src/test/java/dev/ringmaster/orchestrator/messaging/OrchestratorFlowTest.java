package dev.ringmaster.orchestrator.messaging;

import static dev.ringmaster.orchestrator.Fixtures.cluster;
import static dev.ringmaster.orchestrator.Fixtures.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventType;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.fleet.ClusterFailed;
import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.events.rollout.ClustersReady;
import dev.ringmaster.events.rollout.RolloutControl;
import dev.ringmaster.events.rollout.RolloutPolicy;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import dev.ringmaster.infra.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator through the real broker and PostgreSQL; the test answers as git-committer and fleet-watcher would.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class OrchestratorFlowTest {

    private static final EventCodec CODEC = new EventCodec();

    private final String broker = KafkaTestResource.bootstrapServers();

    private static RolloutRequested request(String id, RolloutPolicy policy) {
        return new RolloutRequested(
                id,
                "shop",
                0,
                OffsetDateTime.now(),
                "alice",
                "ring",
                "ring-{n}",
                policy,
                List.of(plan("a", "1.0", "2.0"), plan("b", "1.0", "2.0", "a"), plan("c", "3.0", "3.0", "a")),
                List.of(cluster("c1"), cluster("c2"), cluster("c3")));
    }

    private CloudEvent send(String topic, String key, Object payload) {
        CloudEvent e = CODEC.wrap("/test", key, payload);
        resend(topic, key, e);
        return e;
    }

    private void resend(String topic, String key, CloudEvent e) {
        TopicReader.sendStructured(broker, topic, List.of(Map.entry(key, CODEC.encode(e))));
    }

    private static <T> List<T> payloads(TopicReader reader, Class<T> type, String rolloutId) {
        return reader.values().stream()
                .map(CODEC::decode)
                .filter(e -> EventType.ofType(e.type())
                        .map(t -> t.payloadClass() == type)
                        .orElse(false))
                .map(e -> CODEC.payload(e, type))
                .filter(p -> p.toString().contains(rolloutId))
                .toList();
    }

    /**
     * The short types of a rollout's events in order, a run of clusters-ready as one (how many answers one batch
     * held, and so how many progress events report them, is up to the broker's polls).
     */
    private static List<String> rolloutEventTypes(TopicReader reader, String rolloutId) {
        List<String> types = new java.util.ArrayList<>();
        reader.records().stream()
                .filter(r -> r.key().equals(rolloutId))
                .map(r -> CODEC.decode(r.value())
                        .type()
                        .replace("ringmaster.rollout.", "")
                        .replace(".v1", ""))
                .forEach(t -> {
                    if (!(t.equals("clusters-ready")
                            && !types.isEmpty()
                            && types.get(types.size() - 1).equals(t))) {
                        types.add(t);
                    }
                });
        return types;
    }

    /** The clusters the rollout's progress events reported ready for {@code service}, in order. */
    private static List<String> readyClusters(TopicReader reader, String rolloutId, String service) {
        return payloads(reader, ClustersReady.class, rolloutId).stream()
                .filter(r -> r.service().equals(service))
                .flatMap(r -> r.clusters().stream())
                .toList();
    }

    private void commit(BumpVersion b) {
        send(
                Topics.GIT_EVENTS,
                b.repoUrl(),
                new VersionCommitted(
                        b.commandId(),
                        b.rolloutId(),
                        b.application(),
                        b.service(),
                        b.ring(),
                        b.repoUrl(),
                        b.version(),
                        "sha-" + b.service(),
                        true));
    }

    /** Waits until the orchestrator has applied (and committed the offsets of) everything sent to {@code topic}. */
    private void awaitConsumed(String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var partitions = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions();
                Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                        .collect(Collectors.toMap(
                                p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                "rollout-orchestrator")
                        .partitionsToOffsetAndMetadata()
                        .get();
                return ends.entrySet().stream()
                        .allMatch(e -> e.getValue().offset() == 0
                                || (committed.get(e.getKey()) != null
                                        && committed.get(e.getKey()).offset()
                                                >= e.getValue().offset()));
            });
        }
    }

    @Inject
    DataSource dataSource;

    private void awaitOutboxEmpty() {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    try (Connection c = dataSource.getConnection();
                            Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
                        rs.next();
                        return rs.getLong(1) == 0;
                    }
                });
    }

    @Test
    void aRolloutGoesServiceByServiceInDependencyOrderToSuccess() {
        String id = "r-" + UUID.randomUUID();
        try (TopicReader commands = new TopicReader(broker, Topics.GIT_COMMANDS);
                TopicReader watches = new TopicReader(broker, Topics.FLEET_WATCHES);
                TopicReader events = new TopicReader(broker, Topics.ROLLOUT_EVENTS, k -> k.equals(id))) {
            send(Topics.ROLLOUT_REQUESTS, id, request(id, RolloutPolicy.DEFAULT));

            commands.awaitUntil(r -> payloads(commands, BumpVersion.class, id).size() == 1, Duration.ofSeconds(30));
            BumpVersion a = payloads(commands, BumpVersion.class, id).get(0);
            assertThat(a.service()).isEqualTo("a");
            commit(a);
            watches.awaitUntil(r -> payloads(watches, AwaitReady.class, id).size() == 3, Duration.ofSeconds(30));
            assertThat(watches.records().stream()
                            .filter(r -> r.value().contains(id))
                            .map(r -> r.key()))
                    .as("keyed by cluster")
                    .containsExactlyInAnyOrder("c1", "c2", "c3");
            assertThat(payloads(commands, BumpVersion.class, id))
                    .as("b waits for a on every cluster")
                    .hasSize(1);
            for (String c : List.of("c1", "c2", "c3")) {
                send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "a", c, "sha-a"));
            }
            commands.awaitUntil(r -> payloads(commands, BumpVersion.class, id).size() == 2, Duration.ofSeconds(30));
            BumpVersion b = payloads(commands, BumpVersion.class, id).get(1);
            assertThat(b.service()).isEqualTo("b");
            commit(b);
            watches.awaitUntil(r -> payloads(watches, AwaitReady.class, id).size() == 6, Duration.ofSeconds(30));
            for (String c : List.of("c1", "c2", "c3")) {
                send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "b", c, "sha-b"));
            }
            events.awaitUntil(r -> rolloutEventTypes(events, id).contains("succeeded"), Duration.ofSeconds(30));
            assertThat(rolloutEventTypes(events, id))
                    .containsExactly(
                            "started",
                            "step-completed" /* c skipped */,
                            "step-started",
                            "step-committed",
                            "clusters-ready",
                            "step-completed",
                            "step-started",
                            "step-committed",
                            "clusters-ready",
                            "step-completed",
                            "succeeded");
            assertThat(readyClusters(events, id, "a")).containsExactly("c1", "c2", "c3");
            assertThat(readyClusters(events, id, "b")).containsExactly("c1", "c2", "c3");
            RolloutSucceeded done = payloads(events, RolloutSucceeded.class, id).get(0);
            assertThat(done.versions()).isEqualTo(Map.of("a", "2.0", "b", "2.0", "c", "3.0"));
        }
    }

    @Test
    void fleetAnswersSentTogetherApplyOnceEachAndABadOneIsParkedAlone() {
        String r1 = "r-" + UUID.randomUUID();
        String r2 = "r-" + UUID.randomUUID();
        try (TopicReader commands = new TopicReader(broker, Topics.GIT_COMMANDS);
                TopicReader events = new TopicReader(broker, Topics.ROLLOUT_EVENTS, k -> k.equals(r1) || k.equals(r2));
                TopicReader parked = new TopicReader(broker, Topics.FLEET_EVENTS + ".dlq")) {
            send(Topics.ROLLOUT_REQUESTS, r1, request(r1, RolloutPolicy.DEFAULT));
            send(Topics.ROLLOUT_REQUESTS, r2, request(r2, RolloutPolicy.DEFAULT));
            commands.awaitUntil(
                    r -> payloads(commands, BumpVersion.class, r1).size() == 1
                            && payloads(commands, BumpVersion.class, r2).size() == 1,
                    Duration.ofSeconds(30));
            commit(payloads(commands, BumpVersion.class, r1).get(0));
            commit(payloads(commands, BumpVersion.class, r2).get(0));
            events.awaitUntil(
                    r -> rolloutEventTypes(events, r1).contains("step-committed")
                            && rolloutEventTypes(events, r2).contains("step-committed"),
                    Duration.ofSeconds(30));

            // Both rollouts' answers in one send (one poll, most likely one batch), with a copy of one event, a
            // second answer for the same cluster under a new id, and a message that is not an event at all.
            CloudEvent first = CODEC.wrap("/test", "c1", new ClusterReady(r1, "a", "c1", "sha-a"));
            List<Map.Entry<String, String>> batch = new java.util.ArrayList<>();
            batch.add(Map.entry("c1", CODEC.encode(first)));
            batch.add(Map.entry("c1", CODEC.encode(first)));
            batch.add(Map.entry("c2", "{not an event"));
            for (String c : List.of("c1", "c2", "c3")) {
                batch.add(Map.entry(c, CODEC.encode(CODEC.wrap("/test", c, new ClusterReady(r2, "a", c, "sha-a")))));
            }
            for (String c : List.of("c2", "c3", "c3")) {
                batch.add(Map.entry(c, CODEC.encode(CODEC.wrap("/test", c, new ClusterReady(r1, "a", c, "sha-a")))));
            }
            TopicReader.sendStructured(broker, Topics.FLEET_EVENTS, batch);

            commands.awaitUntil(
                    r -> payloads(commands, BumpVersion.class, r1).size() == 2
                            && payloads(commands, BumpVersion.class, r2).size() == 2,
                    Duration.ofSeconds(30));
            parked.awaitUntil(r -> !parked.values().isEmpty(), Duration.ofSeconds(30));
            awaitConsumed(Topics.FLEET_EVENTS);
            awaitOutboxEmpty();
            events.awaitCaughtUp(Duration.ofSeconds(30));
            commands.awaitCaughtUp(Duration.ofSeconds(30));
            for (String id : List.of(r1, r2)) {
                assertThat(readyClusters(events, id, "a"))
                        .as("each cluster of %s reported ready once", id)
                        .containsExactlyInAnyOrder("c1", "c2", "c3");
                assertThat(rolloutEventTypes(events, id).stream().filter("step-completed"::equals))
                        .hasSize(2); // c (nothing to do) at the start, then a
                assertThat(payloads(commands, BumpVersion.class, id).get(1).service())
                        .isEqualTo("b");
            }
            assertThat(parked.values()).containsExactly("{not an event");
        }
    }

    @Test
    void duplicatesChangeNothingAndAFailedClusterPausesUntilResumed() {
        String id = "r-" + UUID.randomUUID();
        try (TopicReader commands = new TopicReader(broker, Topics.GIT_COMMANDS);
                TopicReader watches = new TopicReader(broker, Topics.FLEET_WATCHES);
                TopicReader events = new TopicReader(broker, Topics.ROLLOUT_EVENTS, k -> k.equals(id))) {
            CloudEvent requested = send(Topics.ROLLOUT_REQUESTS, id, request(id, RolloutPolicy.DEFAULT));
            resend(Topics.ROLLOUT_REQUESTS, id, requested); // the same event again
            send(Topics.ROLLOUT_REQUESTS, id, request(id, RolloutPolicy.DEFAULT)); // the same request, a new id
            commands.awaitUntil(r -> payloads(commands, BumpVersion.class, id).size() == 1, Duration.ofSeconds(30));
            BumpVersion a = payloads(commands, BumpVersion.class, id).get(0);
            CloudEvent committed = send(
                    Topics.GIT_EVENTS,
                    a.repoUrl(),
                    new VersionCommitted(a.commandId(), id, "shop", "a", 0, a.repoUrl(), "2.0", "sha-a", true));
            resend(Topics.GIT_EVENTS, a.repoUrl(), committed);
            commit(a); // the same answer with a new event id
            // Once the orchestrator applied every copy and its outbox is empty, everything it sent is on the broker.
            awaitConsumed(Topics.ROLLOUT_REQUESTS);
            awaitConsumed(Topics.GIT_EVENTS);
            awaitOutboxEmpty();
            commands.awaitCaughtUp(Duration.ofSeconds(30));
            watches.awaitCaughtUp(Duration.ofSeconds(30));
            events.awaitCaughtUp(Duration.ofSeconds(30));
            assertThat(payloads(commands, BumpVersion.class, id)).hasSize(1);
            assertThat(payloads(watches, AwaitReady.class, id)).hasSize(3);
            assertThat(rolloutEventTypes(events, id))
                    .containsExactly("started", "step-completed", "step-started", "step-committed");

            send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "a", "c1", "sha-a"));
            send(Topics.FLEET_EVENTS, id, new ClusterFailed(id, "a", "c2", "ErrApplied", "helm upgrade failed"));
            events.awaitUntil(r -> rolloutEventTypes(events, id).contains("paused"), Duration.ofSeconds(30));
            send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "a", "c3", "sha-a"));

            send(Topics.ROLLOUT_REQUESTS, id, new RolloutControl(id, RolloutControl.Action.RESUME, "fixed", "bob"));
            watches.awaitUntil(r -> payloads(watches, AwaitReady.class, id).size() == 4, Duration.ofSeconds(30));
            AwaitReady again = payloads(watches, AwaitReady.class, id).get(3);
            assertThat(again.cluster().name())
                    .as("only the failed cluster is awaited again")
                    .isEqualTo("c2");
            send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "a", "c2", "sha-a"));
            commands.awaitUntil(r -> payloads(commands, BumpVersion.class, id).size() == 2, Duration.ofSeconds(30));
            assertThat(payloads(commands, BumpVersion.class, id).get(1).service())
                    .isEqualTo("b");

            send(Topics.ROLLOUT_REQUESTS, id, new RolloutControl(id, RolloutControl.Action.ABORT, "enough", "bob"));
            events.awaitUntil(r -> rolloutEventTypes(events, id).contains("aborted"), Duration.ofSeconds(30));
            assertThat(rolloutEventTypes(events, id))
                    .containsSubsequence(
                            "cluster-failed",
                            "step-failed",
                            "paused",
                            "resumed",
                            "step-completed",
                            "step-started",
                            "aborted");
        }
    }

    @Test
    void aClusterThatLeavesTheRingStopsCountingAndOneThatJoinsIsReported() {
        String id = "r-" + UUID.randomUUID();
        try (TopicReader commands = new TopicReader(broker, Topics.GIT_COMMANDS);
                TopicReader watches = new TopicReader(broker, Topics.FLEET_WATCHES);
                TopicReader events = new TopicReader(broker, Topics.ROLLOUT_EVENTS, k -> k.equals(id))) {
            send(Topics.ROLLOUT_REQUESTS, id, request(id, RolloutPolicy.DEFAULT));
            commands.awaitUntil(r -> payloads(commands, BumpVersion.class, id).size() == 1, Duration.ofSeconds(30));
            commit(payloads(commands, BumpVersion.class, id).get(0));
            watches.awaitUntil(r -> payloads(watches, AwaitReady.class, id).size() == 3, Duration.ofSeconds(30));
            send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "a", "c1", "sha-a"));
            send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "a", "c2", "sha-a"));
            // The catalog moves c3 to ring 1 and registers c9 on ring 0 while the rollout waits for c3.
            send(
                    Topics.CATALOG_EVENTS,
                    "shop",
                    new dev.ringmaster.events.catalog.ClusterRingChanged(
                            "shop", new ClusterRef("c3", 1, "fleet-default", "c3"), 0, "ring"));
            send(
                    Topics.CATALOG_EVENTS,
                    "shop",
                    new dev.ringmaster.events.catalog.ClusterRegistered(
                            "shop", new ClusterRef("c9", 0, "fleet-default", "c9"), "ring"));
            commands.awaitUntil(r -> payloads(commands, BumpVersion.class, id).size() == 2, Duration.ofSeconds(30));
            events.awaitUntil(
                    r -> rolloutEventTypes(events, id).contains("cluster-joined-ring"), Duration.ofSeconds(30));
            assertThat(rolloutEventTypes(events, id))
                    .as("c3 no longer counts: a completes with c1 and c2, and b starts")
                    .containsSubsequence("cluster-left-ring", "step-completed", "step-started")
                    .contains("cluster-joined-ring");
            assertThat(payloads(watches, AwaitReady.class, id))
                    .as("the joiner is left for the next rollout")
                    .noneMatch(w -> w.cluster().name().equals("c9"));
        }
    }
}
