package dev.ringmaster.notifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.catalog.SubscriptionSaved;
import dev.ringmaster.events.notify.WebhookSecrets;
import dev.ringmaster.infra.EmbeddedKafka;
import dev.ringmaster.infra.HttpReceiver;
import dev.ringmaster.infra.HttpReceiver.Received;
import dev.ringmaster.infra.ServiceProcess;
import dev.ringmaster.infra.TestPostgres;
import dev.ringmaster.notifier.support.Fixtures;
import dev.ringmaster.notifier.support.SpecVerifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged notifier, SIGKILLed while it delivers a stream of events and started again: every event reaches the
 * receiver at least once, a repeat carries the same webhook-id (so the receiver can drop it), every request verifies,
 * and each rollout's events are first seen in their order.
 */
class NotifierRestartIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path LOGS = Path.of("target/it-logs");

    private static EmbeddedKafka kafka;
    private static TestPostgres.Server db;
    private static String schema;

    @BeforeAll
    static void infrastructure() {
        kafka = EmbeddedKafka.start();
        db = TestPostgres.server();
        schema = db.createSchema("notifier_restart");
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (schema != null) {
            db.dropSchema(schema);
        }
    }

    private static ServiceProcess notifier() {
        return ServiceProcess.start(
                "notifier",
                JAR,
                Map.of(
                        "RINGMASTER_DB_URL",
                        db.urlFor(schema),
                        "RINGMASTER_DB_USER",
                        db.user(),
                        "RINGMASTER_DB_PASSWORD",
                        db.password(),
                        "RINGMASTER_DB_SCHEMA",
                        schema,
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "RINGMASTER_TARGETS_ALLOW_LOOPBACK",
                        "true",
                        "RINGMASTER_DELIVERY_TIMEOUT",
                        "2s",
                        "RINGMASTER_DELIVERY_INITIAL_BACKOFF",
                        "100ms"),
                LOGS,
                Duration.ofSeconds(60));
    }

    @Test
    void killedMidStreamAndRestartedItDeliversEveryEventAtLeastOnce() {
        String secret = WebhookSecrets.generate();
        try (HttpReceiver receiver = HttpReceiver.start()) {
            List<CloudEvent> events = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                events.addAll(Fixtures.rollout("restart-app", 48)); // 8 rollouts x 52 events
            }
            ServiceProcess first = notifier();
            Fixtures fx = new Fixtures(kafka.bootstrapServers(), first.url());
            fx.save(new SubscriptionSaved(
                    "restart", "WEBHOOK", receiver.url(), List.of("restart-app"), List.of(), secret, null, null, 1));
            fx.publish(events);
            receiver.awaitCount(40, Duration.ofSeconds(60));
            first.kill();
            int beforeRestart = receiver.received().size();
            assertThat(beforeRestart).isLessThan(events.size());

            try (ServiceProcess second = notifier()) {
                List<String> expected = events.stream().map(CloudEvent::id).toList();
                List<Received> got = receiver.awaitUntil(
                        r -> r.stream()
                                        .map(x -> x.header("webhook-id"))
                                        .distinct()
                                        .count()
                                == expected.size(),
                        Duration.ofSeconds(120));
                Set<String> ids = new LinkedHashSet<>();
                got.forEach(r -> ids.add(r.header("webhook-id")));
                assertThat(ids).containsExactlyInAnyOrderElementsOf(expected);
                SpecVerifier verifier = new SpecVerifier(secret);
                Map<String, String> bodyById = new LinkedHashMap<>();
                for (Received r : got) {
                    assertThat(verifier.verify(
                                    r.header("webhook-id"),
                                    r.header("webhook-timestamp"),
                                    r.header("webhook-signature"),
                                    r.body(),
                                    Instant.now()))
                            .isTrue();
                    // A repeat is the same event: same id, same body.
                    String previous = bodyById.putIfAbsent(r.header("webhook-id"), r.body());
                    assertThat(previous == null || previous.equals(r.body())).isTrue();
                }
                // Per rollout, the events were first seen in the order they were sent.
                Map<String, List<String>> firstSeen = new LinkedHashMap<>();
                for (String id : ids) {
                    CloudEvent e = events.stream()
                            .filter(x -> x.id().equals(id))
                            .findFirst()
                            .orElseThrow();
                    firstSeen
                            .computeIfAbsent(e.subject(), k -> new ArrayList<>())
                            .add(id);
                }
                firstSeen.forEach((rollout, seen) -> assertThat(seen)
                        .containsExactlyElementsOf(events.stream()
                                .filter(x -> x.subject().equals(rollout))
                                .map(CloudEvent::id)
                                .toList()));
                System.out.printf(
                        "notifier restart: %d events, %d requests received (%d before the kill, %d repeats)%n",
                        expected.size(), got.size(), beforeRestart, got.size() - expected.size());
            }
        }
    }
}
