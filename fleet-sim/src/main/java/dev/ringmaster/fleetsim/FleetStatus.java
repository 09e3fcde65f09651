package dev.ringmaster.fleetsim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fleet's status shapes: what agents report, and Fleet's state function over them. */
final class FleetStatus {

    /** Fleet's GetDeploymentState, checked in this order. */
    @SuppressWarnings("unchecked")
    static String state(Map<String, Object> spec, Map<String, Object> status) {
        String deploymentId = (String) spec.get("deploymentID");
        String staged = (String) spec.get("stagedDeploymentID");
        String applied = status == null ? null : (String) status.get("appliedDeploymentID");
        if (deploymentId == null || !deploymentId.equals(applied)) {
            boolean deployedFalse = status != null
                    && status.get("conditions") instanceof List<?> cs
                    && cs.stream()
                            .anyMatch(c -> c instanceof Map<?, ?> m
                                    && "Deployed".equals(m.get("type"))
                                    && "False".equals(m.get("status")));
            return deployedFalse ? "ErrApplied" : "WaitApplied";
        }
        if (!Boolean.TRUE.equals(status.get("ready"))) {
            return "NotReady";
        }
        if (!deploymentId.equals(staged)) {
            return "OutOfSync";
        }
        if (!Boolean.TRUE.equals(status.get("nonModified"))) {
            return "Modified";
        }
        return "Ready";
    }

    static Map<String, Object> clusterStatus(String namespace, Instant now) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("namespace", namespace);
        s.put("agent", Map.of("lastSeen", now.toString(), "namespace", "cattle-fleet-system"));
        s.put("display", Map.of("state", ""));
        return s;
    }

    static Map<String, Object> gitRepoStatus(String commit, Instant now) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("commit", commit);
        s.put("pollingCommit", commit);
        s.put("lastPollingTriggered", now.toString());
        s.put("gitJobStatus", "Current");
        s.put(
                "conditions",
                List.of(
                        condition("Ready", "True", "", now),
                        condition("Reconciling", "False", "", now),
                        condition("Stalled", "False", "", now)));
        return s;
    }

    @SuppressWarnings("unchecked")
    static String appliedDeploymentId(GenericKubernetesResource bd) {
        if (bd == null || !(bd.getAdditionalProperties().get("status") instanceof Map<?, ?> s)) {
            return null;
        }
        return (String) ((Map<String, Object>) s).get("appliedDeploymentID");
    }

    /**
     * The agent's report for one BundleDeployment. {@code applying}: the first report for a new deployment ID (or
     * the failure); otherwise the later "ready" (or drift) report. {@code current}: the BundleDeployment as last
     * written, or null to read it. Returns it as written now, or null when it is gone.
     */
    @SuppressWarnings("unchecked")
    static GenericKubernetesResource agentReport(
            KubernetesClient client,
            ResourceDefinitionContext ctx,
            FleetSimulator.PendingApply p,
            Behaviour b,
            boolean applying,
            boolean andReady,
            Instant now,
            GenericKubernetesResource current) {
        var op = client.genericKubernetesResources(ctx)
                .inNamespace(p.namespace())
                .withName(p.name());
        GenericKubernetesResource bd = current != null ? current : op.get();
        if (bd == null) {
            return null;
        }
        Map<String, Object> spec =
                (Map<String, Object>) bd.getAdditionalProperties().get("spec");
        Map<String, Object> old =
                bd.getAdditionalProperties().get("status") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> s = new LinkedHashMap<>(old);
        String id = p.deploymentId();
        String release = "cattle-fleet-system/" + p.name() + ":1";
        if (applying) {
            switch (b) {
                case ERR_APPLIED ->
                    s.put(
                            "conditions",
                            List.of(
                                    condition("Installed", "False", "", now),
                                    condition(
                                            "Deployed",
                                            "False",
                                            "Error",
                                            now,
                                            "helm upgrade failed: an error from the chart"),
                                    condition("Ready", "False", "", now)));
                case HELM_TIMEOUT -> {
                    s.put("appliedDeploymentID", id);
                    s.put("release", "");
                    s.put("ready", false);
                    s.put("nonModified", true);
                    s.put(
                            "conditions",
                            List.of(
                                    condition(
                                            "Installed",
                                            "False",
                                            "",
                                            now,
                                            "not installed: timed out waiting for the condition"),
                                    condition(
                                            "Ready",
                                            "False",
                                            "",
                                            now,
                                            "not ready: timed out waiting for the condition")));
                }
                default -> {
                    s.put("appliedDeploymentID", id);
                    s.put("release", release);
                    s.put("ready", false);
                    s.put("nonModified", true);
                    s.put(
                            "nonReadyStatus",
                            List.of(Map.of(
                                    "kind",
                                    "Deployment",
                                    "apiVersion",
                                    "apps/v1",
                                    "name",
                                    p.name(),
                                    "summary",
                                    Map.of(
                                            "state",
                                            "in-progress",
                                            "transitioning",
                                            true,
                                            "message",
                                            List.of("Deployment does not have minimum availability")))));
                    s.put(
                            "conditions",
                            List.of(
                                    condition("Installed", "True", "", now),
                                    condition("Deployed", "True", "", now),
                                    condition("Monitored", "True", "", now),
                                    condition("Ready", "False", "", now, "not ready")));
                }
            }
        }
        if (!applying || andReady) {
            s.put("ready", true);
            s.put("nonReadyStatus", List.of());
            boolean drift = b == Behaviour.MODIFIED;
            s.put("nonModified", !drift);
            if (drift) {
                s.put(
                        "modifiedStatus",
                        List.of(Map.of(
                                "kind",
                                "Deployment",
                                "apiVersion",
                                "apps/v1",
                                "name",
                                p.name(),
                                "patch",
                                "{\"spec\":{\"replicas\":3}}")));
            }
            s.put(
                    "conditions",
                    List.of(
                            condition("Installed", "True", "", now),
                            condition("Deployed", "True", "", now),
                            condition("Monitored", "True", "", now),
                            drift
                                    ? condition("Ready", "False", "", now, "deployment.apps " + p.name() + " modified")
                                    : condition("Ready", "True", "", now)));
            s.put("resourceCounts", Map.of("ready", 1, "desiredReady", 1));
        }
        s.put("display", display(spec, s));
        GenericKubernetesResource next = copyWithStatus(bd, s);
        // with its resourceVersion: a plain PUT, 409 if someone wrote since
        return client.genericKubernetesResources(ctx)
                .inNamespace(p.namespace())
                .resource(next)
                .updateStatus();
    }

    private static GenericKubernetesResource copyWithStatus(GenericKubernetesResource bd, Map<String, Object> s) {
        GenericKubernetesResource next = new GenericKubernetesResource();
        next.setApiVersion(bd.getApiVersion());
        next.setKind(bd.getKind());
        next.setMetadata(bd.getMetadata());
        next.setAdditionalProperties(new LinkedHashMap<>(bd.getAdditionalProperties()));
        next.setAdditionalProperty("status", s);
        return next;
    }

    /** Recomputes a BundleDeployment's display after its spec or labels changed. */
    @SuppressWarnings("unchecked")
    static GenericKubernetesResource refreshDisplay(
            KubernetesClient client, ResourceDefinitionContext ctx, GenericKubernetesResource bd) {
        if (bd.getAdditionalProperties().get("status") instanceof Map<?, ?> st) {
            Map<String, Object> s = new LinkedHashMap<>((Map<String, Object>) st);
            s.put(
                    "display",
                    display((Map<String, Object>) bd.getAdditionalProperties().get("spec"), s));
            return client.genericKubernetesResources(ctx)
                    .inNamespace(bd.getMetadata().getNamespace())
                    .resource(copyWithStatus(bd, s))
                    .updateStatus();
        }
        return bd;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> display(Map<String, Object> spec, Map<String, Object> status) {
        String deployed = "True";
        if (status.get("conditions") instanceof List<?> cs) {
            for (Object c : cs) {
                Map<String, Object> m = (Map<String, Object>) c;
                if ("Deployed".equals(m.get("type")) && "False".equals(m.get("status"))) {
                    deployed = "Error: " + m.get("message");
                }
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("deployed", deployed);
        d.put("monitored", deployed);
        d.put("state", state(spec, status));
        return d;
    }

    static Map<String, Object> condition(String type, String status, String reason, Instant now) {
        return condition(type, status, reason, now, "");
    }

    static Map<String, Object> condition(String type, String status, String reason, Instant now, String message) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", status);
        c.put("lastUpdateTime", now.toString());
        c.put("lastTransitionTime", now.toString());
        c.put("reason", reason);
        c.put("message", message);
        return c;
    }

    private FleetStatus() {}
}
