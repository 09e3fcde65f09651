package dev.ringmaster.catalog.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ringmaster.catalog.api.RolloutPlanView;
import dev.ringmaster.catalog.api.RolloutView;
import dev.ringmaster.catalog.api.TimelineEntry;
import dev.ringmaster.catalog.domain.Rollout;
import dev.ringmaster.catalog.domain.RolloutEvent;
import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.ServiceOrder;
import dev.ringmaster.events.rollout.ServicePlan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the plan and the rollout view: the steps are folded from the rollout's events, in their order. */
public final class RolloutViews {

    private static final EventCodec CODEC = new EventCodec();

    static RolloutPlanView plan(RolloutRequested s) {
        List<RolloutPlanView.ServiceChange> changes = new ArrayList<>();
        for (ServicePlan p : s.services()) {
            boolean skip = p.toVersion() == null || p.toVersion().equals(p.fromVersion());
            changes.add(new RolloutPlanView.ServiceChange(
                    p.service(),
                    p.repoUrl(),
                    p.branch(),
                    p.path().equals(".") ? "fleet.yaml" : p.path() + "/fleet.yaml",
                    p.fromVersion(),
                    p.toVersion(),
                    skip ? (p.toVersion() == null ? "skip: no plan" : "skip: ring runs it already") : "bump",
                    p.dependencies()));
        }
        return new RolloutPlanView(
                s.application(),
                s.ring(),
                ServiceOrder.layers(s.services()),
                changes,
                s.clusters().stream().map(ClusterRef::name).toList(),
                new RolloutPlanView.PolicyView(
                        s.policy().clusterDeadline().toString(),
                        s.policy().toleratedFailures(),
                        s.policy().onFailure().name()));
    }

    static RolloutView view(Rollout r, RolloutRequested s, List<RolloutEvent> events) {
        Map<String, Step> steps = new LinkedHashMap<>();
        List<List<String>> layers = ServiceOrder.layers(s.services());
        Map<String, ServicePlan> plans = new LinkedHashMap<>();
        s.services().forEach(p -> plans.put(p.service(), p));
        layers.forEach(layer -> layer.forEach(name -> steps.put(name, new Step(plans.get(name)))));
        Set<String> departed = new HashSet<>();
        List<TimelineEntry> timeline = new ArrayList<>();
        for (RolloutEvent e : events) {
            TimelineEntry entry = entry(e);
            timeline.add(entry);
            fold(steps, departed, s.clusters(), entry.type(), entry.data());
        }
        RolloutPlanView plan = plan(s);
        return new RolloutView(
                r.id,
                s.application(),
                s.ring(),
                r.phase,
                r.reason,
                r.requestedBy,
                r.requestedAt,
                r.updatedAt,
                plan.policy(),
                steps.values().stream().map(Step::view).toList(),
                plan.clusters(),
                timeline);
    }

    /** A stored event as the timeline shows it. */
    public static TimelineEntry entry(RolloutEvent e) {
        CloudEvent ce = CODEC.decode(e.payload);
        String type = shortType(e.type);
        return new TimelineEntry(e.seq, e.time, type, summary(type, ce.data()), ce.data());
    }

    /** {@code ringmaster.rollout.step-committed.v1} -> {@code step-committed}. */
    public static String shortType(String type) {
        return type.replace("ringmaster.rollout.", "").replaceAll("\\.v[0-9]+$", "");
    }

    private static void fold(
            Map<String, Step> steps, Set<String> departed, List<ClusterRef> clusters, String type, JsonNode d) {
        Step step = d.hasNonNull("service") ? steps.get(d.get("service").asText()) : null;
        switch (type) {
            case "step-started" -> {
                if (step != null) {
                    step.phase = "COMMITTING";
                }
            }
            case "step-committed" -> {
                if (step != null) {
                    step.phase = "DEPLOYING";
                    step.commit = d.get("commit").asText();
                    step.total = d.get("clusters").asInt();
                    step.ready = 0;
                    step.failed = 0;
                    step.clusters.clear();
                    clusters.stream()
                            .filter(c -> !departed.contains(c.name()))
                            .forEach(c -> step.clusters.put(c.name(), "PENDING"));
                }
            }
            case "clusters-ready", "cluster-ready" /* one per cluster, in histories stored before clusters-ready */ -> {
                if (step != null) {
                    readyClusters(d).forEach(c -> step.clusters.put(c, "READY"));
                    step.ready = d.get("ready").asInt();
                    step.total = d.get("total").asInt();
                }
            }
            case "cluster-failed" -> {
                if (step != null) {
                    step.clusters.put(d.get("cluster").asText(), d.get("state").asText());
                    step.failed = d.get("failed").asInt();
                    step.total = d.get("total").asInt();
                }
            }
            case "step-completed" -> {
                if (step != null) {
                    step.phase = d.get("phase").asText();
                    step.ready = d.get("ready").asInt();
                    step.failed = d.get("failed").asInt();
                    step.total = d.get("total").asInt();
                }
            }
            case "step-failed" -> {
                if (step != null) {
                    step.phase = "FAILED";
                }
            }
            case "resumed" ->
                steps.values().forEach(st -> {
                    if (st.phase.equals("FAILED")) {
                        // as the orchestrator does: a failed commit is sent again; failed clusters are awaited again
                        st.phase = st.commit == null ? "WAITING" : "DEPLOYING";
                        st.clusters.replaceAll((c, state) -> state.equals("READY") ? state : "PENDING");
                        st.failed = 0;
                    }
                });
            case "cluster-left-ring" -> {
                departed.add(d.get("cluster").asText());
                steps.values().forEach(st -> st.clusters.remove(d.get("cluster").asText()));
            }
            default -> {}
        }
    }

    private static String summary(String type, JsonNode d) {
        String service = d.path("service").asText("");
        return switch (type) {
            case "started" ->
                "rollout of " + d.path("application").asText() + " on ring "
                        + d.path("ring").asInt()
                        + " started: " + d.path("services").size() + " services, "
                        + d.path("clusters").size()
                        + " clusters";
            case "step-started" ->
                service + ": bumping " + d.path("fromVersion").asText() + " -> "
                        + d.path("toVersion").asText();
            case "step-committed" ->
                service + ": " + d.path("version").asText() + " committed ("
                        + abbreviate(d.path("commit").asText()) + "), awaiting "
                        + d.path("clusters").asInt()
                        + " clusters";
            case "clusters-ready", "cluster-ready" -> {
                List<String> ready = readyClusters(d);
                yield service + ": " + (ready.size() == 1 ? ready.get(0) : ready.size() + " clusters") + " ready ("
                        + d.path("ready").asInt() + "/" + d.path("total").asInt() + ")";
            }
            case "cluster-failed" ->
                service + ": " + d.path("cluster").asText() + " "
                        + d.path("state").asText()
                        + (d.path("message").asText("").isEmpty()
                                ? ""
                                : ": " + d.path("message").asText());
            case "step-completed" ->
                service + ": " + d.path("phase").asText().toLowerCase() + " ("
                        + d.path("ready").asInt() + "/" + d.path("total").asInt() + " ready)";
            case "step-failed", "paused", "failed", "errored", "aborted" ->
                (service.isEmpty() ? "" : service + ": ") + type + ": "
                        + d.path("reason").asText();
            case "resumed" -> "resumed" + by(d);
            case "succeeded" -> "succeeded: " + d.path("versions");
            case "cluster-left-ring" -> d.path("cluster").asText() + " left the ring: no longer counted";
            case "cluster-joined-ring" -> d.path("cluster").asText() + " joined the ring: left for the next rollout";
            default -> type;
        };
    }

    /** The clusters a progress event reports ready: {@code clusters} of clusters-ready, {@code cluster} of cluster-ready. */
    private static List<String> readyClusters(JsonNode d) {
        if (d.has("clusters")) {
            List<String> names = new ArrayList<>(d.get("clusters").size());
            d.get("clusters").forEach(c -> names.add(c.asText()));
            return names;
        }
        return List.of(d.path("cluster").asText());
    }

    private static String by(JsonNode d) {
        String by = d.path("by").asText("");
        return by.isEmpty() ? "" : " by " + by;
    }

    private static String abbreviate(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) : sha;
    }

    /** One step while folding. */
    private static final class Step {
        final ServicePlan plan;
        String phase = "WAITING";
        String commit;
        int ready;
        int failed;
        int total;
        final Map<String, String> clusters = new LinkedHashMap<>();

        Step(ServicePlan plan) {
            this.plan = plan;
        }

        RolloutView.StepView view() {
            return new RolloutView.StepView(
                    plan.service(),
                    phase,
                    plan.fromVersion(),
                    plan.toVersion(),
                    commit,
                    ready,
                    failed,
                    total,
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clusters)));
        }
    }

    private RolloutViews() {}
}
