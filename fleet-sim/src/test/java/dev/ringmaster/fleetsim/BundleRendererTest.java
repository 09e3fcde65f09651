package dev.ringmaster.fleetsim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.fleetsim.BundleRenderer.Bundle;
import dev.ringmaster.fleetsim.BundleRenderer.ClusterInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BundleRendererTest {

    private static final String FLEET_YAML = """
            defaultNamespace: shop
            helm:
              chart: ./chart
              values:
                image: {repository: registry.example.com/web, tag: "1.4.0"}
                replicas: 2
            targetCustomizations:
            - name: ring-0
              clusterSelector: {matchLabels: {ring: "0"}}
              helm: {values: {image: {tag: "1.5.0"}}}
            - name: ring-1
              clusterSelector: {matchLabels: {ring: "1"}}
              helm: {values: {image: {tag: "1.4.2"}}}
            """;
    private static final List<Map<String, Object>> RING_CLUSTERS = List.of(Map.of(
            "clusterSelector", Map.of("matchExpressions", List.of(Map.of("key", "ring", "operator", "Exists")))));

    private static ClusterInfo cluster(String name, String ring) {
        return new ClusterInfo(name, ring == null ? Map.of() : Map.of("ring", ring), Set.of());
    }

    @SuppressWarnings("unchecked")
    private static String tag(BundleRenderer.Rendered r) {
        Map<String, Object> helm = (Map<String, Object>) r.options().get("helm");
        Map<String, Object> values = (Map<String, Object>) helm.get("values");
        return (String) ((Map<String, Object>) values.get("image")).get("tag");
    }

    @Test
    void theFirstMatchingCustomizationDeepMergesOverTheBase() {
        Bundle b = Bundle.of(FLEET_YAML, Map.of("chart/Chart.yaml", "name: web"));
        var r0 = BundleRenderer.render(b, RING_CLUSTERS, cluster("c0", "0")).orElseThrow();
        assertThat(tag(r0)).isEqualTo("1.5.0");
        assertThat(r0.customization()).isEqualTo("ring-0");
        assertThat(r0.options()).containsEntry("defaultNamespace", "shop").doesNotContainKey("targetCustomizations");
        @SuppressWarnings("unchecked")
        var values = (Map<String, Object>) ((Map<String, Object>) r0.options().get("helm")).get("values");
        assertThat(values).containsEntry("replicas", 2);
        assertThat(((Map<?, ?>) values.get("image")).get("repository")).isEqualTo("registry.example.com/web");
        var r2 = BundleRenderer.render(b, RING_CLUSTERS, cluster("c2", "2")).orElseThrow();
        assertThat(tag(r2)).as("no customization: the base").isEqualTo("1.4.0");
        assertThat(r2.customization()).isNull();
    }

    @Test
    void onlyClustersOfTheGitReposTargetsGetADeployment() {
        Bundle b = Bundle.of(FLEET_YAML, Map.of());
        assertThat(BundleRenderer.render(b, RING_CLUSTERS, cluster("nolabel", null)))
                .isEmpty();
        assertThat(BundleRenderer.render(b, List.of(), cluster("c0", "0"))).isEmpty();
        assertThat(BundleRenderer.render(b, List.of(Map.of("name", "nothing")), cluster("c0", "0")))
                .as("a target without matchers matches nothing")
                .isEmpty();
        assertThat(BundleRenderer.render(b, List.of(Map.of("clusterSelector", Map.of())), cluster("any", null)))
                .as("an empty selector matches every cluster")
                .isPresent();
        assertThat(BundleRenderer.render(b, List.of(Map.of("clusterName", "c0")), cluster("c0", "0")))
                .isPresent();
    }

    @Test
    void aCommitToRingOneLeavesRingZerosDeploymentIdAlone() {
        Bundle before = Bundle.of(FLEET_YAML, Map.of("chart/Chart.yaml", "name: web"));
        Bundle after = Bundle.of(FLEET_YAML.replace("1.4.2", "1.6.0"), Map.of("chart/Chart.yaml", "name: web"));
        String ring0Before = BundleRenderer.render(before, RING_CLUSTERS, cluster("c0", "0"))
                .orElseThrow()
                .deploymentId();
        String ring0After = BundleRenderer.render(after, RING_CLUSTERS, cluster("c0", "0"))
                .orElseThrow()
                .deploymentId();
        String ring1Before = BundleRenderer.render(before, RING_CLUSTERS, cluster("c1", "1"))
                .orElseThrow()
                .deploymentId();
        String ring1After = BundleRenderer.render(after, RING_CLUSTERS, cluster("c1", "1"))
                .orElseThrow()
                .deploymentId();
        assertThat(ring0After).isEqualTo(ring0Before);
        assertThat(ring1After).isNotEqualTo(ring1Before);
        assertThat(ring1After).startsWith(ring1Before.substring(0, ring1Before.indexOf(':')));
        Bundle chartChanged = Bundle.of(FLEET_YAML, Map.of("chart/Chart.yaml", "name: web2"));
        assertThat(BundleRenderer.render(chartChanged, RING_CLUSTERS, cluster("c0", "0"))
                        .orElseThrow()
                        .deploymentId())
                .as("new content: a new manifest id")
                .isNotEqualTo(ring0Before);
    }

    @Test
    void relabellingMovesAClusterToTheOtherRingsValues() {
        Bundle b = Bundle.of(FLEET_YAML, Map.of());
        assertThat(tag(BundleRenderer.render(b, RING_CLUSTERS, cluster("c", "1"))
                        .orElseThrow()))
                .isEqualTo("1.4.2");
        assertThat(tag(BundleRenderer.render(b, RING_CLUSTERS, cluster("c", "0"))
                        .orElseThrow()))
                .isEqualTo("1.5.0");
    }

    @Test
    void selectorsFollowKubernetesRules() {
        Map<String, String> labels = Map.of("ring", "1", "env", "prod");
        assertThat(BundleRenderer.selects(Map.of("matchLabels", Map.of("ring", "1", "env", "prod")), labels))
                .isTrue();
        assertThat(BundleRenderer.selects(Map.of("matchLabels", Map.of("ring", "2")), labels))
                .isFalse();
        assertThat(BundleRenderer.selects(
                        Map.of(
                                "matchExpressions",
                                List.of(Map.of("key", "ring", "operator", "In", "values", List.of("0", "1")))),
                        labels))
                .isTrue();
        assertThat(BundleRenderer.selects(
                        Map.of(
                                "matchExpressions",
                                List.of(Map.of("key", "env", "operator", "NotIn", "values", List.of("prod")))),
                        labels))
                .isFalse();
        assertThat(BundleRenderer.selects(
                        Map.of("matchExpressions", List.of(Map.of("key", "zone", "operator", "DoesNotExist"))), labels))
                .isTrue();
        assertThat(BundleRenderer.matches(Map.of("clusterGroup", "edge"), new ClusterInfo("c", labels, Set.of("edge"))))
                .isTrue();
        assertThat(BundleRenderer.matches(
                        Map.of("clusterGroup", "edge", "clusterName", "other"),
                        new ClusterInfo("c", labels, Set.of("edge"))))
                .as("matchers are ANDed")
                .isFalse();
    }

    @Test
    void doNotDeployInTheFirstMatchMeansNoDeployment() {
        Bundle b = Bundle.of("targetCustomizations:\n- name: skip\n  clusterName: c0\n  doNotDeploy: true\n", Map.of());
        assertThat(BundleRenderer.render(b, List.of(Map.of("clusterSelector", Map.of())), cluster("c0", "0")))
                .isEmpty();
        assertThat(BundleRenderer.render(b, List.of(Map.of("clusterSelector", Map.of())), cluster("c1", "0")))
                .isPresent();
    }
}
