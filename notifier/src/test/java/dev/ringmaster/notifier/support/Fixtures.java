package dev.ringmaster.notifier.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.catalog.SubscriptionSaved;
import dev.ringmaster.events.rollout.ClustersReady;
import dev.ringmaster.events.rollout.RolloutStarted;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import dev.ringmaster.events.rollout.StepCompleted;
import dev.ringmaster.events.rollout.StepStarted;
import dev.ringmaster.infra.TopicReader;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Subscriptions and rollout events as the catalog and the orchestrator send them, through the real broker. */
public final class Fixtures {

    private static final AtomicLong REVISION = new AtomicLong(System.currentTimeMillis());
    public static final EventCodec CODEC = new EventCodec();

    private final String bootstrap;
    private final String baseUrl;

    public Fixtures(String bootstrap, String baseUrl) {
        this.bootstrap = bootstrap;
        this.baseUrl = baseUrl;
    }

    /** Saves a webhook subscription on catalog.events and waits until the notifier knows this revision. */
    public void subscribe(String name, String url, String application, String secret) {
        save(new SubscriptionSaved(
                name, "WEBHOOK", url, List.of(application), List.of(), secret, null, null, REVISION.incrementAndGet()));
    }

    public void save(SubscriptionSaved s) {
        TopicReader.sendStructured(
                bootstrap,
                Topics.CATALOG_EVENTS,
                List.of(Map.entry(s.name(), CODEC.encode(CODEC.wrap("/ringmaster/catalog-service", s.name(), s)))));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().baseUri(baseUrl)
                                .get("/api/v1/subscriptions")
                                .jsonPath()
                                .getList("findAll { it.name == '" + s.name() + "' && it.revision == " + s.revision()
                                        + " }")
                                .size()
                        == 1);
    }

    /** A rollout's events, in the order the orchestrator would send them: start, a step, n ready, end. */
    public static List<CloudEvent> rollout(String application, int clusters) {
        String id = UUID.randomUUID().toString();
        List<Object> payloads = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < clusters; i++) {
            names.add("c" + i);
        }
        payloads.add(new RolloutStarted(id, application, 0, List.of(), names, List.of(List.of("api"))));
        payloads.add(new StepStarted(id, application, 0, "api", "1.0.0", "1.1.0", "cmd-" + id));
        for (int i = 0; i < clusters; i++) {
            payloads.add(new ClustersReady(id, application, 0, "api", List.of("c" + i), i + 1, clusters));
        }
        payloads.add(new StepCompleted(id, application, 0, "api", "DONE", "1.1.0", clusters, 0, clusters));
        payloads.add(new RolloutSucceeded(id, application, 0, Map.of("api", "1.1.0")));
        return payloads.stream()
                .map(p -> CODEC.wrap(
                        UUID.randomUUID().toString(), "/ringmaster/rollout-orchestrator", id, OffsetDateTime.now(), p))
                .toList();
    }

    /** Sends events to rollout.events, keyed by their rollout (the subject), in order. */
    public void publish(List<CloudEvent> events) {
        TopicReader.sendStructured(
                bootstrap,
                Topics.ROLLOUT_EVENTS,
                events.stream()
                        .map(e -> Map.entry(e.subject(), CODEC.encode(e)))
                        .toList());
    }

    /** The notifier's delivery log of a subscription, newest first. */
    public JsonPath deliveries(String subscription) {
        return given().baseUri(baseUrl)
                .get("/api/v1/subscriptions/" + subscription + "/deliveries?limit=1000")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }
}
