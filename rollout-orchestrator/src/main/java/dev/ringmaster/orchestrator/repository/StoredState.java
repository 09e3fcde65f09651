package dev.ringmaster.orchestrator.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.orchestrator.domain.RolloutState;
import dev.ringmaster.orchestrator.domain.StepState;
import dev.ringmaster.orchestrator.domain.StepState.ClusterStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rollout's state as stored: a small head (everything but the per-cluster parts) and one part per large, separately
 * changing piece: the ring's clusters ({@value #CLUSTERS}) and each step's cluster statuses ({@value #STEP}{@code
 * <service>}). A batch of answers for one service changes one part; only changed parts are written again. At 10,000
 * clusters × 10 services that is ~0.4 MB a batch instead of the whole ~4 MB.
 */
final class StoredState {

    static final String CLUSTERS = "clusters";
    static final String STEP = "step/";

    private static final TypeReference<List<ClusterRef>> CLUSTER_LIST = new TypeReference<>() {};
    private static final TypeReference<LinkedHashMap<String, ClusterStatus>> STATUSES = new TypeReference<>() {};

    private final ObjectMapper json;

    StoredState(ObjectMapper json) {
        this.json = json;
    }

    /** The head's JSON: the state without its clusters and without its steps' cluster statuses. */
    String head(RolloutState s) {
        List<ClusterRef> clusters = s.clusters;
        Map<String, Map<String, ClusterStatus>> statuses = new LinkedHashMap<>();
        s.steps.forEach((name, step) -> statuses.put(name, step.clusters));
        try {
            s.clusters = List.of();
            s.steps.values().forEach(step -> step.clusters = Map.of());
            return write(s);
        } finally {
            s.clusters = clusters;
            s.steps.forEach((name, step) -> step.clusters = statuses.get(name));
        }
    }

    /** The parts' JSON by name, in a stable order. */
    Map<String, String> parts(RolloutState s) {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put(CLUSTERS, write(s.clusters));
        s.steps.forEach((name, step) -> parts.put(STEP + name, write(step.clusters)));
        return parts;
    }

    /** The state from its head and parts; a head written before the split still holds its parts itself. */
    RolloutState read(String head, Map<String, String> parts) {
        try {
            RolloutState s = json.readValue(head, RolloutState.class);
            for (Map.Entry<String, String> p : parts.entrySet()) {
                if (p.getKey().equals(CLUSTERS)) {
                    s.clusters = json.readValue(p.getValue(), CLUSTER_LIST);
                } else if (p.getKey().startsWith(STEP)) {
                    StepState step = s.steps.get(p.getKey().substring(STEP.length()));
                    if (step != null) {
                        step.clusters = json.readValue(p.getValue(), STATUSES);
                    }
                }
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rollout state is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store a rollout's state: " + e.getOriginalMessage(), e);
        }
    }
}
