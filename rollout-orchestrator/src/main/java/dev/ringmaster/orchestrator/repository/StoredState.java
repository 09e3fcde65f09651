package dev.ringmaster.orchestrator.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.orchestrator.domain.RolloutState;
import dev.ringmaster.orchestrator.domain.StepState;
import dev.ringmaster.orchestrator.domain.StepState.ClusterStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A rollout's state as stored: a small head (everything but the per-cluster parts) and one part per large, separately
 * changing piece: the ring's clusters ({@value #CLUSTERS}) and each step's cluster statuses ({@value #STEP}{@code
 * <service>}), in chunks of {@link StepState#CHUNK} clusters ({@value #STEP}{@code <service>/<n>}) when a step has
 * more. A batch of answers changes the chunks of the clusters it answers for; only changed parts are written again.
 * At 10,000 clusters × 10 services that is at most ~0.4 MB a batch (every chunk of one step) instead of the whole
 * ~4 MB, and ~10 KB for a batch of a few answers.
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
                for (int chunk = 0; chunk * StepState.CHUNK < step.clusters.size(); chunk++) {
                    p.from.put(chunkName(name, chunk), step.clusters);
                    p.changes.put(chunkName(name, chunk), step.chunkChanges(chunk));
                }
            });
            return p;
        }

        /** The names of the parts in {@code before} that these parts no longer have: to delete. */
        List<String> gone(Parts before) {
            return before.json.keySet().stream()
                    .filter(name -> !json.containsKey(name))
                    .toList();
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
            if (step.clusters.size() <= StepState.CHUNK) {
                String key = STEP + name;
                String same = before.unchanged(key, step.clusters, step.changes);
                now.json.put(key, same != null ? same : write(step.clusters));
                now.from.put(key, step.clusters);
                now.changes.put(key, step.changes);
                return;
            }
            int chunks = (step.clusters.size() + StepState.CHUNK - 1) / StepState.CHUNK;
            String[] same = new String[chunks];
            boolean allSame = true;
            for (int chunk = 0; chunk < chunks; chunk++) {
                same[chunk] = before.unchanged(chunkName(name, chunk), step.clusters, step.chunkChanges(chunk));
                allSame &= same[chunk] != null;
            }
            List<Map<String, ClusterStatus>> changed = allSame ? List.of() : split(step.clusters, same);
            for (int chunk = 0; chunk < chunks; chunk++) {
                String key = chunkName(name, chunk);
                now.json.put(key, same[chunk] != null ? same[chunk] : write(changed.get(chunk)));
                now.from.put(key, step.clusters);
                now.changes.put(key, step.chunkChanges(chunk));
            }
        });
        return now;
    }

    /** The statuses of the chunks not known {@code same}, in the map's order; null for the others. */
    private static List<Map<String, ClusterStatus>> split(Map<String, ClusterStatus> statuses, String[] same) {
        List<Map<String, ClusterStatus>> chunks = new ArrayList<>(Collections.nCopies(same.length, null));
        int i = 0;
        for (Map.Entry<String, ClusterStatus> e : statuses.entrySet()) {
            int chunk = i++ / StepState.CHUNK;
            if (same[chunk] == null) {
                if (chunks.get(chunk) == null) {
                    chunks.set(chunk, new LinkedHashMap<>());
                }
                chunks.get(chunk).put(e.getKey(), e.getValue());
            }
        }
        return chunks;
    }

    private static String chunkName(String service, int chunk) {
        return STEP + service + "/" + chunk;
    }

    /** The state from its head and parts; a head written before the split still holds its parts itself. */
    RolloutState read(String head, Map<String, String> parts) {
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
