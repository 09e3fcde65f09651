package dev.ringmaster.fleetwatcher.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.fleetwatcher.domain.Readiness.Verdict;
import dev.ringmaster.fleetwatcher.fleet.ReadinessStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The watcher's informer keeps trimmed BundleDeployments ({@link ReadinessStore}): for every case of the readiness
 * rule, the trimmed object must be judged as the whole one (here, in the domain package, to reuse its cases).
 */
class ReadinessStoreTest {

    private static final String X = "1111111111111111111111111111111111111111";
    private static final String Y = "2222222222222222222222222222222222222222";

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> cases() {
        return ReadinessTest.cases();
    }

    /** A BundleDeployment as Fleet writes it: the case's spec and status, and what the rule does not read. */
    private static GenericKubernetesResource whole(String label, Map<String, Object> spec, Map<String, Object> status) {
        GenericKubernetesResource bd = new GenericKubernetesResource();
        bd.setApiVersion("fleet.cattle.io/v1alpha1");
        bd.setKind("BundleDeployment");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("fleet.cattle.io/commit", label);
        labels.put("fleet.cattle.io/repo-name", "shop-web");
        labels.put("fleet.cattle.io/bundle-name", "shop-web");
        labels.put("fleet.cattle.io/cluster", "c1");
        bd.setMetadata(new ObjectMetaBuilder()
                .withName("shop-web")
                .withNamespace("cluster-fleet-default-c1-0123456789ab")
                .withResourceVersion("42")
                .withLabels(labels)
                .withAnnotations(Map.of("meta.helm.sh/release-name", "shop-web"))
                .withFinalizers("fleet.cattle.io/bundle-deployment-finalizer")
                .build());
        Map<String, Object> s = new LinkedHashMap<>(spec);
        s.put("options", Map.of("helm", Map.of("chart", "./chart", "releaseName", "web")));
        s.put("stagedOptions", Map.of("helm", Map.of("chart", "./chart", "releaseName", "web")));
        s.put("valuesHash", "abc");
        bd.setAdditionalProperty("spec", s);
        if (status == null) {
            return bd; // not reported yet
        }
        Map<String, Object> st = new LinkedHashMap<>(status);
        st.put("display", Map.of("deployed", "Yes", "monitored", "Yes", "state", "Ready"));
        st.put("resources", List.of(Map.of("kind", "Deployment", "name", "web", "namespace", "shop")));
        st.put("release", "shop/shop-web:3");
        if (st.get("conditions") instanceof List<?> cs) {
            List<Object> more = new ArrayList<>();
            for (Object c : cs) {
                Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) c);
                m.put("reason", "Error");
                more.add(m);
            }
            st.put("conditions", more);
        }
        bd.setAdditionalProperty("status", st);
        return bd;
    }

    @SuppressWarnings("unchecked")
    private static Readiness.Result judge(GenericKubernetesResource bd) {
        return Readiness.judge(
                bd.getMetadata().getLabels(),
                (Map<String, Object>) bd.getAdditionalProperties().get("spec"),
                (Map<String, Object>) bd.getAdditionalProperties().get("status"),
                X,
                (candidate, ancestor) -> candidate.equals(Y));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aTrimmedBundleDeploymentIsJudgedAsTheWholeOne(
            String name, String label, Map<String, Object> spec, Map<String, Object> status, Verdict expected) {
        GenericKubernetesResource whole = whole(label, spec, status);
        GenericKubernetesResource trimmed = ReadinessStore.trim(whole);
        assertThat(judge(trimmed)).isEqualTo(judge(whole));
        assertThat(judge(trimmed).verdict()).isEqualTo(expected);
    }

    @Test
    void whatTheRuleDoesNotReadIsNotKept() {
        GenericKubernetesResource trimmed = ReadinessStore.trim(whole(
                X,
                Map.of("deploymentID", "d1", "stagedDeploymentID", "d1"),
                Map.of("appliedDeploymentID", "d1", "ready", true, "nonModified", true)));
        assertThat(trimmed.getMetadata().getLabels())
                .containsOnlyKeys("fleet.cattle.io/commit", "fleet.cattle.io/repo-name");
        assertThat(trimmed.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(trimmed.getMetadata().getResourceVersion()).isEqualTo("42");
        assertThat((Map<String, Object>) trimmed.getAdditionalProperties().get("spec"))
                .containsOnlyKeys("deploymentID", "stagedDeploymentID");
        assertThat((Map<String, Object>) trimmed.getAdditionalProperties().get("status"))
                .containsOnlyKeys("appliedDeploymentID", "ready", "nonModified");
    }
}
