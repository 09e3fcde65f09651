package dev.ringmaster.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.cli.Ringctl;
import dev.ringmaster.fleetsim.Behaviour;
import dev.ringmaster.fleetsim.FleetSimulator;
import dev.ringmaster.infra.HttpReceiver;
import dev.ringmaster.sandbox.SampleApp;
import dev.ringmaster.sandbox.Sandbox;
import dev.ringmaster.sandbox.SandboxConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The sandbox's processes (Kafka as its own JVM, the embedded PostgreSQL, the JGit smart-HTTP server, fleet-sim, the
 * five packaged services), driven through ringctl as a person would: ring 0 with a failing cluster (the rollout
 * pauses, resume completes it), a ring change of one cluster, then ring 1. Afterwards the Git history, the simulated
 * clusters and a webhook receiver are checked.
 */
class SandboxE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = SampleApp.NAME;
    private static final int CLUSTERS = 9; // cluster-000..008, ring = i % 3
    private static Sandbox sandbox;

    @BeforeAll
    static void start() {
        SandboxConfig config = SandboxConfig.defaults(
                        Path.of("..").toAbsolutePath().normalize())
                .withDir(Path.of("target/e2e-sandbox").toAbsolutePath())
                .withPorts(SandboxConfig.Ports.free())
                .withClusters(CLUSTERS, 3);
        sandbox = Sandbox.start(config, new PrintStream(PrintStream.nullOutputStream()));
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run ringctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Ringctl.commandLine(new Ringctl(
                Map.of("RINGCTL_SERVER", sandbox.catalogUrl(), "RINGCTL_CONFIG", "/nonexistent", "RINGCTL_TTY", "0")));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    private static String ok(String... args) {
        Run r = ringctl(args);
        assertThat(r.exit())
                .as("ringctl %s: %s %s", String.join(" ", args), r.out(), r.err())
                .isZero();
        return r.out();
    }

    private static JsonNode json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-o", "json"));
        return JSON.readTree(ok(all.toArray(String[]::new)));
    }

    private static String cluster(int i) {
        return String.format("cluster-%03d", i);
    }

    @Test
    void ringZeroPausesOnAFailureAndCompletesOnResumeThenRingOneHonoursARingChange() throws Exception {
        try (HttpReceiver hook = HttpReceiver.start()) {
            ok("app", "create", APP);
            for (Map.Entry<String, List<String>> s : SampleApp.SERVICES.entrySet()) {
                List<String> args = new ArrayList<>(List.of(
                        "service",
                        "create",
                        APP,
                        s.getKey(),
                        "--repo",
                        sandbox.gitUrl(s.getKey()),
                        "--version",
                        "1.0.0"));
                if (!s.getValue().isEmpty()) {
                    args.addAll(List.of("--depends-on", String.join(",", s.getValue())));
                }
                ok(args.toArray(String[]::new));
            }
            for (int i = 0; i < CLUSTERS; i++) {
                ok("cluster", "add", APP, cluster(i), "--ring", String.valueOf(i % 3));
            }
            ok("subscription", "add", "e2e-hook", "--url", hook.url(), "--app", APP);
            for (String s : SampleApp.SERVICES.keySet()) {
                ok("service", "plan", APP, s, "2.0.0");
            }
            // Fleet deployed every service everywhere at 1.0.0 before any rollout.
            FleetSimulator fleet = sandbox.fleet();
            await().atMost(Duration.ofMinutes(2)).until(() -> {
                for (int i = 0; i < CLUSTERS; i++) {
                    if (bundleDeployments(fleet, cluster(i)).size() != SampleApp.SERVICES.size()) {
                        return false;
                    }
                }
                return true;
            });
            Map<String, Object> before = deploymentIds(fleet);

            // Ring 0; cluster-003 fails to apply: the rollout pauses.
            fleet.setBehaviour(cluster(3), Behaviour.ERR_APPLIED);
            String ring0 = json("rollout", "create", APP, "--ring", "0", "--by", "e2e")
                    .path("id")
                    .asText();
            // Paused, and settled: no step is still committing or deploying (a step already deploying when the
            // rollout paused finishes, and may fail on the same cluster).
            await().atMost(Duration.ofMinutes(3)).until(() -> {
                JsonNode r = json("rollout", "get", ring0);
                return r.path("phase").asText().equals("PAUSED")
                        && r.path("steps").findValuesAsText("phase").stream()
                                .noneMatch(p -> p.equals("COMMITTING") || p.equals("DEPLOYING"));
            });
            JsonNode paused = json("rollout", "get", ring0);
            assertThat(paused.path("reason").asText()).contains("cluster-003 ErrApplied");
            // The operator fixes the cluster; once Fleet reports it ready, they resume.
            fleet.setBehaviour(cluster(3), Behaviour.READY);
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> bundleDeployments(fleet, cluster(3)).stream()
                            .allMatch(bd -> Boolean.TRUE.equals(
                                    ((Map<?, ?>) bd.getAdditionalProperties().get("status")).get("ready"))));
            ok("rollout", "resume", ring0, "--reason", "fixed the cluster");
            Run watched = ringctl("rollout", "watch", ring0, "--timeout", "5m");
            assertThat(watched.exit()).as(watched.out()).isZero();
            assertThat(watched.out()).contains("SUCCEEDED").contains("failed: cluster-003 (ErrApplied)");

            // cluster-002 moves from ring 2 to ring 1 between the rollouts; ring 1 takes it along.
            ok("cluster", "set-ring", APP, cluster(2), "1");
            String ring1Id =
                    json("rollout", "create", APP, "--ring", "1").path("id").asText();
            Run ring1 = ringctl("rollout", "watch", ring1Id, "--timeout", "5m");
            assertThat(ring1.exit()).as(ring1.out()).isZero();
            assertThat(ring1.out()).containsPattern("web\\s+1\\.0\\.0 -> 2\\.0\\.0\\s+DONE\\s+\\[#{20}\\] 4/4");

            // The version matrix and the history as a person reads them.
            JsonNode versions = json("app", "versions", APP);
            for (JsonNode row : versions.path("services")) {
                assertThat(row.path("rings").path("0").asText()).isEqualTo("2.0.0");
                assertThat(row.path("rings").path("1").asText()).isEqualTo("2.0.0");
            }
            assertThat(json("rollout", "list", "--app", APP).findValuesAsText("phase"))
                    .containsExactly("SUCCEEDED", "SUCCEEDED");

            // Git: per service, the initial commit and one bump per ring, on a linear history; ring 2 untouched.
            for (String s : SampleApp.SERVICES.keySet()) {
                try (Git git = Git.open(sandbox.gitRepository(s).toFile())) {
                    List<RevCommit> log = StreamSupport.stream(git.log().call().spliterator(), false)
                            .toList();
                    assertThat(log).hasSize(3);
                    assertThat(log.get(0).getFullMessage()).contains("Ring: 1").contains("Version: 2.0.0");
                    assertThat(log.get(1).getFullMessage()).contains("Ring: 0").contains("Rollout-Id: " + ring0);
                    assertThat(log).allMatch(c -> c.getParentCount() <= 1);
                    String yaml = fleetYaml(git, log.get(0));
                    assertThat(tagOfRing(yaml, 0)).isEqualTo("2.0.0");
                    assertThat(tagOfRing(yaml, 1)).isEqualTo("2.0.0");
                    assertThat(tagOfRing(yaml, 2)).isEqualTo("1.0.0");
                }
            }

            // Fleet: the ring-0 and ring-1 clusters (cluster-002 included) run new deployments and are ready; the
            // clusters still on ring 2 run exactly what they ran before.
            Map<String, Object> after = deploymentIds(fleet);
            for (int i = 0; i < CLUSTERS; i++) {
                boolean rolled = i % 3 != 2 || i == 2;
                for (GenericKubernetesResource bd : bundleDeployments(fleet, cluster(i))) {
                    String key = bd.getMetadata().getNamespace() + "/"
                            + bd.getMetadata().getName();
                    if (rolled) {
                        assertThat(after.get(key)).as(key).isNotEqualTo(before.get(key));
                        assertThat(((Map<?, ?>) bd.getAdditionalProperties().get("status")).get("ready"))
                                .as(key)
                                .isEqualTo(true);
                    } else {
                        assertThat(after.get(key)).as(key).isEqualTo(before.get(key));
                    }
                }
            }

            // The webhook receiver saw both rollouts: started, the pause, the resume, both successes.
            List<HttpReceiver.Received> got = hook.awaitUntil(
                    r -> r.stream()
                                    .filter(x -> x.body().contains("ringmaster.rollout.succeeded.v1"))
                                    .count()
                            == 2,
                    Duration.ofSeconds(60));
            assertThat(got).anyMatch(r -> r.body().contains("ringmaster.rollout.paused.v1"));
            assertThat(got).anyMatch(r -> r.body().contains("ringmaster.rollout.resumed.v1"));
            assertThat(got)
                    .allMatch(r -> r.header("webhook-signature") != null
                            && r.header("webhook-signature").startsWith("v1,"));
        }
    }

    private static List<GenericKubernetesResource> bundleDeployments(FleetSimulator fleet, String cluster) {
        return fleet.client()
                .genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                .inNamespace(fleet.clusterNamespace(cluster))
                .list()
                .getItems();
    }

    private static Map<String, Object> deploymentIds(FleetSimulator fleet) {
        Map<String, Object> ids = new HashMap<>();
        for (int i = 0; i < CLUSTERS; i++) {
            for (GenericKubernetesResource bd : bundleDeployments(fleet, cluster(i))) {
                ids.put(
                        bd.getMetadata().getNamespace() + "/" + bd.getMetadata().getName(),
                        ((Map<?, ?>) bd.getAdditionalProperties().get("spec")).get("deploymentID"));
            }
        }
        return ids;
    }

    private static String fleetYaml(Git git, RevCommit commit) throws Exception {
        try (RevWalk walk = new RevWalk(git.getRepository());
                TreeWalk tw = TreeWalk.forPath(
                        git.getRepository(),
                        "fleet.yaml",
                        walk.parseCommit(commit).getTree())) {
            return new String(git.getRepository().open(tw.getObjectId(0)).getBytes());
        }
    }

    /** The image tag in the ring's targetCustomization of the sample fleet.yaml. */
    private static String tagOfRing(String yaml, int ring) {
        int at = yaml.indexOf("- name: ring-" + ring);
        int tag = yaml.indexOf("tag: \"", at);
        return yaml.substring(tag + 6, yaml.indexOf('"', tag + 6));
    }
}
