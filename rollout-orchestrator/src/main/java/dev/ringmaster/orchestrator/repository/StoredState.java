package dev.ringmaster.orchestrator.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.orchestrator.domain.RolloutState;
import dev.ringmaster.orchestrator.domain.StepState;
import dev.ringmaster.orchestrator.domain.StepState.ClusterStatus;
import java.util.HashMap;
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

    /**
     * A rollout's parts as JSON by name, and what each was made from (the object and, for a step, its change count):
     * a part made from the same object, unchanged since, need not be written out again to know it is the same.
     */
    record Parts(Map<String, String> json, Map<String, Object> from, Map<String, Long> changes) {

        static final Parts NONE = new Parts(Map.of(), Map.of(), Map.of());

        /** Parts as read for {@code s}: made from its objects as they are now. */
        static Parts of(RolloutState s, Map<String, String> json) {
            Parts p = new Parts(new LinkedHashMap<>(json), new HashMap<>(), new HashMap<>());
            p.from.put(CLUSTERS, s.clusters);
            s.steps.forEach((name, step) -> {
                p.from.put(STEP + name, step.clusters);
                p.changes.put(STEP + name, step.changes);
            });
            return p;
        }

        /** The part's JSON if it was made from {@code source} with {@code changesNow} changes; null if it may differ. */
        private String unchanged(String name, Object source, long changesNow) {
            boolean same = from.get(name) == source && changes.getOrDefault(name, 0L) == changesNow;
            return same ? json.get(name) : null;
        }
    }

    /**
     * The parts' JSON by name, in a stable order, written out only where they may differ from {@code before}: the
     * ring's clusters when the list is another object (it is never changed in place), a step's statuses when their
     * map is another object or has changed since.
     */
    Parts parts(RolloutState s, Parts before) {
        Parts now = new Parts(new LinkedHashMap<>(), new HashMap<>(), new HashMap<>());
        String clusters = before.unchanged(CLUSTERS, s.clusters, 0);
        now.json.put(CLUSTERS, clusters != null ? clusters : write(s.clusters));
        now.from.put(CLUSTERS, s.clusters);
        s.steps.forEach((name, step) -> {
            String key = STEP + name;
            String same = before.unchanged(key, step.clusters, step.changes);
            now.json.put(key, same != null ? same : write(step.clusters));
            now.from.put(key, step.clusters);
            now.changes.put(key, step.changes);
        });
        return now;
    }

    /** The state from its head and parts; a head written before the split still holds its parts itself. */
    RolloutState read(String head, Map<String, String> parts) {
        try {
            RolloutState s = json.readValue(head, RolloutState.class);
            s.clusters = List.copyOf(s.clusters); // a head written before the split holds them
            for (Map.Entry<String, String> p : parts.entrySet()) {
                if (p.getKey().equals(CLUSTERS)) {
                    s.clusters = List.copyOf(json.readValue(p.getValue(), CLUSTER_LIST));
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
