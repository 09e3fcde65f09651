package dev.ringmaster.catalog.messaging;

import static dev.ringmaster.catalog.support.Api.addCluster;
import static dev.ringmaster.catalog.support.Api.createApp;
import static dev.ringmaster.catalog.support.Api.createService;
import static dev.ringmaster.catalog.support.Api.delete;
import static dev.ringmaster.catalog.support.Api.put;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.catalog.support.CatalogEventsReader;
import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventType;
import dev.ringmaster.events.catalog.ApplicationDeleted;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.catalog.ClusterRegistered;
import dev.ringmaster.events.catalog.RolloutPlanSet;
import dev.ringmaster.events.catalog.ServiceCreated;
import dev.ringmaster.events.catalog.ServiceDependenciesChanged;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reads catalog.events from the real broker: exactly the changes made, in order per application. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class CatalogEventsTest {

    private static String type(EventType t) {
        return t.type();
    }

    @Test
    void everyChangeIsOneEventInOrderPerApplicationAndNoOpsAreSilent() {
        // Two applications changed in interleaved order: each must see only its own events, in its own order.
        createApp("ev-a");
        createApp("ev-b");
        createService("ev-a", "db");
        createService("ev-b", "solo");
        createService("ev-a", "api", "db");
        addCluster("ev-a", "c1", 0);
        addCluster("ev-b", "x1", 2);
        put("/applications/ev-a/services/api/plan", Map.of("version", "2.0.0")).statusCode(200);
        put("/applications/ev-a/services/api/plan", Map.of("version", "2.0.0")).statusCode(200); // no-op
        put("/applications/ev-a/services/api/dependencies", Map.of("dependsOn", List.of("db")))
                .statusCode(200); // no-op
        put("/applications/ev-a/services/api/dependencies", Map.of("dependsOn", List.of()))
                .statusCode(200);
        put("/applications/ev-a/clusters/c1/ring", Map.of("ring", 1)).statusCode(200);
        put("/applications/ev-a/clusters/c1/ring", Map.of("ring", 1)).statusCode(200); // no-op
        delete("/applications/ev-a/services/api").statusCode(204);
        delete("/applications/ev-a/clusters/c1").statusCode(204);
        delete("/applications/ev-b").statusCode(204);
        // Refused changes send nothing either.
        put("/applications/ev-a/services/db/dependencies", Map.of("dependsOn", List.of("db")))
                .statusCode(422);
        delete("/applications/ev-a/services/nope").statusCode(404);
        delete("/applications/ev-a").statusCode(204);

        String broker = KafkaTestResource.bootstrapServers();
        try (CatalogEventsReader a = new CatalogEventsReader(broker, "ev-a");
                CatalogEventsReader b = new CatalogEventsReader(broker, "ev-b")) {
            // The last change of each application is the last event it can have: await it, then compare all.
            a.awaitUntil(events -> events.stream().anyMatch(e -> e.type().equals(type(EventType.APPLICATION_DELETED))));
            b.awaitUntil(events -> events.stream().anyMatch(e -> e.type().equals(type(EventType.APPLICATION_DELETED))));

            assertThat(a.types())
                    .containsExactly(
                            type(EventType.APPLICATION_CREATED),
                            type(EventType.SERVICE_CREATED),
                            type(EventType.SERVICE_CREATED),
                            type(EventType.CLUSTER_REGISTERED),
                            type(EventType.ROLLOUT_PLAN_SET),
                            type(EventType.SERVICE_DEPENDENCIES_CHANGED),
                            type(EventType.CLUSTER_RING_CHANGED),
                            type(EventType.SERVICE_DELETED),
                            type(EventType.CLUSTER_REMOVED),
                            type(EventType.APPLICATION_DELETED));
            assertThat(b.types())
                    .containsExactly(
                            type(EventType.APPLICATION_CREATED),
                            type(EventType.SERVICE_CREATED),
                            type(EventType.CLUSTER_REGISTERED),
                            type(EventType.APPLICATION_DELETED));

            List<CloudEvent> ev = a.events();
            assertThat(a.payload(ev.get(2), ServiceCreated.class))
                    .isEqualTo(new ServiceCreated(
                            "ev-a",
                            "api",
                            "https://git.example.com/ev-a/api.git",
                            "main",
                            ".",
                            "helm.values.image.tag",
                            "1.0.0",
                            List.of("db")));
            assertThat(a.payload(ev.get(3), ClusterRegistered.class))
                    .isEqualTo(new ClusterRegistered("ev-a", new ClusterRef("c1", 0, "fleet-default", "c1"), "ring"));
            assertThat(a.payload(ev.get(4), RolloutPlanSet.class))
                    .isEqualTo(new RolloutPlanSet("ev-a", "api", "2.0.0"));
            assertThat(a.payload(ev.get(5), ServiceDependenciesChanged.class).dependencies())
                    .isEmpty();
            assertThat(a.payload(ev.get(9), ApplicationDeleted.class))
                    .isEqualTo(new ApplicationDeleted("ev-a", List.of("db"), List.of()));
            assertThat(b.payload(b.events().get(3), ApplicationDeleted.class))
                    .isEqualTo(new ApplicationDeleted(
                            "ev-b", List.of("solo"), List.of(new ClusterRef("x1", 2, "fleet-default", "x1"))));

            // CloudEvents structured mode on the wire, keyed by application, unique ids.
            a.records().forEach(r -> {
                assertThat(r.key()).isEqualTo("ev-a");
                assertThat(new String(r.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8))
                        .isEqualTo(CloudEvent.STRUCTURED_CONTENT_TYPE);
            });
            assertThat(ev).allSatisfy(e -> {
                assertThat(e.source()).isEqualTo("/ringmaster/catalog-service");
                assertThat(e.subject()).isEqualTo("ev-a");
            });
            assertThat(ev.stream().map(CloudEvent::id).distinct()).hasSize(ev.size());
        }
    }
}
