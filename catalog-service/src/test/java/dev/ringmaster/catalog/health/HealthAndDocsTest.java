package dev.ringmaster.catalog.health;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** What operators and API users reach besides the API: probes, metrics, the OpenAPI document, Swagger UI. */
@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class HealthAndDocsTest {

    @Test
    void readinessReportsTheOutboxRelay() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("outbox"))
                .body("checks.find { it.name == 'outbox' }.data.relayEnabled", equalTo(true))
                .body("checks.find { it.name == 'outbox' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void metricsIncludeTheOutboxCounter() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("ringmaster_outbox_published"));
    }

    @Test
    void theOpenApiDocumentDescribesTheApi() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("info.title", equalTo("Ringmaster catalog API"))
                .body("paths.keySet()", hasItem("/api/v1/applications/{app}/services/{service}/dependencies"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }
}
