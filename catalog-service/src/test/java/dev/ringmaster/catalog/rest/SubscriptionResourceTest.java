package dev.ringmaster.catalog.rest;

import static dev.ringmaster.catalog.support.Api.delete;
import static dev.ringmaster.catalog.support.Api.get;
import static dev.ringmaster.catalog.support.Api.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.ringmaster.catalog.support.CatalogEventsReader;
import dev.ringmaster.events.EventType;
import dev.ringmaster.events.catalog.SubscriptionDeleted;
import dev.ringmaster.events.catalog.SubscriptionSaved;
import dev.ringmaster.events.notify.EventSelection;
import dev.ringmaster.events.notify.WebhookSecrets;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class SubscriptionResourceTest {

    @Test
    void aWebhookGetsAGeneratedSecretShownOnceAndEveryRolloutEventByDefault() {
        String secret = post("/subscriptions", Map.of("name", "ops", "url", "http://127.0.0.1:9999/hook"))
                .statusCode(201)
                .header("Location", startsWith("http"))
                .body("kind", equalTo("WEBHOOK"))
                .body("signed", equalTo(true))
                .body("applications", org.hamcrest.Matchers.empty())
                .body("events", equalTo(EventSelection.selectable()))
                .extract()
                .path("secret");
        assertThat(WebhookSecrets.isValid(secret)).isTrue();
        get("/subscriptions/ops")
                .statusCode(200)
                .body("secret", nullValue())
                .body("url", equalTo("http://127.0.0.1:9999/hook"));
        post("/subscriptions", Map.of("name", "ops", "url", "http://127.0.0.1:9999/other"))
                .statusCode(409);
    }

    @Test
    void slackIsRecognisedItsUrlMaskedAndClusterReadyLeftOutByDefault() {
        post("/subscriptions", Map.of("name", "chat", "url", "https://hooks.slack.com/services/T01/B02/s3cr3tT0ken"))
                .statusCode(201)
                .body("kind", equalTo("SLACK"))
                .body("signed", equalTo(false))
                .body("secret", nullValue())
                .body("url", equalTo("https://hooks.slack.com/services/T01/B02/****"))
                .body("events", not(hasItem(EventType.CLUSTERS_READY.type())))
                .body("events", not(hasItem(EventType.CLUSTER_READY.type())))
                .body("events", hasItem(EventType.ROLLOUT_SUCCEEDED.type()));
        get("/subscriptions")
                .body("find { it.name == 'chat' }.url", equalTo("https://hooks.slack.com/services/T01/B02/****"));
        post(
                        "/subscriptions",
                        Map.of(
                                "name",
                                "chat2",
                                "url",
                                "https://hooks.slack.com/services/T/B/x",
                                "secret",
                                WebhookSecrets.generate()))
                .statusCode(422)
                .body("errors.field", contains("secret"));
    }

    @Test
    void chosenEventsAcceptShortNamesAndApplicationsFilterTheList() {
        post(
                        "/subscriptions",
                        Map.of(
                                "name",
                                "shop-end",
                                "url",
                                "http://localhost:7000/x",
                                "applications",
                                List.of("shop"),
                                "events",
                                List.of("rollout.succeeded", "ringmaster.rollout.failed.v1", "Rollout.Aborted")))
                .statusCode(201)
                .body(
                        "events",
                        contains(
                                "ringmaster.rollout.succeeded.v1",
                                "ringmaster.rollout.failed.v1",
                                "ringmaster.rollout.aborted.v1"));
        get("/subscriptions?application=shop").body("name", hasItem("shop-end"));
        get("/subscriptions?application=other").body("name", not(hasItem("shop-end")));
    }

    @Test
    void badTargetsAndSelectionsAreRefusedFieldByFieldAndNothingIsStored() {
        post("/subscriptions", Map.of("name", "bad", "url", "ftp://example.com/x"))
                .statusCode(422)
                .body("errors[0].field", equalTo("url"))
                .body("errors[0].message", equalTo("must be an http or https URL"));
        post("/subscriptions", Map.of("name", "bad", "url", "http://169.254.169.254/latest/meta-data"))
                .statusCode(422)
                .body("errors[0].message", startsWith("resolves to a link-local address"));
        post("/subscriptions", Map.of("name", "bad", "url", "http://10.0.0.7/hook"))
                .statusCode(422)
                .body("errors[0].message", startsWith("resolves to a private address"));
        post("/subscriptions", Map.of("name", "bad", "url", "https://u:p@example.com/"))
                .statusCode(422);
        post(
                        "/subscriptions",
                        Map.of(
                                "name",
                                "bad",
                                "url",
                                "https://example.com/",
                                "events",
                                List.of("catalog.application.created")))
                .statusCode(422)
                .body("errors[0].field", equalTo("events[0]"));
        post("/subscriptions", Map.of("name", "bad", "url", "https://example.com/", "secret", "whsec_short"))
                .statusCode(422)
                .body("errors[0].field", equalTo("secret"));
        post("/subscriptions", Map.of("name", "bad", "url", "https://example.com/", "kind", "EMAIL"))
                .statusCode(422)
                .body("errors[0].field", equalTo("kind"));
        post("/subscriptions", Map.of("name", "Bad Name", "url", "https://example.com/"))
                .statusCode(422)
                .body("errors[0].field", equalTo("name"));
        get("/subscriptions/bad").statusCode(404);
    }

    @Test
    void rotationKeepsTheOldSecretForTheGracePeriodAndEveryChangeIsOneEvent() {
        String first = post("/subscriptions", Map.of("name", "rot", "url", "http://127.0.0.1:9/h"))
                .statusCode(201)
                .extract()
                .path("secret");
        String second = post("/subscriptions/rot/rotate-secret", Map.of("graceSeconds", 3600))
                .statusCode(200)
                .body("secret", notNullValue())
                .body("previousSecretExpiresAt", notNullValue())
                .extract()
                .path("secret");
        assertThat(second).isNotEqualTo(first);
        post("/subscriptions/rot/rotate-secret", Map.of("secret", second)).statusCode(422);
        post("/subscriptions/rot/rotate-secret", Map.of("graceSeconds", 8 * 24 * 3600))
                .statusCode(422);
        post("/subscriptions/none/rotate-secret", Map.of()).statusCode(404);
        delete("/subscriptions/rot").statusCode(204);
        delete("/subscriptions/rot").statusCode(404);

        try (CatalogEventsReader reader = new CatalogEventsReader(KafkaTestResource.bootstrapServers(), "rot")) {
            reader.awaitCount(3);
            assertThat(reader.types())
                    .containsExactly(
                            EventType.SUBSCRIPTION_SAVED.type(),
                            EventType.SUBSCRIPTION_SAVED.type(),
                            EventType.SUBSCRIPTION_DELETED.type());
            SubscriptionSaved created = reader.payload(reader.events().get(0), SubscriptionSaved.class);
            SubscriptionSaved rotated = reader.payload(reader.events().get(1), SubscriptionSaved.class);
            SubscriptionDeleted deleted = reader.payload(reader.events().get(2), SubscriptionDeleted.class);
            assertThat(created.secret()).isEqualTo(first);
            assertThat(created.previousSecret()).isNull();
            assertThat(rotated.secret()).isEqualTo(second);
            assertThat(rotated.previousSecret()).isEqualTo(first);
            assertThat(rotated.previousSecretExpiresAt())
                    .isBetween(
                            OffsetDateTime.now().plusMinutes(59),
                            OffsetDateTime.now().plusMinutes(61));
            assertThat(created.revision()).isLessThan(rotated.revision());
            assertThat(rotated.revision()).isLessThan(deleted.revision());
            assertThat(rotated.toString()).doesNotContain(first).doesNotContain(second);
        }
    }

    @Test
    void theDeliveryLogNeedsTheSubscriptionAndSaysWhenTheNotifierIsAway() {
        get("/subscriptions/nobody/deliveries").statusCode(404);
        post("/subscriptions", Map.of("name", "logged", "url", "http://127.0.0.1:9/h"))
                .statusCode(201);
        get("/subscriptions/logged/deliveries?limit=0").statusCode(400);
        // The test profile points the notifier at a port nobody listens on.
        get("/subscriptions/logged/deliveries")
                .statusCode(503)
                .contentType(Problem.MEDIA_TYPE)
                .body("title", equalTo("Notifier unavailable"));
    }
}
