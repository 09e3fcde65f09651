package dev.ringmaster.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.SubscriptionSaved;
import dev.ringmaster.events.notify.WebhookSecrets;
import dev.ringmaster.infra.HttpReceiver;
import dev.ringmaster.infra.HttpReceiver.Received;
import dev.ringmaster.infra.HttpReceiver.Reply;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import dev.ringmaster.infra.TopicReader;
import dev.ringmaster.notifier.support.Fixtures;
import dev.ringmaster.notifier.support.SpecVerifier;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The notifier against a real broker, a real PostgreSQL and real HTTP receivers on loopback. Subscriptions and rollout
 * events arrive on their topics as the catalog and the orchestrator send them.
 */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class NotifierFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private Fixtures fx;

    @BeforeEach
    void fixtures() {
        fx = new Fixtures(KafkaTestResource.bootstrapServers(), "http://localhost:" + RestAssured.port);
    }

    @Test
    void aRolloutsEventsArriveInOrderAsSignedCloudEventsThatTheSpecsVerificationAccepts() {
        String secret = WebhookSecrets.generate();
        try (HttpReceiver receiver = HttpReceiver.start()) {
            fx.subscribe("ordered", receiver.url(), "ord-app", secret);
            List<CloudEvent> events = new ArrayList<>(Fixtures.rollout("ord-app", 8));
            // An event of another application on the same partition, mid-stream: not for this subscription.
            CloudEvent foreign = Fixtures.rollout("other-app", 1).get(0);
            CloudEvent foreignSameKey = new CloudEvent(
                    foreign.specversion(),
                    foreign.id(),
                    foreign.source(),
                    foreign.type(),
                    events.get(0).subject(),
                    foreign.time(),
                    foreign.datacontenttype(),
                    foreign.data());
            List<CloudEvent> sent = new ArrayList<>(events);
            sent.add(5, foreignSameKey);
            fx.publish(sent);

            List<Received> got = receiver.awaitCount(events.size(), WAIT);
            assertThat(got)
                    .extracting(r -> r.header("webhook-id"))
                    .containsExactlyElementsOf(
                            events.stream().map(CloudEvent::id).toList());
            SpecVerifier verifier = new SpecVerifier(secret);
            for (int i = 0; i < got.size(); i++) {
                Received r = got.get(i);
                assertThat(r.body()).isEqualTo(Fixtures.CODEC.encode(events.get(i)));
                assertThat(r.header("content-type")).startsWith("application/cloudevents+json");
                assertThat(verifier.verify(
                                r.header("webhook-id"),
                                r.header("webhook-timestamp"),
                                r.header("webhook-signature"),
                                r.body(),
                                Instant.now()))
                        .as("signature of request %d", i)
                        .isTrue();
            }
            Received first = got.get(0);
            assertThat(verifier.verify(
                            first.header("webhook-id"),
                            first.header("webhook-timestamp"),
                            first.header("webhook-signature"),
                            first.body().replace("ord-app", "evil-app"),
                            Instant.now()))
                    .as("tampered body")
                    .isFalse();
            assertThat(verifier.verify(
                            first.header("webhook-id"),
                            first.header("webhook-timestamp"),
                            first.header("webhook-signature"),
                            first.body(),
                            Instant.now().plus(Duration.ofMinutes(6))))
                    .as("replayed six minutes later")
                    .isFalse();
            assertThat(new SpecVerifier(WebhookSecrets.generate())
                            .verify(
                                    first.header("webhook-id"),
                                    first.header("webhook-timestamp"),
                                    first.header("webhook-signature"),
                                    first.body(),
                                    Instant.now()))
                    .as("another secret")
                    .isFalse();
            // Every event of the rollout was delivered; the foreign one was never queued for this subscription. The
            // receiver may have answered the last request a moment before the notifier recorded the answer: await it.
            await().atMost(WAIT).untilAsserted(() -> {
                JsonPath log = fx.deliveries("ordered");
                assertThat(log.getList("eventId")).hasSize(events.size()).doesNotContain(foreign.id());
                assertThat(log.getList("state", String.class)).containsOnly("DELIVERED");
            });
        }
    }

    @Test
    void eventsSentTogetherAreQueuedOnceEachAndOnlyANonEventIsParked() {
        try (HttpReceiver receiver = HttpReceiver.start();
                TopicReader parked = new TopicReader(KafkaTestResource.bootstrapServers(), "rollout.events.dlq")) {
            fx.subscribe("together", receiver.url(), "batch-app", WebhookSecrets.generate());
            List<CloudEvent> events = Fixtures.rollout("batch-app", 2);
            CloudEvent a = events.get(0);
            CloudEvent b = events.get(1);
            // in one send (most likely one batch): an event, a message that is not an event, the event again, another
            TopicReader.sendStructured(
                    KafkaTestResource.bootstrapServers(),
                    Topics.ROLLOUT_EVENTS,
                    List.of(
                            Map.entry(a.subject(), Fixtures.CODEC.encode(a)),
                            Map.entry(a.subject(), "{not an event"),
                            Map.entry(a.subject(), Fixtures.CODEC.encode(a)),
                            Map.entry(b.subject(), Fixtures.CODEC.encode(b))));
            parked.awaitUntil(r -> !r.isEmpty(), WAIT);
            assertThat(receiver.awaitCount(2, WAIT))
                    .extracting(r -> r.header("webhook-id"))
                    .containsExactly(a.id(), b.id());
            await().atMost(WAIT)
                    .untilAsserted(() -> assertThat(fx.deliveries("together").getList("state", String.class))
                            .containsExactly("DELIVERED", "DELIVERED"));
            assertThat(parked.values()).containsExactly("{not an event");
        }
    }

    @Test
    void aReceiverThatFailsThreeTimesGetsTheEventOnceMoreAndTheLogShowsEveryAttempt() {
        try (HttpReceiver receiver = HttpReceiver.start().answer(n -> Reply.status(n <= 3 ? 500 : 200))) {
            fx.subscribe("flaky", receiver.url(), "flaky-app", WebhookSecrets.generate());
            CloudEvent event = Fixtures.rollout("flaky-app", 1).get(0);
            fx.publish(List.of(event));
            await().atMost(WAIT)
                    .until(() -> "DELIVERED".equals(fx.deliveries("flaky").getString("[0].state")));
            assertThat(receiver.received())
                    .hasSize(4)
                    .extracting(r -> r.header("webhook-id"))
                    .containsOnly(event.id());
            JsonPath log = fx.deliveries("flaky");
            assertThat(log.getInt("[0].attempts")).isEqualTo(4);
            assertThat(log.getList("[0].log.status", Integer.class)).containsExactly(500, 500, 500, 200);
            assertThat(log.getList("[0].log.attempt", Integer.class)).containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void aFourHundredIsNotRetriedAndTheRolloutsLaterEventsStillGo() {
        try (HttpReceiver receiver = HttpReceiver.start().answer(n -> Reply.status(n == 1 ? 400 : 204))) {
            fx.subscribe("picky", receiver.url(), "picky-app", WebhookSecrets.generate());
            List<CloudEvent> events = Fixtures.rollout("picky-app", 1).subList(0, 3);
            fx.publish(events);
            receiver.awaitCount(3, WAIT);
            await().atMost(WAIT)
                    .until(() -> fx.deliveries("picky").getList("state", String.class).stream()
                            .noneMatch(s -> s.equals("PENDING") || s.equals("SENDING")));
            // In order: the third request is the last event, so the first was never tried again.
            assertThat(receiver.received())
                    .extracting(r -> r.header("webhook-id"))
                    .containsExactlyElementsOf(
                            events.stream().map(CloudEvent::id).toList());
            JsonPath log = fx.deliveries("picky"); // newest first
            assertThat(log.getList("state", String.class)).containsExactly("DELIVERED", "DELIVERED", "FAILED");
            assertThat(log.getList("[2].log.status", Integer.class)).containsExactly(400);
        }
    }

    @Test
    void aReceiverThatHangsDoesNotDelayAnotherAndHoldsOnlyItsOwnFourLines() {
        try (HttpReceiver hanging = HttpReceiver.start().answer(n -> Reply.noAnswer());
                HttpReceiver healthy = HttpReceiver.start()) {
            fx.subscribe("stuck", hanging.url(), "hang-app", WebhookSecrets.generate());
            fx.subscribe("fine", healthy.url(), "hang-app", WebhookSecrets.generate());
            List<CloudEvent> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                all.addAll(Fixtures.rollout("hang-app", 2)); // 5 rollouts of 6 events
            }
            fx.publish(all);
            healthy.awaitCount(all.size(), WAIT);
            hanging.awaitCount(4, WAIT);
            // The healthy receiver has everything while the hanging one has not finished a single attempt: it
            // holds at most 4 deliveries (one per rollout, per-target concurrency 4), the fifth rollout waits.
            JsonPath stuck = fx.deliveries("stuck");
            assertThat(stuck.getList("findAll { it.log.size() > 0 }")).isEmpty();
            assertThat(stuck.getList("findAll { it.state == 'SENDING' }")).hasSize(4);
            assertThat(hanging.received()).hasSize(4);
            assertThat(healthy.received())
                    .extracting(r -> r.header("webhook-id"))
                    .containsExactlyInAnyOrderElementsOf(
                            all.stream().map(CloudEvent::id).toList());
        }
    }

    @Test
    void duringARotationBothSecretsSignUntilTheGracePeriodEnds() {
        String old = WebhookSecrets.generate();
        String current = WebhookSecrets.generate();
        try (HttpReceiver receiver = HttpReceiver.start()) {
            fx.save(new SubscriptionSaved(
                    "rotating",
                    "WEBHOOK",
                    receiver.url(),
                    List.of("rot-app"),
                    List.of(),
                    current,
                    old,
                    OffsetDateTime.now().plusHours(1),
                    System.nanoTime()));
            fx.publish(Fixtures.rollout("rot-app", 1).subList(0, 1));
            Received r = receiver.awaitCount(1, WAIT).get(0);
            assertThat(r.header("webhook-signature").split(" ")).hasSize(2);
            for (String secret : List.of(old, current)) {
                assertThat(new SpecVerifier(secret)
                                .verify(
                                        r.header("webhook-id"),
                                        r.header("webhook-timestamp"),
                                        r.header("webhook-signature"),
                                        r.body(),
                                        Instant.now()))
                        .isTrue();
            }
            fx.save(new SubscriptionSaved(
                    "rotating",
                    "WEBHOOK",
                    receiver.url(),
                    List.of("rot-app"),
                    List.of(),
                    current,
                    old,
                    OffsetDateTime.now().minusSeconds(1),
                    System.nanoTime()));
            fx.publish(Fixtures.rollout("rot-app", 1).subList(0, 1));
            Received later = receiver.awaitCount(2, WAIT).get(1);
            assertThat(later.header("webhook-signature").split(" ")).hasSize(1);
            assertThat(new SpecVerifier(old)
                            .verify(
                                    later.header("webhook-id"),
                                    later.header("webhook-timestamp"),
                                    later.header("webhook-signature"),
                                    later.body(),
                                    Instant.now()))
                    .isFalse();
        }
    }

    @Test
    void aTargetThatResolvesToAPrivateAddressIsNeverCalled() {
        fx.save(new SubscriptionSaved(
                "inside",
                "WEBHOOK",
                "http://10.255.255.1:8080/x",
                List.of("priv-app"),
                List.of(),
                WebhookSecrets.generate(),
                null,
                null,
                System.nanoTime()));
        fx.publish(Fixtures.rollout("priv-app", 1).subList(0, 1));
        await().atMost(WAIT).until(() -> "FAILED".equals(fx.deliveries("inside").getString("[0].state")));
        assertThat(fx.deliveries("inside").getString("[0].lastError"))
                .contains("target refused")
                .contains("private");
    }

    @Test
    void slackGetsBlockKitWithoutSignature() {
        try (HttpReceiver receiver = HttpReceiver.start()) {
            fx.save(new SubscriptionSaved(
                    "chat",
                    "SLACK",
                    receiver.url(),
                    List.of("slack-app"),
                    List.of(),
                    null,
                    null,
                    null,
                    System.nanoTime()));
            List<CloudEvent> events = Fixtures.rollout("slack-app", 3);
            fx.publish(events);
            // Slack's default leaves out the per-cluster events: start, step, step done, succeeded.
            List<Received> got = receiver.awaitCount(4, WAIT);
            JsonPath last = JsonPath.from(got.get(3).body());
            assertThat(last.getString("blocks[0].text.text")).isEqualTo("slack-app · ring 0 · Rollout succeeded");
            assertThat(got)
                    .allSatisfy(r -> assertThat(r.header("webhook-signature")).isNull());
            assertThat(got.get(2).body()).contains("*Clusters ready*\\n3/3");
            await().atMost(WAIT)
                    .until(() -> fx.deliveries("chat").getList("state").size() == 4);
            assertThat(receiver.received()).hasSize(4);
        }
    }
}
