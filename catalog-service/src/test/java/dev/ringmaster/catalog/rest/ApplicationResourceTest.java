package dev.ringmaster.catalog.rest;

import static dev.ringmaster.catalog.support.Api.addCluster;
import static dev.ringmaster.catalog.support.Api.createApp;
import static dev.ringmaster.catalog.support.Api.createService;
import static dev.ringmaster.catalog.support.Api.delete;
import static dev.ringmaster.catalog.support.Api.get;
import static dev.ringmaster.catalog.support.Api.post;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class ApplicationResourceTest {

    @Test
    void createGivesDefaultsAndALocation() {
        post("/applications", Map.of("name", "shop", "description", "The web shop"))
                .statusCode(201)
                .header("Location", endsWith("/api/v1/applications/shop"))
                .body("name", equalTo("shop"))
                .body("description", equalTo("The web shop"))
                .body("ringLabel", equalTo("ring"))
                .body("customizationPattern", equalTo("ring-{n}"))
                .body("createdAt", notNullValue())
                .body("services", empty())
                .body("clusters", empty());
        get("/applications/shop").statusCode(200).body("name", equalTo("shop"));
    }

    @Test
    void ringLabelAndCustomizationPatternCanBeChosen() {
        post(
                        "/applications",
                        Map.of(
                                "name",
                                "billing",
                                "ringLabel",
                                "ringmaster.dev/ring",
                                "customizationPattern",
                                "wave-{n}"))
                .statusCode(201)
                .body("ringLabel", equalTo("ringmaster.dev/ring"))
                .body("customizationPattern", equalTo("wave-{n}"));
    }

    @Test
    void aTakenNameIsAConflict() {
        createApp("taken");
        post("/applications", Map.of("name", "taken"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", equalTo("application 'taken' already exists"));
    }

    @Test
    void getShowsServicesClustersAndTheDependencyMap() {
        createApp("full");
        createService("full", "db");
        createService("full", "api", "db");
        createService("full", "web", "api");
        addCluster("full", "edge-1", 0);
        addCluster("full", "edge-2", 1);
        get("/applications/full")
                .statusCode(200)
                .body("services.name", contains("api", "db", "web"))
                .body("services.find { it.name == 'api' }.dependsOn", contains("db"))
                .body("services.find { it.name == 'api' }.dependents", contains("web"))
                .body("clusters.name", contains("edge-1", "edge-2"))
                .body("clusters.ring", contains(0, 1))
                .body("dependencyMap.layers", equalTo(List.of(List.of("db"), List.of("api"), List.of("web"))))
                .body("dependencyMap.dependsOn.web", contains("api"));
        get("/applications/full/map")
                .statusCode(200)
                .body("layers", equalTo(List.of(List.of("db"), List.of("api"), List.of("web"))));
    }

    @Test
    void listCountsServicesAndClusters() {
        createApp("listed");
        createService("listed", "one");
        addCluster("listed", "c1", 0);
        addCluster("listed", "c2", 0);
        get("/applications")
                .statusCode(200)
                .body("find { it.name == 'listed' }.services", equalTo(1))
                .body("find { it.name == 'listed' }.clusters", equalTo(2));
        // the counts follow removals, and a refused change counts nothing
        createService("listed", "two", "one");
        addCluster("listed", "c3", 1);
        post("/applications/listed/clusters", Map.of("name", "c3", "ring", 0)).statusCode(409);
        post(
                        "/applications/listed/services",
                        Map.of("name", "two", "repoUrl", "https://git.example.com/two.git", "currentVersion", "1.0.0"))
                .statusCode(409);
        delete("/applications/listed/services/one").statusCode(409); // "two" depends on it
        delete("/applications/listed/clusters/c1").statusCode(204);
        delete("/applications/listed/services/two").statusCode(204);
        createApp("counted-apart");
        addCluster("counted-apart", "c1", 0);
        get("/applications")
                .statusCode(200)
                .body("find { it.name == 'listed' }.services", equalTo(1))
                .body("find { it.name == 'listed' }.clusters", equalTo(2))
                .body("find { it.name == 'counted-apart' }.services", equalTo(0))
                .body("find { it.name == 'counted-apart' }.clusters", equalTo(1));
    }

    @Test
    void deleteRemovesServicesAndClustersToo() {
        createApp("doomed");
        createService("doomed", "a");
        createService("doomed", "b", "a");
        addCluster("doomed", "c1", 0);
        delete("/applications/doomed").statusCode(204);
        get("/applications/doomed").statusCode(404).contentType("application/problem+json");
        get("/applications").body("name", not(hasItem("doomed")));
        get("/services").body("application", not(hasItem("doomed")));
        get("/clusters").body("application", not(hasItem("doomed")));
        // The name is free again, and the new application starts empty.
        createApp("doomed");
        get("/applications/doomed").body("services", empty()).body("clusters", empty());
    }

    @Test
    void unknownApplicationsAre404s() {
        get("/applications/nope").statusCode(404).body("detail", equalTo("application 'nope' not found"));
        get("/applications/nope/map").statusCode(404);
        delete("/applications/nope").statusCode(404);
    }
}
