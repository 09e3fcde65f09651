package dev.ringmaster.fleetsim;

import dev.ringmaster.events.fleet.FleetNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Bundles and BundleDeployments in Fleet's shapes, with Fleet's labels. */
final class FleetObjects {

    @SuppressWarnings("unchecked")
    static GenericKubernetesResource bundle(
            String workspace,
            String name,
            Map<String, String> labels,
            BundleRenderer.Bundle bundle,
            List<Map<String, Object>> gitRepoTargets) {
        GenericKubernetesResource b = resource("Bundle", name, workspace, labels);
        Map<String, Object> spec = new LinkedHashMap<>();
        // Since Fleet v0.13 `fleet apply` moves the values (the bundle's and each target's) into a Secret named after
        // the bundle and keeps only their hash in spec.valuesHash.
        Map<String, Object> values = new LinkedHashMap<>();
        bundle.fleetYaml().forEach((k, v) -> {
            if (!k.equals("targetCustomizations") && !k.equals("name") && !k.equals("labels")) {
                spec.put(k, v);
            }
        });
        if (spec.get("helm") instanceof Map<?, ?> helm && helm.containsKey("values")) {
            values.put("values.yaml", helm.get("values"));
        }
        Map<String, Object> withoutBase = withoutValues(spec);
        spec.clear();
        spec.putAll(withoutBase);
        List<Object> targets = new java.util.ArrayList<>();
        if (bundle.fleetYaml().get("targetCustomizations") instanceof List<?> l) {
            for (Object t : l) {
                if (t instanceof Map<?, ?> m) {
                    Map<String, Object> target = (Map<String, Object>) m;
                    if (target.get("helm") instanceof Map<?, ?> th && th.containsKey("values")) {
                        values.put(String.valueOf(target.get("name")), th.get("values"));
                    }
                    targets.add(withoutValues(target));
                } else {
                    targets.add(t);
                }
            }
        }
        spec.put("valuesHash", FleetNames.hex(FleetNames.sha256(BundleRenderer.canonical(values))));
        targets.addAll(gitRepoTargets);
        spec.put("targets", targets);
        spec.put("targetRestrictions", gitRepoTargets);
        spec.put("resources", List.of(Map.of("name", "manifest", "content", bundle.manifestId())));
        b.setAdditionalProperty("spec", spec);
        return b;
    }

    /**
     * A BundleDeployment, labelled as Fleet's BundleDeploymentLabels does: the bundle's fleet.cattle.io labels (the
     * repo name and the commit), plus bundle-name, bundle-namespace, managed, cluster-namespace and cluster.
     */
    static GenericKubernetesResource bundleDeployment(
            String workspace,
            String cluster,
            String namespace,
            String bundleName,
            Map<String, String> bundleLabels,
            BundleRenderer.Rendered r,
            String deploymentId,
            boolean held) {
        Map<String, String> labels = new LinkedHashMap<>();
        bundleLabels.forEach((k, v) -> {
            if (!k.contains("cattle.io") || k.startsWith("fleet.cattle.io/")) {
                labels.put(k, v);
            }
        });
        labels.put("fleet.cattle.io/bundle-name", bundleName);
        labels.put("fleet.cattle.io/bundle-namespace", workspace);
        labels.put("fleet.cattle.io/managed", "true");
        labels.put("fleet.cattle.io/cluster-namespace", workspace);
        labels.put("fleet.cattle.io/cluster", cluster);
        GenericKubernetesResource bd = resource("BundleDeployment", bundleName, namespace, labels);
        bd.getMetadata().setFinalizers(List.of("fleet.cattle.io/bundle-deployment-finalizer"));
        Map<String, Object> options = withoutValues(r.options());
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("stagedDeploymentID", r.deploymentId());
        spec.put("stagedOptions", options);
        spec.put("deploymentID", deploymentId);
        spec.put("options", options);
        spec.put("valuesHash", FleetNames.hex(FleetNames.sha256(BundleRenderer.canonical(r.options()))));
        if (held) {
            spec.put("paused", true);
        }
        bd.setAdditionalProperty("spec", spec);
        return bd;
    }

    /** Since Fleet v0.13 Helm values live in Secrets, not in the BundleDeployment's options. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutValues(Map<String, Object> options) {
        Map<String, Object> copy = new LinkedHashMap<>(options);
        if (copy.get("helm") instanceof Map<?, ?> helm) {
            Map<String, Object> h = new LinkedHashMap<>((Map<String, Object>) helm);
            h.remove("values");
            copy.put("helm", h);
        }
        return copy;
    }

    private static GenericKubernetesResource resource(String kind, String name, String ns, Map<String, String> labels) {
        GenericKubernetesResource r = new GenericKubernetesResource();
        r.setApiVersion(FleetSimulator.GROUP + "/" + FleetSimulator.VERSION);
        r.setKind(kind);
        r.setMetadata(new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(ns)
                .withLabels(new LinkedHashMap<>(labels))
                .build());
        return r;
    }

    private FleetObjects() {}
}
