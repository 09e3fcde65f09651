package dev.ringmaster.catalog.rest;

import static dev.ringmaster.catalog.support.Api.addCluster;
import static dev.ringmaster.catalog.support.Api.createApp;
import static dev.ringmaster.catalog.support.Api.createService;
import static dev.ringmaster.catalog.support.Api.delete;
import static dev.ringmaster.catalog.support.Api.get;
import static dev.ringmaster.catalog.support.Api.post;
import static dev.ringmaster.catalog.support.Api.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.rollout.ClusterReady;
import dev.ringmaster.events.rollout.ClustersReady;
import dev.ringmaster.events.rollout.RolloutControl;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.RolloutStarted;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import dev.ringmaster.events.rollout.StepCommitted;
import dev.ringmaster.events.rollout.StepCompleted;
import dev.ringmaster.events.rollout.StepStarted;
import dev.ringmaster.infra.KafkaTestResource;
import dev.ringmaster.infra.PostgresTestResource;
import dev.ringmaster.infra.TopicReader;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class RolloutApiTest {

    private static final EventCodec CODEC = new EventCodec();

    @TestHTTPResource("/")
    URL base;

    private final String broker = KafkaTestResource.bootstrapServers();

    /** a; b depends on a; c has no plan. Ring 0: c1, c2. Ring 1: c3. */
    private void shop(String app) {
        createApp(app);
        createService(app, "a");
        createService(app, "b", "a");
        createService(app, "c");
        put("/applications/" + app + "/services/a/plan", Map.of("version", "2.0"))
                .statusCode(200);
        put("/applications/" + app + "/services/b/plan", Map.of("version", "3.0"))
                .statusCode(200);
        addCluster(app, "c1", 0);
        addCluster(app, "c2", 0);
        addCluster(app, "c3", 1);
    }

    private void emit(String rolloutId, Object payload) {
        CloudEvent e = CODEC.wrap("/test/orchestrator", rolloutId, payload);
        TopicReader.sendStructured(broker, Topics.ROLLOUT_EVENTS, List.of(Map.entry(rolloutId, CODEC.encode(e))));
    }

    @Test
    void aDryRunAnswersThePlanAndStartsNothing() {
        shop("dry");
        post("/applications/dry/rollouts?dryRun=true", Map.of("ring", 0))
                .statusCode(200)
                .body("layers", equalTo(List.of(List.of("a", "c"), List.of("b"))))
                .body("services.find { it.service == 'a' }.action", equalTo("bump"))
                .body("services.find { it.service == 'a' }.file", equalTo("fleet.yaml"))
                .body("services.find { it.service == 'a' }.fromVersion", equalTo("1.0.0"))
                .body("services.find { it.service == 'a' }.toVersion", equalTo("2.0"))
                .body("services.find { it.service == 'c' }.action", equalTo("skip: no plan"))
                .body("clusters", contains("c1", "c2"))
                .body("policy.clusterDeadline", equalTo("PT15M"));
        get("/rollouts?application=dry").statusCode(200).body("", empty());
    }

    @Test
    void aRolloutIsStoredAndRequestedWithItsSnapshotOnePerRingAtATime() {
        shop("req");
        try (TopicReader requests = new TopicReader(broker, Topics.ROLLOUT_REQUESTS)) {
            String id = post("/applications/req/rollouts", Map.of("ring", 0, "requestedBy", "alice"))
                    .statusCode(201)
                    .body("phase", equalTo("PENDING"))
                    .body("steps.service", contains("a", "c", "b"))
                    .extract()
                    .path("id");
            requests.awaitUntil(r -> r.stream().anyMatch(x -> x.key().equals(id)), Duration.ofSeconds(30));
            RolloutRequested sent = requests.records().stream()
                    .filter(x -> x.key().equals(id))
                    .map(x -> CODEC.payload(CODEC.decode(x.value()), RolloutRequested.class))
                    .findFirst()
                    .orElseThrow();
            assertThat(sent.ring()).isZero();
            assertThat(sent.requestedBy()).isEqualTo("alice");
            assertThat(sent.clusters()).extracting(c -> c.name()).containsExactly("c1", "c2");
            assertThat(sent.services())
                    .extracting(s -> s.service() + ":" + s.fromVersion() + "->" + s.toVersion())
                    .containsExactly("a:1.0.0->2.0", "b:1.0.0->3.0", "c:1.0.0->null");
            assertThat(sent.services().get(1).dependencies()).containsExactly("a");

            post("/applications/req/rollouts", Map.of("ring", 0))
                    .statusCode(409)
                    .body("rollout", equalTo(id))
                    .body("phase", equalTo("PENDING"));
            post("/applications/req/rollouts", Map.of("ring", 1)).statusCode(201);
            delete("/applications/req").statusCode(409);
            get("/rollouts?application=req&ring=0").body("id", contains(id));
        }
    }

    @Test
    void badRolloutRequestsAreRefused() {
        shop("bad");
        post("/applications/bad/rollouts", Map.of()).statusCode(422);
        post("/applications/bad/rollouts", Map.of("ring", 5))
                .statusCode(422)
                .body("detail", equalTo("ring 5 of bad has no clusters"));
        post("/applications/bad/rollouts", Map.of("ring", 0, "policy", Map.of("clusterDeadline", "PT2S")))
                .statusCode(422);
        post("/applications/bad/rollouts", Map.of("ring", 0, "policy", Map.of("onFailure", "SHRUG")))
                .statusCode(422);
        post("/applications/bad/rollouts", Map.of("ring", 0, "policy", Map.of("clusterDeadline", "soon")))
                .statusCode(400);
        post("/applications/nope/rollouts", Map.of("ring", 0)).statusCode(404);
        delete("/applications/bad/services/a/plan").statusCode(200);
        delete("/applications/bad/services/b/plan").statusCode(200);
        post("/applications/bad/rollouts", Map.of("ring", 0))
                .statusCode(422)
                .body(
                        "detail",
                        equalTo("nothing to roll out on ring 0: no service of bad has a planned version"
                                + " that ring does not run yet"));
        get("/rollouts/nope").statusCode(404);
        post("/rollouts/nope/pause", Map.of()).statusCode(404);
        get("/rollouts?phase=DANCING").statusCode(400);
        get("/rollouts?size=0").statusCode(400);
    }

    @Test
    void theProjectionFollowsTheOrchestratorAndSuccessSetsTheRingsVersions() throws Exception {
        shop("proj");
        String id = post("/applications/proj/rollouts", Map.of("ring", 0))
                .statusCode(201)
                .extract()
                .path("id");
        try (TopicReader requests = new TopicReader(broker, Topics.ROLLOUT_REQUESTS)) {
            post("/rollouts/" + id + "/pause", Map.of("reason", "lunch", "requestedBy", "bob"))
                    .statusCode(202);
            requests.awaitUntil(
                    r -> r.stream()
                            .filter(x -> x.key().equals(id))
                            .anyMatch(x -> x.value().contains("ringmaster.rollout.control.v1")),
                    Duration.ofSeconds(30));
            RolloutControl c = requests.records().stream()
                    .filter(x -> x.key().equals(id) && x.value().contains("control"))
                    .map(x -> CODEC.payload(CODEC.decode(x.value()), RolloutControl.class))
                    .findFirst()
                    .orElseThrow();
            assertThat(c.action()).isEqualTo(RolloutControl.Action.PAUSE);
            assertThat(c.reason()).isEqualTo("lunch");
        }

        // Follow the live stream while the orchestrator (played here) reports.
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<java.io.InputStream> sse = http.send(
                HttpRequest.newBuilder(URI.create(base + "api/v1/rollouts/" + id + "/events"))
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(sse.statusCode()).isEqualTo(200);
        CompletableFuture<List<String>> streamed = CompletableFuture.supplyAsync(() -> {
            List<String> types = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(sse.body()))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (line.startsWith("data:")) {
                        types.add(CODEC.mapper()
                                .readTree(line.substring(5))
                                .get("type")
                                .asText());
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return types;
        });

        emit(id, new RolloutStarted(id, "proj", 0, List.of(), List.of("c1", "c2"), List.of(List.of("a", "c"))));
        emit(id, new StepCompleted(id, "proj", 0, "c", "SKIPPED", "1.0.0", 0, 0, 0));
        emit(id, new StepStarted(id, "proj", 0, "a", "1.0.0", "2.0", id + ":a:1"));
        emit(id, new StepCommitted(id, "proj", 0, "a", "2.0", "0123456789abcdef", true, 2));
        CloudEvent ready = CODEC.wrap("/test", id, new ClusterReady(id, "proj", 0, "a", "c1", 1, 2));
        // in one send (most likely one batch): the event, a message that is not an event, the event again
        TopicReader.sendStructured(
                broker,
                Topics.ROLLOUT_EVENTS,
                List.of(
                        Map.entry(id, CODEC.encode(ready)),
                        Map.entry(id, "{not an event"),
                        Map.entry(id, CODEC.encode(ready))));
        emit(id, new ClusterReady(id, "proj", 0, "a", "c2", 2, 2));
        emit(id, new StepCompleted(id, "proj", 0, "a", "DONE", "2.0", 2, 0, 2));
        emit(id, new StepStarted(id, "proj", 0, "b", "1.0.0", "3.0", id + ":b:1"));
        emit(id, new StepCommitted(id, "proj", 0, "b", "3.0", "fedcba9876543210", true, 2));
        // a's clusters as histories stored before clusters-ready have them (one event each); b's as sent now
        emit(id, new ClustersReady(id, "proj", 0, "b", List.of("c1", "c2"), 2, 2));
        emit(id, new StepCompleted(id, "proj", 0, "b", "DONE", "3.0", 2, 0, 2));
        emit(id, new RolloutSucceeded(id, "proj", 0, Map.of("a", "2.0", "b", "3.0", "c", "1.0.0")));

        List<String> types = streamed.get(30, TimeUnit.SECONDS); // the stream ends with the rollout
        try (TopicReader parked = new TopicReader(broker, Topics.ROLLOUT_EVENTS + ".dlq")) {
            parked.awaitUntil(r -> !parked.values().isEmpty(), Duration.ofSeconds(30));
            assertThat(parked.values()).containsExactly("{not an event");
        }
        assertThat(types)
                .containsExactly(
                        "started",
                        "step-completed",
                        "step-started",
                        "step-committed",
                        "cluster-ready",
                        "cluster-ready",
                        "step-completed",
                        "step-started",
                        "step-committed",
                        "clusters-ready",
                        "step-completed",
                        "succeeded");

        get("/rollouts/" + id)
                .statusCode(200)
                .body("phase", equalTo("SUCCEEDED"))
                .body("timeline", hasSize(12))
                .body("timeline.find { it.type == 'clusters-ready' }.summary", equalTo("b: 2 clusters ready (2/2)"))
                .body("timeline.find { it.type == 'cluster-ready' }.summary", equalTo("a: c1 ready (1/2)"))
                .body("steps.find { it.service == 'a' }.phase", equalTo("DONE"))
                .body("steps.find { it.service == 'a' }.commit", equalTo("0123456789abcdef"))
                .body("steps.find { it.service == 'a' }.clusters.c1", equalTo("READY"))
                .body("steps.find { it.service == 'c' }.phase", equalTo("SKIPPED"))
                .body("steps.find { it.service == 'b' }.ready", equalTo(2))
                .body("steps.find { it.service == 'b' }.clusters.c1", equalTo("READY"))
                .body("steps.find { it.service == 'b' }.clusters.c2", equalTo("READY"));
        get("/applications/proj/versions")
                .statusCode(200)
                .body("rings", contains(0, 1))
                .body("services.find { it.service == 'a' }.rings.'0'", equalTo("2.0"))
                .body("services.find { it.service == 'a' }.rings.'1'", equalTo("1.0.0"))
                .body("services.find { it.service == 'b' }.rings.'0'", equalTo("3.0"));
        post("/rollouts/" + id + "/resume", Map.of()).statusCode(409);
        // The next rollout of ring 0 starts from what ring 0 runs now: nothing is left to do.
        post("/applications/proj/rollouts", Map.of("ring", 0)).statusCode(422);
        // A finished rollout's stream is its timeline, and then it ends.
        HttpResponse<String> replay = http.send(
                HttpRequest.newBuilder(URI.create(base + "api/v1/rollouts/" + id + "/events"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replay.body().lines().filter(l -> l.startsWith("data:"))).hasSize(12);
    }
}
