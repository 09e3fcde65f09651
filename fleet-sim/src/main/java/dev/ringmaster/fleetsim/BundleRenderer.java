package dev.ringmaster.fleetsim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ringmaster.events.fleet.FleetNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * Fleet's targeting, as its bundle reader and matcher do it (v0.16.1), for one bundle and one cluster. Pure.
 *
 * <ul>
 *   <li>A cluster gets a BundleDeployment only if it matches one of the GitRepo's targets (they restrict).
 *   <li>The bundle's targets are the fleet.yaml's targetCustomizations followed by the GitRepo's targets; the
 *       <b>first</b> that matches the cluster gives its options, deep-merged over the fleet.yaml's (FirstMatch).
 *   <li>The matchers of a target (clusterName, clusterSelector, clusterGroup) must all match; a target without any
 *       matches nothing; {@code clusterSelector: {}} matches every cluster.
 *   <li>The deployment ID is {@code <manifestID>:<sha256 of the merged options>}: it changes only when this
 *       cluster's rendered input changes.
 * </ul>
 */
public final class BundleRenderer {

    private static final Set<String> NOT_OPTIONS = Set.of(
            "name",
            "labels",
            "targetCustomizations",
            "imageScans",
            "overrideTargets",
            "dependsOn",
            "targetCustomizationMode",
            "rolloutStrategy",
            "paused");
    private static final Set<String> TARGET_KEYS =
            Set.of("name", "clusterName", "clusterSelector", "clusterGroup", "clusterGroupSelector", "doNotDeploy");
    private static final ObjectMapper CANONICAL =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** A cluster as targeting sees it. */
    public record ClusterInfo(String name, Map<String, String> labels, Set<String> groups) {}

    /** What one cluster gets: its merged options, the customization that applied, and the deployment ID. */
    public record Rendered(Map<String, Object> options, String customization, String deploymentId) {}

    /** A parsed fleet.yaml with the content of its bundle. */
    public record Bundle(Map<String, Object> fleetYaml, String manifestId) {

        /** Parses {@code fleetYaml}; {@code contents} are the bundle's other files, path -> text. */
        public static Bundle of(String fleetYaml, Map<String, String> contents) {
            Object doc = new Yaml().load(fleetYaml);
            @SuppressWarnings("unchecked")
            Map<String, Object> map = doc instanceof Map ? (Map<String, Object>) doc : Map.of();
            String manifest = "s-" + FleetNames.hex(FleetNames.sha256(canonical(Map.of("resources", contents))));
            return new Bundle(map, manifest.substring(0, Math.min(63, manifest.length())));
        }
    }

    private BundleRenderer() {}

    /** What {@code cluster} gets of {@code bundle} under the GitRepo's {@code targets}; empty: no deployment. */
    @SuppressWarnings("unchecked")
    public static Optional<Rendered> render(Bundle bundle, List<Map<String, Object>> gitRepoTargets, ClusterInfo c) {
        if (gitRepoTargets.stream().noneMatch(t -> matches(t, c))) {
            return Optional.empty();
        }
        List<Map<String, Object>> targets = new ArrayList<>();
        Object customizations = bundle.fleetYaml().get("targetCustomizations");
        if (customizations instanceof List<?> list) {
            list.stream().filter(Map.class::isInstance).forEach(t -> targets.add((Map<String, Object>) t));
        }
        targets.addAll(gitRepoTargets);
        Map<String, Object> first =
                targets.stream().filter(t -> matches(t, c)).findFirst().orElseThrow();
        if (Boolean.TRUE.equals(first.get("doNotDeploy"))) {
            return Optional.empty();
        }
        Map<String, Object> options = new LinkedHashMap<>();
        bundle.fleetYaml().forEach((k, v) -> {
            if (!NOT_OPTIONS.contains(k)) {
                options.put(k, v);
            }
        });
        Map<String, Object> override = new LinkedHashMap<>();
        first.forEach((k, v) -> {
            if (!TARGET_KEYS.contains(k)) {
                override.put(k, v);
            }
        });
        Map<String, Object> merged = merge(options, override);
        String id = bundle.manifestId() + ":" + FleetNames.hex(FleetNames.sha256(canonical(merged)));
        return Optional.of(new Rendered(merged, (String) first.get("name"), id));
    }

    /** Whether a target (a GitRepo target or a targetCustomization) selects the cluster. */
    @SuppressWarnings("unchecked")
    static boolean matches(Map<String, Object> target, ClusterInfo c) {
        boolean any = false;
        if (target.get("clusterName") instanceof String name) {
            any = true;
            if (!name.equals(c.name())) {
                return false;
            }
        }
        if (target.containsKey("clusterSelector")) {
            any = true;
            Object sel = target.get("clusterSelector");
            if (!(sel instanceof Map) || !selects((Map<String, Object>) sel, c.labels())) {
                return false;
            }
        }
        if (target.get("clusterGroup") instanceof String group) {
            any = true;
            if (!c.groups().contains(group)) {
                return false;
            }
        }
        if (target.containsKey("clusterGroupSelector")) {
            return false; // groups selected by labels: not simulated
        }
        return any;
    }

    /** A Kubernetes LabelSelector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist), ANDed. */
    @SuppressWarnings("unchecked")
    static boolean selects(Map<String, Object> selector, Map<String, String> labels) {
        if (selector.get("matchLabels") instanceof Map<?, ?> ml) {
            for (var e : ml.entrySet()) {
                if (!String.valueOf(e.getValue()).equals(labels.get(String.valueOf(e.getKey())))) {
                    return false;
                }
            }
        }
        if (selector.get("matchExpressions") instanceof List<?> exprs) {
            for (Object o : exprs) {
                Map<String, Object> e = (Map<String, Object>) o;
                String key = String.valueOf(e.get("key"));
                List<String> values = e.get("values") instanceof List<?> v
                        ? v.stream().map(String::valueOf).toList()
                        : List.of();
                String value = labels.get(key);
                boolean ok = switch (String.valueOf(e.get("operator"))) {
                    case "In" -> value != null && values.contains(value);
                    case "NotIn" -> value == null || !values.contains(value);
                    case "Exists" -> labels.containsKey(key);
                    case "DoesNotExist" -> !labels.containsKey(key);
                    default -> false;
                };
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Fleet's MergeMaps: maps merge key by key, recursively; anything else in {@code over} replaces. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        over.forEach((k, v) -> {
            Object b = out.get(k);
            if (b instanceof Map && v instanceof Map) {
                out.put(k, merge((Map<String, Object>) b, (Map<String, Object>) v));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    static String canonical(Object o) {
        try {
            return CANONICAL.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
