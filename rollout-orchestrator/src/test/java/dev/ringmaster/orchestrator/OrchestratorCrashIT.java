package dev.ringmaster.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.EventType;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.events.rollout.ClustersReady;
import dev.ringmaster.events.rollout.RolloutPolicy;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.ServicePlan;
import dev.ringmaster.infra.EmbeddedKafka;
import dev.ringmaster.infra.ServiceProcess;
import dev.ringmaster.infra.TestPostgres;
import dev.ringmaster.infra.TopicReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged orchestrator SIGKILLed twice in the middle of a rollout: after it sent a BumpVersion, and between two
 * cluster answers. Each restart goes on where the committed state left off; the rollout succeeds, every step is
 * done once, and no BumpVersion of a new attempt is ever sent (a repeated one carries the same command id, which
 * git-committer recognises).
 */
class OrchestratorCrashIT {

    private static final EventCodec CODEC = new EventCodec();
    private static EmbeddedKafka kafka;
    private static TestPostgres.Server db;
    private static String schema;

    @BeforeAll
    static void infrastructure() {
        kafka = EmbeddedKafka.start();
        db = TestPostgres.server();
        schema = db.createSchema("orch_crash");
    }

    @AfterAll
    static void stop() {
        kafka.close();
        db.dropSchema(schema);
    }

    private static ServiceProcess orchestrator() {
        return ServiceProcess.start(
                "rollout-orchestrator",
                Path.of("target/quarkus-app/quarkus-run.jar"),
                Map.of(
                        "RINGMASTER_DB_URL", db.urlFor(schema),
                        "RINGMASTER_DB_USER", db.user(),
                        "RINGMASTER_DB_PASSWORD", db.password(),
                        "RINGMASTER_DB_SCHEMA", schema,
                        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers()),
                Path.of("target/it-logs"),
                Duration.ofSeconds(60));
    }

    private static void send(String topic, String key, Object payload) {
        CloudEvent e = CODEC.wrap("/test", key, payload);
        TopicReader.sendStructured(kafka.bootstrapServers(), topic, List.of(Map.entry(key, CODEC.encode(e))));
    }

    private static <T> List<T> all(TopicReader r, Class<T> type) {
        return r.values().stream()
                .map(CODEC::decode)
                .filter(e -> EventType.ofType(e.type())
                        .map(t -> t.payloadClass() == type)
                        .orElse(false))
                .map(e -> CODEC.payload(e, type))
                .toList();
    }

    @Test
    void killedMidRolloutItResumesWhereItStoppedWithoutANewAttempt() {
        String id = "crash-1";
        List<ClusterRef> clusters = List.of(
                new ClusterRef("c1", 0, "fleet-default", "c1"),
                new ClusterRef("c2", 0, "fleet-default", "c2"),
                new ClusterRef("c3", 0, "fleet-default", "c3"));
        RolloutRequested req = new RolloutRequested(
                id,
                "shop",
                0,
                OffsetDateTime.now(),
                "",
                "ring",
                "ring-{n}",
                RolloutPolicy.DEFAULT,
                List.of(
                        new ServicePlan(
                                "a", "https://g/a.git", "main", ".", "helm.values.image.tag", "1", "2", List.of()),
                        new ServicePlan(
                                "b", "https://g/b.git", "main", ".", "helm.values.image.tag", "1", "2", List.of("a"))),
                clusters);
        String broker = kafka.bootstrapServers();
        try (TopicReader commands = new TopicReader(broker, Topics.GIT_COMMANDS);
                TopicReader watches = new TopicReader(broker, Topics.FLEET_WATCHES);
                TopicReader events = new TopicReader(broker, Topics.ROLLOUT_EVENTS)) {
            ServiceProcess first = orchestrator();
            send(Topics.ROLLOUT_REQUESTS, id, req);
            commands.awaitUntil(r -> !all(commands, BumpVersion.class).isEmpty(), Duration.ofSeconds(60));
            first.kill(); // crash 1: after the first BumpVersion went out

            ServiceProcess second = orchestrator();
            BumpVersion a = all(commands, BumpVersion.class).get(0);
            send(
                    Topics.GIT_EVENTS,
                    a.repoUrl(),
                    new VersionCommitted(a.commandId(), id, "shop", "a", 0, a.repoUrl(), "2", "sha-a", true));
            watches.awaitUntil(r -> all(watches, AwaitReady.class).size() >= 3, Duration.ofSeconds(60));
            send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "a", "c1", "sha-a"));
            send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "a", "c2", "sha-a"));
            events.awaitUntil(
                    r -> all(events, ClustersReady.class).stream()
                                    .mapToInt(x -> x.clusters().size())
                                    .sum()
                            >= 2,
                    Duration.ofSeconds(60));
            second.kill(); // crash 2: between two cluster answers

            try (ServiceProcess third = orchestrator()) {
                send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "a", "c3", "sha-a"));
                commands.awaitUntil(
                        r -> all(commands, BumpVersion.class).stream()
                                .anyMatch(b -> b.service().equals("b")),
                        Duration.ofSeconds(60));
                BumpVersion b = all(commands, BumpVersion.class).stream()
                        .filter(x -> x.service().equals("b"))
                        .findFirst()
                        .orElseThrow();
                send(
                        Topics.GIT_EVENTS,
                        b.repoUrl(),
                        new VersionCommitted(b.commandId(), id, "shop", "b", 0, b.repoUrl(), "2", "sha-b", true));
                watches.awaitUntil(
                        r -> all(watches, AwaitReady.class).stream()
                                        .filter(w -> w.service().equals("b"))
                                        .count()
                                >= 3,
                        Duration.ofSeconds(60));
                for (String c : List.of("c1", "c2", "c3")) {
                    send(Topics.FLEET_EVENTS, id, new ClusterReady(id, "b", c, "sha-b"));
                }
                events.awaitUntil(
                        r -> r.stream().anyMatch(x -> x.value().contains("ringmaster.rollout.succeeded.v1")),
                        Duration.ofSeconds(60));
            }
            assertThat(all(commands, BumpVersion.class).stream()
                            .map(BumpVersion::commandId)
                            .distinct())
                    .as("one attempt per service: repeats carry the same id")
                    .containsExactly(id + ":a:1", id + ":b:1");
            assertThat(events.values().stream()
                            .filter(v -> v.contains("step-completed.v1"))
                            .count())
                    .as("every step completed once")
                    .isEqualTo(2);
        }
    }
}
