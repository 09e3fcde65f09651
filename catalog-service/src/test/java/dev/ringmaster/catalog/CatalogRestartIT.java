package dev.ringmaster.catalog;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import dev.ringmaster.catalog.support.CatalogEventsReader;
import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.infra.EmbeddedKafka;
import dev.ringmaster.infra.ServiceProcess;
import dev.ringmaster.infra.TestPostgres;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged catalog as a separate process. Changes are made while the relay is off, then the process is killed
 * (SIGKILL) with their events still in the outbox; the restarted catalog has every change and publishes every event
 * once, in order. State and events are written atomically, so a crash between the two loses nothing.
 */
class CatalogRestartIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Path LOGS = Path.of("target/it-logs");

    private static EmbeddedKafka kafka;
    private static TestPostgres.Server db;
    private static String schema;

    @BeforeAll
    static void infrastructure() {
        kafka = EmbeddedKafka.start();
        db = TestPostgres.server();
        schema = db.createSchema("restart");
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

    private static ServiceProcess catalog(boolean relay) {
        return ServiceProcess.start(
                "catalog-service",
                JAR,
                Map.of(
                        "RINGMASTER_DB_URL", db.urlFor(schema),
                        "RINGMASTER_DB_USER", db.user(),
                        "RINGMASTER_DB_PASSWORD", db.password(),
                        "RINGMASTER_DB_SCHEMA", schema,
                        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "RINGMASTER_OUTBOX_RELAY_ENABLED", String.valueOf(relay)),
                LOGS,
                Duration.ofSeconds(60));
    }

    private static void post(ServiceProcess p, String path, Map<String, Object> body) {
        given().baseUri(p.url())
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/v1" + path)
                .then()
                .statusCode(201);
    }

    @Test
    void killedBetweenCommitAndPublishItLosesNothingAndPublishesEachEventOnce() throws Exception {
        ServiceProcess first = catalog(false);
        post(first, "/applications", Map.of("name", "survivor"));
        post(
                first,
                "/applications/survivor/services",
                Map.of("name", "db", "repoUrl", "https://g.example.com/db.git", "currentVersion", "1.0"));
        post(
                first,
                "/applications/survivor/services",
                Map.of(
                        "name",
                        "api",
                        "repoUrl",
                        "https://g.example.com/api.git",
                        "currentVersion",
                        "2.0",
                        "dependsOn",
                        List.of("db")));
        post(first, "/applications/survivor/clusters", Map.of("name", "edge-1", "ring", 0));
        first.kill();
        assertThat(first.isAlive()).isFalse();

        List<String> waiting = outboxEventIds();
        assertThat(waiting)
                .as("events committed with their changes, not yet published")
                .hasSize(4);

        try (ServiceProcess second = catalog(true);
                CatalogEventsReader reader = new CatalogEventsReader(kafka.bootstrapServers(), "survivor")) {
            given().baseUri(second.url())
                    .get("/api/v1/applications/survivor")
                    .then()
                    .statusCode(200)
                    .body("services.name", contains("api", "db"))
                    .body("clusters.name", contains("edge-1"))
                    .body("dependencyMap.layers", equalTo(List.of(List.of("db"), List.of("api"))));

            reader.awaitCount(4);
            assertThat(reader.events().stream().map(CloudEvent::id)).containsExactlyElementsOf(waiting);
            // A change after the restart is published after the four: nothing was duplicated before it.
            post(second, "/applications/survivor/clusters", Map.of("name", "edge-2", "ring", 1));
            reader.awaitCount(5);
            assertThat(reader.events()).hasSize(5);
            assertThat(outboxEventIds()).isEmpty();
        }
    }

    private static List<String> outboxEventIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT event_id FROM " + schema + ".outbox ORDER BY id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
