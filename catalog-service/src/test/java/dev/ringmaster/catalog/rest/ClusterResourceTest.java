package dev.ringmaster.catalog.rest;

import static dev.ringmaster.catalog.support.Api.addCluster;
import static dev.ringmaster.catalog.support.Api.createApp;
import static dev.ringmaster.catalog.support.Api.delete;
import static dev.ringmaster.catalog.support.Api.get;
import static dev.ringmaster.catalog.support.Api.post;
import static dev.ringmaster.catalog.support.Api.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.ringmaster.catalog.support.CatalogEventsReader;
import dev.ringmaster.events.EventType;
import dev.ringmaster.events.catalog.ClusterRingChanged;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ClusterResourceTest {

    @Test
    void registerDefaultsTheFleetClusterToFleetDefaultAndItsOwnName() {
        createApp("reg");
        post("/applications/reg/clusters", Map.of("name", "edge-1", "ring", 0))
                .statusCode(201)
                .body("fleetNamespace", equalTo("fleet-default"))
                .body("fleetName", equalTo("edge-1"))
                .body("ring", equalTo(0));
        post(
                        "/applications/reg/clusters",
                        Map.of("name", "edge-2", "ring", 2, "fleetNamespace", "fleet-local", "fleetName", "local"))
                .statusCode(201)
                .body("fleetNamespace", equalTo("fleet-local"))
                .body("fleetName", equalTo("local"));
        get("/applications/reg/clusters/edge-2").statusCode(200).body("ring", equalTo(2));
        post("/applications/reg/clusters", Map.of("name", "edge-1", "ring", 1)).statusCode(409);
        get("/applications/reg/clusters/none").statusCode(404);
    }

    @Test
    void listsPerApplicationPerRingAndAcrossAll() {
        createApp("lst-a");
        createApp("lst-b");
        addCluster("lst-a", "a0", 0);
        addCluster("lst-a", "a1", 1);
        addCluster("lst-b", "b0", 0);
        get("/applications/lst-a/clusters").body("name", contains("a0", "a1"));
        get("/applications/lst-a/clusters?ring=1").body("name", contains("a1"));
        get("/applications/lst-a/clusters?ring=7").body("", empty());
        get("/clusters?ring=0").body("findAll { it.application.startsWith('lst-') }.name", contains("a0", "b0"));
        get("/clusters").body("findAll { it.application.startsWith('lst-') }.name", contains("a0", "a1", "b0"));
        get("/applications/lst-a/clusters?ring=x").statusCode(400).contentType("application/problem+json");
        get("/clusters?ring=-1").statusCode(422);
    }

    @Test
    void aRingChangeShowsInBothRingsSiblingListsAndEmitsExactlyOneEvent() {
        createApp("ring");
        addCluster("ring", "c1", 0);
        addCluster("ring", "c2", 0);
        addCluster("ring", "c3", 1);
        get("/applications/ring/clusters/c1/siblings").body("name", contains("c2"));
        get("/applications/ring/clusters/c3/siblings").body("", empty());

        put("/applications/ring/clusters/c2/ring", Map.of("ring", 1))
                .statusCode(200)
                .body("ring", equalTo(1));
        // Moving it to the ring it is on already changes nothing and must not emit a second event.
        put("/applications/ring/clusters/c2/ring", Map.of("ring", 1)).statusCode(200);

        get("/applications/ring/clusters/c1/siblings").body("", empty());
        get("/applications/ring/clusters/c3/siblings").body("name", contains("c2"));
        get("/applications/ring/clusters/c2/siblings").body("name", contains("c3"));

        // A later change is a marker: the application's events are ordered, so once it is read every event the
        // ring changes caused has been read too.
        addCluster("ring", "marker", 5);
        try (CatalogEventsReader reader = new CatalogEventsReader(KafkaTestResource.bootstrapServers(), "ring")) {
            reader.awaitUntil(events -> events.stream()
                    .anyMatch(e -> e.type().equals(EventType.CLUSTER_REGISTERED.type())
                            && e.data().get("cluster").get("name").asText().equals("marker")));
            var ringChanges = reader.events().stream()
                    .filter(e -> e.type().equals(EventType.CLUSTER_RING_CHANGED.type()))
                    .toList();
            assertThat(ringChanges).hasSize(1);
            ClusterRingChanged change = reader.payload(ringChanges.get(0), ClusterRingChanged.class);
            assertThat(change.cluster().name()).isEqualTo("c2");
            assertThat(change.cluster().ring()).isEqualTo(1);
            assertThat(change.previousRing()).isZero();
        }
    }

    @Test
    void removeDeletesTheCluster() {
        createApp("rm");
        addCluster("rm", "c1", 0);
        addCluster("rm", "c2", 0);
        delete("/applications/rm/clusters/c1").statusCode(204);
        get("/applications/rm/clusters/c1").statusCode(404);
        get("/applications/rm/clusters/c2/siblings").body("", empty());
        delete("/applications/rm/clusters/c1").statusCode(404);
    }

    @Test
    void setRingValidatesTheRing() {
        createApp("badring");
        addCluster("badring", "c1", 0);
        put("/applications/badring/clusters/c1/ring", Map.of("ring", -2)).statusCode(422);
        put("/applications/badring/clusters/c1/ring", Map.of()).statusCode(422);
        put("/applications/badring/clusters/c1/ring", Map.of("ring", "two")).statusCode(400);
        get("/applications/badring/clusters/c1").body("ring", equalTo(0));
    }
}
