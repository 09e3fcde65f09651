package dev.ringmaster.fleetwatcher.fleet;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The informer's store of BundleDeployments, keeping of each only what the readiness rule reads ({@code
 * domain.Readiness}) and what the informer needs: its name, namespace, resource version, the commit and repo-name
 * labels, {@code spec.deploymentID}, {@code stagedDeploymentID}, {@code paused}, and {@code
 * status.appliedDeploymentID}, {@code ready}, {@code nonModified} and the conditions' type, status, message and time.
 *
 * <p>At 10,000 clusters × 10 services the watcher holds 100,000 BundleDeployments. Whole (Helm options twice, the
 * status' resources and display, every label), they were ~1.5 GB of heap, and each young collection of the serial
 * collector took up to seconds scanning and copying them. Event handlers still receive the whole object; only what
 * is kept between events is trimmed. Read a field here before the watcher uses it.
 */
public final class ReadinessStore extends BasicItemStore<GenericKubernetesResource> {

    private static final List<String> LABELS = List.of("fleet.cattle.io/commit", FleetApi.REPO_NAME);
    private static final List<String> SPEC = List.of("deploymentID", "stagedDeploymentID", "paused");
    private static final List<String> STATUS = List.of("appliedDeploymentID", "ready", "nonModified");
    private static final List<String> CONDITION = List.of("type", "status", "message", "lastUpdateTime");

    public ReadinessStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public GenericKubernetesResource put(String key, GenericKubernetesResource bd) {
        return super.put(key, trim(bd));
    }

    /** A copy of a BundleDeployment with only the fields listed above. */
    public static GenericKubernetesResource trim(GenericKubernetesResource bd) {
        ObjectMeta m = bd.getMetadata();
        Map<String, String> labels = new LinkedHashMap<>();
        if (m.getLabels() != null) {
            LABELS.forEach(l -> {
                if (m.getLabels().get(l) != null) {
                    labels.put(l, m.getLabels().get(l));
                }
            });
        }
        GenericKubernetesResource t = new GenericKubernetesResource();
        t.setApiVersion(bd.getApiVersion());
        t.setKind(bd.getKind());
        t.setMetadata(new ObjectMetaBuilder()
                .withName(m.getName())
                .withNamespace(m.getNamespace())
                .withUid(m.getUid())
                .withResourceVersion(m.getResourceVersion())
                .withLabels(labels)
                .build());
        if (bd.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec) {
            t.setAdditionalProperty("spec", only(spec, SPEC));
        }
        if (bd.getAdditionalProperties().get("status") instanceof Map<?, ?> status) {
            Map<String, Object> s = only(status, STATUS);
            if (status.get("conditions") instanceof List<?> conditions) {
                s.put(
                        "conditions",
                        conditions.stream()
                                .map(c -> c instanceof Map<?, ?> cm ? only(cm, CONDITION) : c)
                                .toList());
            }
            t.setAdditionalProperty("status", s);
        }
        return t;
    }

    private static Map<String, Object> only(Map<?, ?> from, List<String> keys) {
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String k : keys) {
            if (from.get(k) != null) {
                kept.put(k, from.get(k));
            }
        }
        return kept;
    }
}
