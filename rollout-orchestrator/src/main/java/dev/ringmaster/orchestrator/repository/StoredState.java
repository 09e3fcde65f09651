package dev.ringmaster.orchestrator.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.orchestrator.domain.RolloutState;
import dev.ringmaster.orchestrator.domain.StepState;
import dev.ringmaster.orchestrator.domain.StepState.ClusterStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A rollout's state as stored: a small head (everything but the per-cluster data), the ring's clusters as a part
 * ({@value #CLUSTERS}; written once, never changed in place), and each step's cluster statuses as rows of {@code
 * cluster_status}, so that a batch of answers writes the rows of the clusters it answers for: at 10,000 clusters a
 * batch of a hundred answers writes a hundred small rows, where chunks of 256 statuses had it rewrite ~0.7 MB (answers
 * come in no particular order). Statuses stored before the rows existed, as parts ({@value #STEP}{@code <service>} or
 * {@value #STEP}{@code <service>/<n>}) or in the head itself, are read, and move to rows at the next save.
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
     * A rollout's parts as JSON by name, and the list of clusters the {@value #CLUSTERS} part was made from: a part
     * made from the same list need not be written out again to know it is the same (the list is never changed in
     * place).
     */
    record Parts(Map<String, String> json, List<ClusterRef> clustersFrom) {

        static final Parts NONE = new Parts(Map.of(), null);

        /** Parts as read for {@code s}; statuses stored as parts are among them, to be deleted at the next save. */
        static Parts of(RolloutState s, Map<String, String> json) {
            return new Parts(new LinkedHashMap<>(json), s.clusters);
        }

        /** The names of the parts in {@code before} that these parts no longer have: to delete. */
        List<String> gone(Parts before) {
            return before.json.keySet().stream()
                    .filter(name -> !json.containsKey(name))
                    .toList();
        }
    }

    /** The parts' JSON by name, the ring's clusters written out only when the list is another object. */
    Parts parts(RolloutState s, Parts before) {
        String clusters = before.clustersFrom == s.clusters ? before.json.get(CLUSTERS) : null;
        return new Parts(Map.of(CLUSTERS, clusters != null ? clusters : write(s.clusters)), s.clusters);
    }

    /** One cluster's status in one step, as a row of {@code cluster_status}. */
    record StatusRow(String service, String cluster, int position, ClusterStatus status) {}

    /**
     * The status rows a save writes: of each step, those of the clusters whose status changed since the step's map
     * was stored, or all of them when the map is not the one stored; {@code whole} names the steps written whole,
     * whose other rows are to be deleted.
     */
    record Statuses(List<StatusRow> rows, List<String> whole) {}

    Statuses statuses(RolloutState s) {
        List<StatusRow> rows = new ArrayList<>();
        List<String> whole = new ArrayList<>();
        s.steps.forEach((service, step) -> {
            Set<String> changed = step.changedSinceStored();
            if (changed == null) {
                whole.add(service);
            }
            for (String cluster : changed == null ? step.clusters.keySet() : changed) {
                rows.add(new StatusRow(service, cluster, step.position(cluster), step.clusters.get(cluster)));
            }
        });
        return new Statuses(rows, whole);
    }

    /**
     * The state from its head, parts and status rows (each service's in position order). Statuses stored before the
     * rows existed come from their parts, or from the head itself when it was written before the parts; such a step
     * is not marked as stored, so the next save writes its rows.
     */
    RolloutState read(String head, Map<String, String> parts, List<StatusRow> rows) {
        try {
            RolloutState s = json.readValue(head, RolloutState.class);
            s.clusters = List.copyOf(s.clusters); // a head written before the split holds them
            Map<String, TreeMap<Integer, String>> chunks = new HashMap<>(); // by service, in chunk order
            for (Map.Entry<String, String> p : parts.entrySet()) {
                if (p.getKey().equals(CLUSTERS)) {
                    s.clusters = List.copyOf(json.readValue(p.getValue(), CLUSTER_LIST));
                } else if (p.getKey().startsWith(STEP)) {
                    String rest = p.getKey().substring(STEP.length());
                    int slash = rest.indexOf('/');
                    if (slash < 0) {
                        StepState step = s.steps.get(rest);
                        if (step != null) {
                            step.clusters = json.readValue(p.getValue(), STATUSES);
                        }
                    } else {
                        chunks.computeIfAbsent(rest.substring(0, slash), k -> new TreeMap<>())
                                .put(Integer.parseInt(rest.substring(slash + 1)), p.getValue());
                    }
                }
            }
            for (Map.Entry<String, TreeMap<Integer, String>> c : chunks.entrySet()) {
                StepState step = s.steps.get(c.getKey());
                if (step != null) {
                    LinkedHashMap<String, ClusterStatus> statuses = new LinkedHashMap<>();
                    for (String chunk : c.getValue().values()) {
                        statuses.putAll(json.readValue(chunk, STATUSES));
                    }
                    step.clusters = statuses;
                }
            }
            Set<String> fromParts = new HashSet<>();
            s.steps.forEach((service, step) -> {
                if (!step.clusters.isEmpty()) {
                    fromParts.add(service);
                }
            });
            Map<String, Map<String, ClusterStatus>> fromRows = new HashMap<>();
            for (StatusRow r : rows) { // in position order
                fromRows.computeIfAbsent(r.service(), k -> new LinkedHashMap<>())
                        .put(r.cluster(), r.status());
            }
            fromRows.forEach((service, statuses) -> {
                StepState step = s.steps.get(service);
                if (step != null) {
                    step.clusters = statuses;
                }
            });
            s.steps.forEach((service, step) -> {
                if (!fromParts.contains(service)) {
                    step.storedAsIs();
                }
            });
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
