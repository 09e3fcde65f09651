package dev.ringmaster.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.fleetsim.FleetSimulator;
import dev.ringmaster.infra.EmbeddedKafka;
import dev.ringmaster.infra.GitHttpServer;
import dev.ringmaster.infra.ServiceProcess;
import dev.ringmaster.infra.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole system, as in production but on one machine: a Kafka broker, PostgreSQL (a schema per service), a Git
 * server over smart HTTP, the Fleet simulator, and the four packaged services as separate JVMs.
 */
final class Stack implements AutoCloseable {

    static final String GIT_USER = "ringmaster";
    static final String GIT_PASSWORD = "s3cret";
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final EmbeddedKafka kafka;
    final TestPostgres.Server db;
    final GitHttpServer git;
    final FleetSimulator fleet;
    final List<String> schemas = new ArrayList<>();
    final List<ServiceProcess> services = new ArrayList<>();
    ServiceProcess catalog;
    private final HttpClient http = HttpClient.newHttpClient();

    Stack() throws IOException {
        dir = Files.createTempDirectory("ringmaster-e2e");
        kafka = EmbeddedKafka.start();
        db = TestPostgres.server();
        git = GitHttpServer.start(dir.resolve("repos"), GIT_USER, GIT_PASSWORD);
        fleet = FleetSimulator.start(
                new FleetSimulator.Config(
                        "fleet-default",
                        Duration.ofMillis(300),
                        Duration.ZERO,
                        Duration.ZERO,
                        dir.resolve("fleet-git"),
                        GIT_USER,
                        GIT_PASSWORD),
                0);
    }

    /** Starts the four services; the fleet simulator runs in the background from now on. */
    Stack startServices() {
        fleet.runInBackground();
        Path logs = Path.of("target/e2e-logs");
        catalog = start("catalog-service", logs, withDb("catalog"));
        start("rollout-orchestrator", logs, withDb("orchestrator"));
        start(
                "git-committer",
                logs,
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        kafka.bootstrapServers(),
                        "RINGMASTER_GIT_WORKDIR",
                        dir.resolve("committer").toString(),
                        "RINGMASTER_GIT_USERNAME",
                        GIT_USER,
                        "RINGMASTER_GIT_PASSWORD",
                        GIT_PASSWORD));
        start(
                "fleet-watcher",
                logs,
                Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "RINGMASTER_FLEET_API_URL", fleet.apiUrl(),
                        "RINGMASTER_GIT_CACHE", dir.resolve("watcher-git").toString(),
                        "RINGMASTER_GIT_USERNAME", GIT_USER,
                        "RINGMASTER_GIT_PASSWORD", GIT_PASSWORD));
        return this;
    }

    private Map<String, String> withDb(String name) {
        String schema = db.createSchema("e2e_" + name);
        schemas.add(schema);
        return Map.of(
                "RINGMASTER_DB_URL", db.urlFor(schema),
                "RINGMASTER_DB_USER", db.user(),
                "RINGMASTER_DB_PASSWORD", db.password(),
                "RINGMASTER_DB_SCHEMA", schema,
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    }

    private ServiceProcess start(String module, Path logs, Map<String, String> env) {
        ServiceProcess p = ServiceProcess.start(
                module,
                Path.of("..", module, "target", "quarkus-app", "quarkus-run.jar"),
                env,
                logs,
                Duration.ofSeconds(90));
        services.add(p);
        return p;
    }

    // ---- the catalog's API

    JsonNode call(String method, String path, Object body, int expectedStatus) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(catalog.url() + "/api/v1" + path))
                    .header("content-type", "application/json");
            b = body == null
                    ? b.method(method, HttpRequest.BodyPublishers.noBody())
                    : b.method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != expectedStatus) {
                throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
            }
            return r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode get(String path) {
        return call("GET", path, null, 200);
    }

    @Override
    public void close() {
        services.forEach(ServiceProcess::close);
        fleet.close();
        git.close();
        kafka.close();
        schemas.forEach(db::dropSchema);
    }
}
