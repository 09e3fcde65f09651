package dev.ringmaster.fleetsim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fleet's status fan-out: from the BundleDeployments' states, each Bundle's {@code summary} and {@code
 * display.readyClusters "r/n"}, each GitRepo's {@code summary}, {@code readyClusters}/{@code desiredReadyClusters}
 * and {@code display.readyBundleDeployments "r/n"}, each Cluster's {@code summary} and {@code display.readyBundles
 * "r/n"}; {@code display.state} is the worst state, or empty when all are Ready. Written only when it changed.
 */
final class FleetSummaries {

    /** Fleet's state order, best to worst (summary.go). */
    private static final List<String> ORDER =
            List.of("Ready", "NotReady", "Pending", "OutOfSync", "Modified", "WaitApplied", "ErrApplied");

    private FleetSummaries() {}

    private static final class Summary {
        int desiredReady;
        int ready;
        final Map<String, Integer> counts = new LinkedHashMap<>();
        String worst = "Ready";

        void add(String state) {
            desiredReady++;
            if (state.equals("Ready")) {
                ready++;
            }
            String key = Character.toLowerCase(state.charAt(0)) + state.substring(1);
            if (!state.equals("Ready")) {
                counts.merge(key, 1, Integer::sum);
            }
            if (ORDER.indexOf(state) > ORDER.indexOf(worst)) {
                worst = state;
            }
        }

        Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("desiredReady", desiredReady);
            m.put("ready", ready);
            m.putAll(counts);
            return m;
        }

        String state() {
            return worst.equals("Ready") ? "" : worst;
        }
    }

    @SuppressWarnings("unchecked")
    static void update(
            KubernetesClient client,
            String workspace,
            ResourceDefinitionContext bundleCtx,
            ResourceDefinitionContext bdCtx,
            ResourceDefinitionContext gitRepoCtx,
            ResourceDefinitionContext clusterCtx) {
        Map<String, Summary> byBundle = new HashMap<>();
        Map<String, Summary> byRepo = new HashMap<>();
        Map<String, Summary> byCluster = new HashMap<>();
        Map<String, java.util.Set<String>> clustersOfRepo = new HashMap<>();
        Map<String, java.util.Set<String>> notReadyClustersOfRepo = new HashMap<>();
        for (GenericKubernetesResource bd :
                client.genericKubernetesResources(bdCtx).inAnyNamespace().list().getItems()) {
            Map<String, String> l = bd.getMetadata().getLabels();
            if (l == null) {
                continue;
            }
            String state = FleetStatus.state(
                    (Map<String, Object>) bd.getAdditionalProperties().get("spec"),
                    (Map<String, Object>) bd.getAdditionalProperties().get("status"));
            byBundle.computeIfAbsent(l.get("fleet.cattle.io/bundle-name"), k -> new Summary())
                    .add(state);
            byCluster
                    .computeIfAbsent(l.get("fleet.cattle.io/cluster"), k -> new Summary())
                    .add(state);
            String repo = l.get("fleet.cattle.io/repo-name");
            if (repo != null) {
                byRepo.computeIfAbsent(repo, k -> new Summary()).add(state);
                clustersOfRepo
                        .computeIfAbsent(repo, k -> new java.util.HashSet<>())
                        .add(l.get("fleet.cattle.io/cluster"));
                if (!state.equals("Ready")) {
                    notReadyClustersOfRepo
                            .computeIfAbsent(repo, k -> new java.util.HashSet<>())
                            .add(l.get("fleet.cattle.io/cluster"));
                }
            }
        }
        for (GenericKubernetesResource b : client.genericKubernetesResources(bundleCtx)
                .inNamespace(workspace)
                .list()
                .getItems()) {
            Summary s = byBundle.getOrDefault(b.getMetadata().getName(), new Summary());
            Map<String, Object> status = new LinkedHashMap<>(statusOf(b));
            status.put("summary", s.asMap());
            status.put("display", Map.of("readyClusters", s.ready + "/" + s.desiredReady, "state", s.state()));
            write(client, bundleCtx, b, status);
        }
        for (GenericKubernetesResource r : client.genericKubernetesResources(gitRepoCtx)
                .inNamespace(workspace)
                .list()
                .getItems()) {
            String name = r.getMetadata().getName();
            Summary s = byRepo.getOrDefault(name, new Summary());
            Map<String, Object> status = new LinkedHashMap<>(statusOf(r));
            status.put("summary", s.asMap());
            status.put(
                    "desiredReadyClusters",
                    clustersOfRepo.getOrDefault(name, java.util.Set.of()).size());
            status.put(
                    "readyClusters",
                    clustersOfRepo.getOrDefault(name, java.util.Set.of()).size()
                            - notReadyClustersOfRepo
                                    .getOrDefault(name, java.util.Set.of())
                                    .size());
            boolean updating = !"Current".equals(status.get("gitJobStatus"));
            status.put(
                    "display",
                    Map.of(
                            "readyBundleDeployments",
                            s.ready + "/" + s.desiredReady,
                            "state",
                            updating ? "GitUpdating" : s.state()));
            write(client, gitRepoCtx, r, status);
        }
        for (GenericKubernetesResource c : client.genericKubernetesResources(clusterCtx)
                .inNamespace(workspace)
                .list()
                .getItems()) {
            Summary s = byCluster.getOrDefault(c.getMetadata().getName(), new Summary());
            Map<String, Object> status = new LinkedHashMap<>(statusOf(c));
            status.put("summary", s.asMap());
            status.put("display", Map.of("readyBundles", s.ready + "/" + s.desiredReady, "state", s.state()));
            write(client, clusterCtx, c, status);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> statusOf(GenericKubernetesResource r) {
        Object s = r.getAdditionalProperties().get("status");
        return s instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static void write(
            KubernetesClient client,
            ResourceDefinitionContext ctx,
            GenericKubernetesResource r,
            Map<String, Object> status) {
        if (status.equals(r.getAdditionalProperties().get("status"))) {
            return;
        }
        r.setAdditionalProperty("status", status);
        client.genericKubernetesResources(ctx)
                .inNamespace(r.getMetadata().getNamespace())
                .resource(r)
                .updateStatus();
    }
}
