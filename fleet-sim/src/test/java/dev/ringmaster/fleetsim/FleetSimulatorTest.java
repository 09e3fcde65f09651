package dev.ringmaster.fleetsim;

import static dev.ringmaster.infra.GitHttpServer.git;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ringmaster.events.fleet.FleetNames;
import dev.ringmaster.infra.GitHttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator against a real Git server: Fleet's objects, labels and states, as Fleet would write them. */
@SuppressWarnings("unchecked")
class FleetSimulatorTest {

    private static final String FLEET_YAML = """
            defaultNamespace: shop
            helm:
              chart: ./chart
              values:
                image: {repository: registry.example.com/web, tag: "1.0.0"}
            targetCustomizations:
            - name: ring-0
              clusterSelector: {matchLabels: {ring: "0"}}
              helm: {values: {image: {tag: "1.1.0"}}}
            - name: ring-1
              clusterSelector: {matchLabels: {ring: "1"}}
              helm: {values: {image: {tag: "1.0.0"}}}
            """;

    @TempDir
    Path tmp;

    private GitHttpServer gitServer;
    private FleetSimulator sim;
    private Path work;

    @BeforeEach
    void start() {
        gitServer = GitHttpServer.start(tmp.resolve("repos"), "fleet", "s3cret");
        String url = gitServer.createRepository(
                "web", "main", Map.of("fleet.yaml", FLEET_YAML, "chart/Chart.yaml", "name: web\nversion: 0.1.0\n"));
        sim = FleetSimulator.start(
                FleetSimulator.Config.defaults(tmp.resolve("cache")).withGitCredentials("fleet", "s3cret"), 0);
        sim.addCluster("c0a", Map.of("ring", "0"));
        sim.addCluster("c0b", Map.of("ring", "0"));
        sim.addCluster("c1a", Map.of("ring", "1"));
        sim.addCluster("other", Map.of("env", "lab"));
        sim.addGitRepo(
                "shop-web",
                url,
                "main",
                List.of("."),
                List.of(Map.of(
                        "clusterSelector",
                        Map.of("matchExpressions", List.of(Map.of("key", "ring", "operator", "Exists"))))));
        work = tmp.resolve("work");
        git(tmp, "clone", "-q", url.replace("http://", "http://fleet:s3cret@"), work.toString());
    }

    @AfterEach
    void stop() {
        sim.close();
        gitServer.close();
    }

    private String push(String from, String to) throws Exception {
        Files.writeString(
                work.resolve("fleet.yaml"),
                Files.readString(work.resolve("fleet.yaml")).replace(from, to));
        git(work, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qam", "bump " + to);
        git(work, "push", "-q", "origin", "main");
        return git(work, "rev-parse", "HEAD").trim();
    }

    private GenericKubernetesResource bd(String cluster) {
        return sim.client()
                .genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                .inNamespace(sim.clusterNamespace(cluster))
                .withName("shop-web")
                .get();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> part(GenericKubernetesResource r, String key) {
        return (Map<String, Object>) r.getAdditionalProperties().get(key);
    }

    @SuppressWarnings("unchecked")
    private static String state(GenericKubernetesResource r) {
        return (String) ((Map<String, Object>) part(r, "status").get("display")).get("state");
    }

    /**
     * Field by field, the objects as Fleet's types define them (fleet.cattle.io/v1alpha1: gitrepo_types.go,
     * bundle_types.go, bundledeployment_types.go, cluster_types.go; labels from target.go, names from names.go, as
     * summarized in our design notes of Fleet). Only what the simulator writes is listed; Fleet writes more (e.g.
     * resourceCounts, nonReadyStatus details, the values Secrets), which nothing in Ringmaster reads.
     */
    @Test
    void everyObjectHasTheShapeFleetsTypesGiveIt() {
        sim.reconcile();
        sim.summarize(); // Fleet's status fan-out (the background loop runs it at most once a second)
        var client = sim.client();
        GenericKubernetesResource repo = client.genericKubernetesResources(FleetSimulator.GITREPO)
                .inNamespace("fleet-default")
                .withName("shop-web")
                .get();
        assertThat(part(repo, "spec")).containsKeys("repo", "branch", "paths", "targets");
        assertThat(part(repo, "status"))
                .containsKeys(
                        "commit",
                        "gitJobStatus",
                        "summary",
                        "readyClusters",
                        "desiredReadyClusters",
                        "display",
                        "conditions");
        assertThat((Map<String, Object>) part(repo, "status").get("display"))
                .containsEntry("readyBundleDeployments", "3/3")
                .containsEntry("state", "");
        assertThat(part(repo, "status")).containsEntry("readyClusters", 3).containsEntry("desiredReadyClusters", 3);
        assertThat(conditionTypes(repo)).contains("Ready", "Reconciling", "Stalled");

        GenericKubernetesResource bundle = client.genericKubernetesResources(FleetSimulator.BUNDLE)
                .inNamespace("fleet-default")
                .withName("shop-web")
                .get();
        assertThat(bundle.getMetadata().getLabels())
                .containsKeys("fleet.cattle.io/repo-name", "fleet.cattle.io/commit");
        assertThat(part(bundle, "spec")).containsKeys("defaultNamespace", "helm", "targets", "valuesHash");
        assertThat((Map<String, Object>) part(bundle, "spec").get("helm")).doesNotContainKey("values"); // since v0.13
        assertThat((Map<String, Object>) part(bundle, "status").get("display")).containsEntry("readyClusters", "3/3");
        assertThat((Map<String, Object>) part(bundle, "status").get("summary"))
                .containsEntry("desiredReady", 3)
                .containsEntry("ready", 3);

        GenericKubernetesResource bd = bd("c0a");
        assertThat(bd.getMetadata().getName()).isEqualTo(bundle.getMetadata().getName());
        assertThat(bd.getMetadata().getNamespace())
                .isEqualTo(part(cluster("c0a"), "status").get("namespace"));
        assertThat(bd.getMetadata().getLabels())
                .containsKeys(
                        "fleet.cattle.io/repo-name",
                        "fleet.cattle.io/commit",
                        "fleet.cattle.io/bundle-name",
                        "fleet.cattle.io/bundle-namespace",
                        "fleet.cattle.io/cluster",
                        "fleet.cattle.io/cluster-namespace",
                        "fleet.cattle.io/managed");
        assertThat(bd.getMetadata().getFinalizers()).contains("fleet.cattle.io/bundle-deployment-finalizer");
        assertThat(part(bd, "spec"))
                .containsKeys("stagedOptions", "stagedDeploymentID", "options", "deploymentID", "valuesHash");
        assertThat(part(bd, "status"))
                .containsKeys("appliedDeploymentID", "ready", "nonModified", "conditions", "display");
        assertThat(conditionTypes(bd)).contains("Installed", "Deployed", "Monitored", "Ready");
        assertThat((Map<String, Object>) part(bd, "status").get("display"))
                .containsKeys("deployed", "monitored", "state");

        GenericKubernetesResource c = cluster("c0a");
        assertThat(c.getMetadata().getFinalizers()).contains("fleet.cattle.io/cluster-finalizer");
        assertThat(part(c, "status")).containsKeys("namespace", "summary", "display", "agent");
        assertThat(part(c, "status").get("namespace")).isEqualTo(FleetNames.clusterNamespace("fleet-default", "c0a"));
        assertThat((Map<String, Object>) part(c, "status").get("display"))
                .containsEntry("readyBundles", "1/1")
                .containsEntry("state", "");
        assertThat((Map<String, Object>) part(c, "status").get("agent")).containsKeys("lastSeen", "namespace");
        // Fleet's own worked example of the cluster namespace (names.go docstring)
        assertThat(FleetNames.clusterNamespace("fleet-local", "cluster-294db1acfa77"))
                .isEqualTo("cluster-fleet-local-cluster-294db1acfa77-d9ccf852678f");
    }

    private GenericKubernetesResource cluster(String name) {
        return sim.client()
                .genericKubernetesResources(FleetSimulator.CLUSTER)
                .inNamespace("fleet-default")
                .withName(name)
                .get();
    }

    @SuppressWarnings("unchecked")
    private static List<String> conditionTypes(GenericKubernetesResource r) {
        return ((List<Map<String, Object>>) part(r, "status").get("conditions"))
                .stream().map(m -> (String) m.get("type")).toList();
    }

    @Test
    void aCommitBecomesBundleDeploymentsWithFleetsLabelsOnTheTargetedClustersOnly() {
        sim.reconcile();
        String head = git(gitServer.repository("web"), "rev-parse", "main").trim();
        for (String c : List.of("c0a", "c0b", "c1a")) {
            GenericKubernetesResource bd = bd(c);
            assertThat(bd).as("a BundleDeployment for %s", c).isNotNull();
            assertThat(bd.getMetadata().getNamespace()).isEqualTo(FleetNames.clusterNamespace("fleet-default", c));
            assertThat(bd.getMetadata().getLabels())
                    .containsEntry("fleet.cattle.io/repo-name", "shop-web")
                    .containsEntry("fleet.cattle.io/commit", head)
                    .containsEntry("fleet.cattle.io/bundle-name", "shop-web")
                    .containsEntry("fleet.cattle.io/bundle-namespace", "fleet-default")
                    .containsEntry("fleet.cattle.io/cluster", c)
                    .containsEntry("fleet.cattle.io/cluster-namespace", "fleet-default")
                    .containsEntry("fleet.cattle.io/managed", "true");
            Map<String, Object> spec = part(bd, "spec");
            Map<String, Object> status = part(bd, "status");
            assertThat(spec.get("deploymentID")).isEqualTo(spec.get("stagedDeploymentID"));
            assertThat(status.get("appliedDeploymentID")).isEqualTo(spec.get("deploymentID"));
            assertThat(status).containsEntry("ready", true).containsEntry("nonModified", true);
            assertThat(state(bd)).isEqualTo("Ready");
        }
        assertThat(sim.client()
                        .genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                        .inNamespace(sim.clusterNamespace("other"))
                        .list()
                        .getItems())
                .as("not targeted by the GitRepo")
                .isEmpty();
        GenericKubernetesResource repo = sim.client()
                .genericKubernetesResources(FleetSimulator.GITREPO)
                .inNamespace("fleet-default")
                .withName("shop-web")
                .get();
        assertThat(part(repo, "status")).containsEntry("commit", head).containsEntry("gitJobStatus", "Current");
    }

    @Test
    void aCommitToRingOneRedeploysRingOneOnlyWhileEveryLabelMovesToIt() throws Exception {
        sim.reconcile();
        Object ring0Before = part(bd("c0a"), "spec").get("deploymentID");
        Object ring1Before = part(bd("c1a"), "spec").get("deploymentID");
        String commit = push("tag: \"1.0.0\"}}}", "tag: \"1.2.0\"}}}");
        sim.reconcile();
        assertThat(part(bd("c0a"), "spec").get("deploymentID")).isEqualTo(ring0Before);
        assertThat(part(bd("c1a"), "spec").get("deploymentID")).isNotEqualTo(ring1Before);
        assertThat(bd("c0a").getMetadata().getLabels()).containsEntry("fleet.cattle.io/commit", commit);
        assertThat(bd("c1a").getMetadata().getLabels()).containsEntry("fleet.cattle.io/commit", commit);
        assertThat(state(bd("c1a"))).isEqualTo("Ready");
    }

    @Test
    void failureSwitchesGiveFleetsStates() throws Exception {
        sim.reconcile();
        sim.setBehaviour("c0a", Behaviour.ERR_APPLIED);
        sim.setBehaviour("c0b", Behaviour.STUCK_NOT_READY);
        sim.setBehaviour("c1a", Behaviour.OFFLINE);
        push("1.1.0", "1.3.0");
        push("tag: \"1.0.0\"}}}", "tag: \"1.3.0\"}}}");
        sim.reconcile();
        assertThat(state(bd("c0a"))).isEqualTo("ErrApplied");
        assertThat(((Map<?, ?>) part(bd("c0a"), "status").get("display"))
                        .get("deployed")
                        .toString())
                .startsWith("Error: helm upgrade failed");
        assertThat(state(bd("c0b"))).isEqualTo("NotReady");
        assertThat(state(bd("c1a"))).as("an offline agent never applies").isEqualTo("Ready" /* old status */);
        assertThat(part(bd("c1a"), "status").get("appliedDeploymentID"))
                .isNotEqualTo(part(bd("c1a"), "spec").get("deploymentID"));

        sim.setBehaviour("c0a", Behaviour.MODIFIED);
        sim.setBehaviour("c0b", Behaviour.PAUSED);
        push("1.3.0", "1.4.0");
        sim.reconcile();
        assertThat(state(bd("c0a"))).isEqualTo("Modified");
        Map<String, Object> held = part(bd("c0b"), "spec");
        assertThat(held.get("deploymentID")).as("held back").isNotEqualTo(held.get("stagedDeploymentID"));
    }

    @Test
    void aRelabelledClusterIsRetargetedAtOnce() {
        sim.reconcile();
        Object ring0 = part(bd("c0a"), "spec").get("deploymentID");
        sim.relabel("c1a", Map.of("ring", "0"));
        sim.reconcile();
        assertThat(part(bd("c1a"), "spec").get("deploymentID")).isEqualTo(ring0);
        sim.relabel("c1a", Map.of("env", "lab"));
        sim.reconcile();
        assertThat(bd("c1a"))
                .as("no longer targeted: its BundleDeployment is deleted")
                .isNull();
    }

    @Test
    void aRelabelLeavesTheBundleDeploymentsItDoesNotChangeUntouched() {
        sim.reconcile();
        String c0a = bd("c0a").getMetadata().getResourceVersion();
        String c1a = bd("c1a").getMetadata().getResourceVersion();
        sim.relabel("c1a", Map.of("ring", "0")); // c1a now renders as ring 0; c0a renders as before
        sim.reconcile();
        assertThat(bd("c0a").getMetadata().getResourceVersion())
                .as("nothing changed for c0a: Fleet does not write it (no watch event)")
                .isEqualTo(c0a);
        assertThat(bd("c1a").getMetadata().getResourceVersion()).isNotEqualTo(c1a);
    }

    /** With no ready delay (the default), an agent reports applied and ready in one status write, not two. */
    @Test
    void withNoReadyDelayAClusterTurnsReadyInOneStatusWrite() throws Exception {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var watch = sim.client()
                .genericKubernetesResources(FleetSimulator.BUNDLE_DEPLOYMENT)
                .inAnyNamespace()
                .watch(new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, GenericKubernetesResource r) {
                        Map<String, Object> status = part(r, "status");
                        seen.add(r.getMetadata().getNamespace() + " " + action + " "
                                + (status == null
                                        ? "-"
                                        : status.get("appliedDeploymentID") + "/" + status.get("ready")));
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException e) {}
                })) {
            sim.reconcile();
            String ns = sim.clusterNamespace("c0a");
            String id = (String) part(bd("c0a"), "spec").get("deploymentID");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> seen.contains(ns + " MODIFIED " + id + "/true"));
            assertThat(seen.stream().filter(e -> e.startsWith(ns + " ")))
                    .containsExactly(ns + " ADDED -", ns + " MODIFIED " + id + "/true");
        }
    }

    @Test
    void anyFabric8ClientCanTalkToTheApiServer() {
        sim.reconcile();
        try (KubernetesClient outside = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder().withMasterUrl(sim.apiUrl()).build())
                .build()) {
            assertThat(outside.genericKubernetesResources(FleetSimulator.CLUSTER)
                            .inNamespace("fleet-default")
                            .list()
                            .getItems())
                    .extracting(c -> c.getMetadata().getName())
                    .containsExactlyInAnyOrder("c0a", "c0b", "c1a", "other");
            assertThat(outside.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .list()
                            .getItems())
                    .extracting(c -> c.getMetadata().getName())
                    .contains("bundledeployments.fleet.cattle.io", "gitrepos.fleet.cattle.io");
        }
    }

    /**
     * In the background (the loop the sandbox runs): commits pushed one after the other, each possibly picked up while
     * the agents still work on the one before, end with every targeted cluster applied and ready at the last
     * commit's deployment and no agent work left.
     */
    @Test
    void inTheBackgroundTheLastOfQuickCommitsWins() throws Exception {
        sim.runInBackground();
        String from = "tag: \"1.1.0\"";
        String last = null;
        for (String tag : List.of("1.2.0", "1.3.0", "1.4.0", "1.5.0")) {
            String to = "tag: \"" + tag + "\"";
            last = push(from, to);
            from = to;
        }
        String commit = last;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String c : List.of("c0a", "c0b", "c1a")) {
                GenericKubernetesResource r = bd(c);
                assertThat(r.getMetadata().getLabels()).containsEntry("fleet.cattle.io/commit", commit);
                Map<String, Object> spec = part(r, "spec");
                Map<String, Object> status = part(r, "status");
                assertThat(status.get("appliedDeploymentID")).isEqualTo(spec.get("deploymentID"));
                assertThat(status.get("ready")).isEqualTo(true);
            }
            assertThat(sim.pendingAgentWork()).isZero();
        });
    }
}
