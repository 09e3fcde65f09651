package dev.ringmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.Topics;
import dev.ringmaster.events.rollout.ClusterFailed;
import dev.ringmaster.events.rollout.ClustersReady;
import dev.ringmaster.events.rollout.RolloutFailed;
import dev.ringmaster.events.rollout.RolloutStarted;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import dev.ringmaster.events.rollout.StepCommitted;
import dev.ringmaster.events.rollout.StepCompleted;
import dev.ringmaster.events.rollout.StepFailed;
import dev.ringmaster.events.rollout.StepStarted;
import dev.ringmaster.infra.EmbeddedKafka;
import dev.ringmaster.infra.ServiceProcess;
import dev.ringmaster.infra.TestPostgres;
import dev.ringmaster.infra.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every ringctl command against the packaged catalog (and notifier) with a real broker and PostgreSQL; both the
 * table and the JSON output are checked. Rollout progress comes from rollout.events, sent here as the orchestrator
 * sends it, so that {@code rollout watch} follows a real server-sent event stream.
 */
class RingctlIT {

    private static final Path LOGS = Path.of("target/it-logs");
    private static final EventCodec CODEC = new EventCodec();

    private static EmbeddedKafka kafka;
    private static TestPostgres.Server db;
    private static final List<String> schemas = new ArrayList<>();
    private static ServiceProcess catalog;
    private static ServiceProcess notifier;
    private static Cli cli;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
        db = TestPostgres.server();
        notifier = ServiceProcess.start(
                "notifier",
                Path.of("../notifier/target/quarkus-app/quarkus-run.jar"),
                env("cli_notifier"),
                LOGS,
                Duration.ofSeconds(60));
        Map<String, String> catalogEnv = new java.util.HashMap<>(env("cli_catalog"));
        catalogEnv.put("RINGMASTER_NOTIFIER_URL", notifier.url());
        catalog = ServiceProcess.start(
                "catalog-service",
                Path.of("../catalog-service/target/quarkus-app/quarkus-run.jar"),
                catalogEnv,
                LOGS,
                Duration.ofSeconds(60));
        cli = new Cli(catalog.url());
    }

    private static Map<String, String> env(String schemaPrefix) {
        String schema = db.createSchema(schemaPrefix);
        schemas.add(schema);
        return Map.of(
                "RINGMASTER_DB_URL", db.urlFor(schema),
                "RINGMASTER_DB_USER", db.user(),
                "RINGMASTER_DB_PASSWORD", db.password(),
                "RINGMASTER_DB_SCHEMA", schema,
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "RINGMASTER_TARGETS_ALLOW_LOOPBACK", "true");
    }

    @AfterAll
    static void stop() {
        for (ServiceProcess p : new ServiceProcess[] {catalog, notifier}) {
            if (p != null) {
                p.close();
            }
        }
        if (kafka != null) {
            kafka.close();
        }
        schemas.forEach(db::dropSchema);
    }

    private static Cli.Result ok(String... args) {
        Cli.Result r = cli.run(args);
        assertThat(r.exit())
                .as("ringctl %s\nout: %s\nerr: %s", String.join(" ", args), r.out(), r.err())
                .isZero();
        return r;
    }

    private static JsonNode json(String... args) {
        String[] all = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(args), java.util.stream.Stream.of("-o", "json"))
                .toArray(String[]::new);
        try {
            return Api.JSON.readTree(ok(all).out());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertOneLineError(Cli.Result r, int exit, String contains) {
        assertThat(r.exit()).as(r.err()).isEqualTo(exit);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err())
                .startsWith("error: ")
                .contains(contains)
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
    }

    /** The character position at which each column starts in the header, found again in every row. */
    private static void assertAligned(String table, String... headers) {
        String[] lines = table.split("\n");
        assertThat(lines[0]).startsWith(headers[0]);
        for (String h : headers) {
            int at = lines[0].indexOf(h);
            assertThat(at).as("header %s", h).isGreaterThanOrEqualTo(0);
            for (int i = 1; i < lines.length; i++) {
                assertThat(at == 0 || lines[i].length() <= at || lines[i].charAt(at - 1) == ' ')
                        .as("column %s in line '%s'", h, lines[i])
                        .isTrue();
            }
        }
    }

    @Test
    void applicationsServicesAndClustersAsTheOriginalToolsCommandsDid() {
        // create-application, display-applications, get-application-info
        assertThat(ok("app", "create", "shop", "--description", "The shop").out())
                .contains("application/shop created");
        assertOneLineError(cli.run("app", "create", "shop"), 4, "already exists");
        assertOneLineError(cli.run("app", "create", "Bad_Name"), 2, "name must be a DNS-1123 label");
        Cli.Result list = ok("app", "list");
        assertAligned(list.out(), "NAME", "SERVICES", "CLUSTERS", "CREATED", "DESCRIPTION");
        assertThat(list.out()).containsPattern("(?m)^shop\\s+0\\s+0\\s+");
        assertThat(json("app", "list").findValuesAsText("name")).contains("shop");
        assertThat(ok("app", "list", "-o", "yaml").out()).contains("name: shop").contains("description: The shop");
        assertOneLineError(cli.run("app", "get", "nope"), 3, "not found");

        // create-service, set-dependencies, get-service-info, display-services, set-rollout-plan, remove-service
        ok("service", "create", "shop", "api", "--repo", "https://git.example.com/shop/api.git", "--version", "1.0.0");
        ok(
                "service",
                "create",
                "shop",
                "auth",
                "--repo",
                "https://git.example.com/shop/auth.git",
                "--version",
                "2.0.0");
        ok(
                "service",
                "create",
                "shop",
                "web",
                "--repo",
                "https://git.example.com/shop/web.git",
                "--version",
                "3.0.0",
                "--depends-on",
                "api,auth",
                "--path",
                "deploy",
                "--branch",
                "release");
        assertOneLineError(
                cli.run(
                        "service",
                        "create",
                        "shop",
                        "x",
                        "--repo",
                        "https://git.example.com/x.git",
                        "--version",
                        "1",
                        "--depends-on",
                        "ghost"),
                2,
                "ghost");
        Cli.Result services = ok("service", "list", "shop");
        assertAligned(services.out(), "NAME", "VERSION", "PLANNED", "DEPENDS-ON", "REPO", "BRANCH", "PATH");
        assertThat(services.out())
                .containsPattern(
                        "(?m)^web\\s+3\\.0\\.0\\s+api,auth\\s+https://git.example.com/shop/web.git\\s+release\\s+deploy$");
        JsonNode web = json("service", "get", "shop", "web");
        assertThat(web.path("dependsOn").toString()).isEqualTo("[\"api\",\"auth\"]");
        assertThat(json("service", "get", "shop", "api").path("dependents").toString())
                .isEqualTo("[\"web\"]");
        assertOneLineError(cli.run("service", "set-deps", "shop", "api", "web"), 2, "cycle");
        ok("service", "set-deps", "shop", "web", "api");
        assertThat(json("service", "get", "shop", "web").path("dependsOn").toString())
                .isEqualTo("[\"api\"]");
        ok("service", "set-deps", "shop", "web", "api", "auth");
        assertThat(ok("service", "plan", "shop", "api", "1.1.0").out()).contains("next rollout brings 1.1.0");
        assertThat(json("service", "get", "shop", "api").path("plannedVersion").asText())
                .isEqualTo("1.1.0");
        assertThat(cli.run("service", "plan", "shop", "api").exit()).isEqualTo(2);
        ok("service", "plan", "shop", "auth", "2.1.0");
        ok("service", "plan", "shop", "auth", "--clear");
        assertThat(json("service", "get", "shop", "auth").path("plannedVersion").isNull())
                .isTrue();
        assertOneLineError(cli.run("service", "delete", "shop", "api"), 4, "web");
        ok("service", "create", "shop", "tmp", "--repo", "https://git.example.com/shop/tmp.git", "--version", "1");
        ok("service", "delete", "shop", "tmp");
        assertOneLineError(cli.run("service", "get", "shop", "tmp"), 3, "not found");
        ok("app", "create", "other");
        ok("service", "create", "other", "db", "--repo", "https://git.example.com/other/db.git", "--version", "9");
        Cli.Result all = ok("service", "list", "--all");
        assertAligned(all.out(), "APPLICATION", "NAME", "VERSION");
        assertThat(all.out()).containsPattern("(?m)^other\\s+db\\s+9").containsPattern("(?m)^shop\\s+web\\s+3\\.0\\.0");
        assertThat(json("service", "list", "--all").size()).isGreaterThanOrEqualTo(4);

        // get-service-map
        Cli.Result map = ok("app", "map", "shop");
        assertThat(map.out())
                .containsPattern("(?m)^0\\s+api")
                .containsPattern("(?m)^0\\s+auth")
                .containsPattern("(?m)^1\\s+web\\s+api,auth$");
        assertThat(json("app", "map", "shop").path("layers").toString()).isEqualTo("[[\"api\",\"auth\"],[\"web\"]]");
        String dot = ok("app", "map", "shop", "-o", "dot").out();
        assertThat(dot)
                .startsWith("digraph \"shop\" {")
                .contains("\"web\" -> \"api\";")
                .contains("\"web\" -> \"auth\";")
                .contains("subgraph layer_1 { rank=same; \"web\" }");
        assertThat(cli.run("app", "list", "-o", "dot").exit()).isEqualTo(2);

        // add-cluster, display-clusters, get-cluster-info, list-cluster-siblings, update-cluster-ring, remove-cluster
        ok("cluster", "add", "shop", "edge-1", "--ring", "0");
        ok(
                "cluster",
                "add",
                "shop",
                "edge-2",
                "--ring",
                "0",
                "--fleet-namespace",
                "fleet-local",
                "--fleet-name",
                "local");
        ok("cluster", "add", "shop", "edge-3", "--ring", "1");
        assertOneLineError(cli.run("cluster", "add", "shop", "edge-3", "--ring", "2"), 4, "already exists");
        assertOneLineError(cli.run("cluster", "add", "shop", "edge-9", "--ring", "1000"), 2, "ring");
        Cli.Result clusters = ok("cluster", "list", "shop");
        assertAligned(clusters.out(), "NAME", "RING", "FLEET-NAMESPACE", "FLEET-NAME", "CREATED");
        assertThat(clusters.out()).containsPattern("(?m)^edge-2\\s+0\\s+fleet-local\\s+local\\s+");
        assertThat(json("cluster", "list", "shop", "--ring", "1").findValuesAsText("name"))
                .containsExactly("edge-3");
        assertThat(json("cluster", "siblings", "shop", "edge-1").findValuesAsText("name"))
                .containsExactly("edge-2");
        assertThat(ok("cluster", "siblings", "shop", "edge-1").out())
                .contains("edge-2")
                .doesNotContain("edge-3");
        ok("cluster", "set-ring", "shop", "edge-3", "0");
        assertThat(json("cluster", "get", "shop", "edge-3").path("ring").asInt())
                .isZero();
        assertThat(ok("cluster", "get", "shop", "edge-3").out()).containsPattern("(?m)^edge-3\\s+0\\s+fleet-default");
        ok("cluster", "add", "other", "o-1", "--ring", "0");
        assertThat(json("cluster", "list", "--all", "--ring", "0").findValuesAsText("name"))
                .contains("edge-1", "o-1");
        ok("cluster", "remove", "shop", "edge-3");
        assertOneLineError(cli.run("cluster", "get", "shop", "edge-3"), 3, "not found");

        Cli.Result info = ok("app", "get", "shop");
        assertThat(info.out())
                .contains("Name:          shop")
                .contains("Services:")
                .contains("Clusters:")
                .contains("0: api,auth")
                .contains("1: web");
        assertThat(json("app", "get", "shop").path("services").size()).isEqualTo(3);

        // create-rollout, get-rollout-history, cancel-rollout
        Cli.Result plan = ok("rollout", "create", "shop", "--ring", "0", "--dry-run");
        assertThat(plan.out())
                .contains("Plan for shop ring 0 (2 clusters)")
                .containsPattern("(?m)^0\\s+api\\s+1\\.0\\.0\\s+1\\.1\\.0\\s+bump\\s+fleet.yaml$")
                .containsPattern("(?m)^1\\s+web\\s+3\\.0\\.0\\s+skip: no plan");
        assertThat(json("rollout", "list", "--app", "shop")).isEmpty();
        JsonNode created = json(
                "rollout", "create", "shop", "--ring", "0", "--tolerate", "1", "--deadline", "5m", "--by", "alice");
        String id = created.path("id").asText();
        assertThat(created.path("phase").asText()).isEqualTo("PENDING");
        assertOneLineError(
                cli.run("rollout", "create", "shop", "--ring", "0"), 4, "one rollout per application and ring");
        Cli.Result history = ok("rollout", "list", "--app", "shop");
        assertAligned(history.out(), "ID", "APPLICATION", "RING", "PHASE", "REQUESTED-BY");
        assertThat(history.out()).containsPattern("(?m)^" + id + "\\s+shop\\s+0\\s+PENDING\\s+alice");
        assertThat(json("rollout", "list").findValuesAsText("id")).contains(id);
        assertThat(json("rollout", "get", id)
                        .path("policy")
                        .path("clusterDeadline")
                        .asText())
                .isEqualTo("PT5M");
        assertThat(ok("rollout", "get", id).out())
                .contains("Phase:       PENDING")
                .containsPattern("(?m)^api\\s+1\\.0\\.0\\s+1\\.1\\.0\\s+WAITING\\s+0/0");
        assertThat(ok("rollout", "pause", id, "--reason", "lunch").out()).contains("pause requested");
        assertThat(ok("rollout", "abort", id).out()).contains("abort requested");
        assertOneLineError(cli.run("rollout", "get", "00000000-0000-0000-0000-000000000000"), 3, "not found");

        // remove-application
        assertThat(ok("app", "delete", "other").out()).contains("application/other deleted");
        assertOneLineError(cli.run("app", "get", "other"), 3, "not found");
        assertThat(json("app", "list").findValuesAsText("name")).doesNotContain("other");
        ok("app", "create", "gone");
        assertThat(json("app", "delete", "gone").path("deleted").asText()).isEqualTo("gone");
        assertOneLineError(cli.run("app", "delete", "gone"), 3, "not found");
    }

    @Test
    void watchRedrawsInATerminalAndExitsZeroWhenTheRolloutSucceeds() throws Exception {
        String id = prepareRollout("live");
        CompletableFuture<Cli.Result> watch =
                CompletableFuture.supplyAsync(() -> cli.run("rollout", "watch", id, "--tty"));
        List<Object> events = new ArrayList<>();
        events.add(new RolloutStarted(
                id, "live", 0, List.of(), List.of("l1", "l2", "l3"), List.of(List.of("api"), List.of("web"))));
        for (String svc : List.of("api", "web")) {
            events.add(new StepStarted(id, "live", 0, svc, "1.0.0", "1.1.0", "cmd-" + svc));
            events.add(new StepCommitted(id, "live", 0, svc, "1.1.0", "abc123def4567890", true, 3));
            events.add(new ClustersReady(id, "live", 0, svc, List.of("l1", "l2"), 2, 3));
            events.add(new ClustersReady(id, "live", 0, svc, List.of("l3"), 3, 3));
            events.add(new StepCompleted(id, "live", 0, svc, "DONE", "1.1.0", 3, 0, 3));
        }
        events.add(new RolloutSucceeded(id, "live", 0, Map.of("api", "1.1.0", "web", "1.1.0")));
        publish(id, events);
        Cli.Result r = watch.get(60, TimeUnit.SECONDS);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("\033[3A").contains("\033[2K"); // it went back up over its 3 lines and redrew
        String[] frames = r.out().split("\033\\[3A");
        String last = frames[frames.length - 1].replace("\033[2K", "").replace("\r", "");
        assertThat(last)
                .contains("rollout " + id + "  live ring 0  SUCCEEDED")
                .containsPattern("api\\s+1\\.0\\.0 -> 1\\.1\\.0\\s+DONE\\s+\\[#{20}\\] 3/3")
                .containsPattern("web\\s+1\\.0\\.0 -> 1\\.1\\.0\\s+DONE\\s+\\[#{20}\\] 3/3");
    }

    @Test
    void watchPrintsPlainLinesWithoutATerminalNamesFailuresAndExitsFiveWhenTheRolloutFails() throws Exception {
        String id = prepareRollout("sad");
        List<Object> events = List.of(
                new RolloutStarted(
                        id, "sad", 0, List.of(), List.of("l1", "l2", "l3"), List.of(List.of("api"), List.of("web"))),
                new StepStarted(id, "sad", 0, "api", "1.0.0", "1.1.0", "cmd-api"),
                new StepCommitted(id, "sad", 0, "api", "1.1.0", "abc123def4567890", true, 3),
                new ClustersReady(id, "sad", 0, "api", List.of("l1"), 1, 3),
                new ClusterFailed(id, "sad", 0, "api", "l2", "ErrApplied", "helm failed", 1, 3),
                new StepFailed(id, "sad", 0, "api", "1 of 3 clusters failed; 0 tolerated", false),
                new RolloutFailed(id, "sad", 0, "step api failed"));
        publish(id, events); // before watching: the stream replays the timeline, then ends with the rollout
        awaitPhase(id, "FAILED");
        Cli.Result r = new Cli(catalog.url()).env("RINGCTL_TTY", "0").run("rollout", "watch", id);
        assertThat(r.exit()).isEqualTo(ExitCodes.ROLLOUT_NOT_SUCCEEDED);
        assertThat(r.out()).doesNotContain("\033[");
        assertThat(r.out())
                .contains("FAILED (step api failed)")
                .containsPattern(
                        "\\[\\d\\d:\\d\\d\\]   api\\s+1\\.0\\.0 -> 1\\.1\\.0\\s+DEPLOYING\\s+\\[#{6}\\.{14}\\] 1/3")
                .contains("failed: l2 (ErrApplied)");
        // one line per change of a step, not per event: api's lines are WAITING, COMMITTING, DEPLOYING 0/3, 1/3,
        // 1/3 with the failure named, FAILED
        assertThat(r.out()
                        .lines()
                        .filter(l -> l.contains("] ") && l.contains(" api "))
                        .count())
                .isEqualTo(6);
    }

    @Test
    void watchGivesUpAfterItsTimeoutWithExitOne() {
        String id = prepareRollout("stuck"); // no orchestrator here: it stays PENDING
        Cli.Result r = new Cli(catalog.url()).env("RINGCTL_TTY", "0").run("rollout", "watch", id, "--timeout", "2s");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("timed out after 2 s; the rollout is PENDING");
    }

    @Test
    void subscriptionsAndTheirDeliveryLog() {
        Cli.Result added = ok(
                "subscription",
                "add",
                "ops",
                "--url",
                "http://127.0.0.1:9/hook",
                "-a",
                "shop",
                "-e",
                "rollout.succeeded");
        assertThat(added.out())
                .contains("subscription/ops created")
                .containsPattern("signing secret \\(shown once\\): whsec_\\S+");
        assertOneLineError(cli.run("subscription", "add", "ops", "--url", "http://127.0.0.1:9/x"), 4, "already exists");
        assertOneLineError(cli.run("subscription", "add", "bad", "--url", "ftp://example.com/x"), 2, "http or https");
        Cli.Result list = ok("subscription", "list");
        assertAligned(list.out(), "NAME", "KIND", "URL", "APPLICATIONS", "EVENTS", "SIGNED");
        assertThat(list.out()).containsPattern("(?m)^ops\\s+WEBHOOK\\s+http://127.0.0.1:9/hook\\s+shop\\s+1\\s+true$");
        assertThat(json("subscription", "get", "ops").path("events").toString())
                .isEqualTo("[\"ringmaster.rollout.succeeded.v1\"]");
        Cli.Result deliveries = ok("subscription", "deliveries", "ops");
        assertThat(deliveries.out().strip()).startsWith("EVENT").contains("STATE");
        assertThat(json("subscription", "deliveries", "ops")).isEmpty();
        assertThat(ok("subscription", "rotate-secret", "ops", "--grace", "1h").out())
                .contains("whsec_");
        ok("subscription", "remove", "ops");
        assertOneLineError(cli.run("subscription", "get", "ops"), 3, "not found");
    }

    @Test
    void versionAndTheLauncherScript() throws Exception {
        assertThat(json("version").path("status").asText()).isEqualTo("reachable");
        ProcessBuilder down = new ProcessBuilder("../ringctl", "app", "list", "--server", "http://127.0.0.1:1")
                .redirectErrorStream(true);
        down.environment().put("RINGCTL_CONFIG", "/nonexistent");
        Process p = down.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // the launcher runs the jar, which fails as ringctl fails: one line, exit 1
        assertThat(out.strip()).startsWith("error: cannot reach the catalog").doesNotContain("Exception");
        assertThat(p.exitValue()).isEqualTo(1);
        ProcessBuilder pb = new ProcessBuilder("../ringctl", "app", "list").redirectErrorStream(true);
        pb.environment().put("RINGCTL_SERVER", catalog.url());
        Process q = pb.start();
        String listed = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(q.exitValue()).as(listed).isZero();
        assertThat(listed).startsWith("NAME");
    }

    private static String prepareRollout(String app) {
        ok("app", "create", app);
        ok(
                "service",
                "create",
                app,
                "api",
                "--repo",
                "https://git.example.com/" + app + "/api.git",
                "--version",
                "1.0.0");
        ok(
                "service",
                "create",
                app,
                "web",
                "--repo",
                "https://git.example.com/" + app + "/web.git",
                "--version",
                "1.0.0",
                "--depends-on",
                "api");
        ok("service", "plan", app, "api", "1.1.0");
        ok("service", "plan", app, "web", "1.1.0");
        for (int i = 1; i <= 3; i++) {
            ok("cluster", "add", app, "l" + i, "--ring", "0");
        }
        return json("rollout", "create", app, "--ring", "0").path("id").asText();
    }

    private static void publish(String rolloutId, List<Object> payloads) {
        TopicReader.sendStructured(
                kafka.bootstrapServers(),
                Topics.ROLLOUT_EVENTS,
                payloads.stream()
                        .map(p -> Map.entry(
                                rolloutId, CODEC.encode(CODEC.wrap("/ringmaster/rollout-orchestrator", rolloutId, p))))
                        .toList());
    }

    private static void awaitPhase(String id, String phase) {
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> json("rollout", "get", id).path("phase").asText().equals(phase));
    }
}
