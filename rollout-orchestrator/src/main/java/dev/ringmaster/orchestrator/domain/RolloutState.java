package dev.ringmaster.orchestrator.domain;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.rollout.RolloutPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rollout: one application, one ring, its steps in dependency order and the clusters it counts. Mutable; {@link
 * RolloutMachine} changes it and says what to send. Plain fields, so that it stores as one JSON document.
 */
public final class RolloutState {

    public String rolloutId;
    public String application;
    public int ring;
    public String ringLabel;
    public String customizationPattern;
    public String requestedBy;
    public RolloutPolicy policy;
    public RolloutPhase phase = RolloutPhase.PENDING;

    /** Why it paused or ended, for a person. */
    public String reason;

    /** The ring's clusters when the rollout was requested. Never changed in place (replaced, if at all). */
    public List<ClusterRef> clusters = List.of();

    /** Clusters of the snapshot that left the ring since: they no longer count. */
    @JsonDeserialize(as = LinkedHashSet.class) // in the order they left/joined, also after a reload
    public Set<String> departed = new LinkedHashSet<>();

    /** Clusters that joined the ring since the request: reported, left for the next rollout. */
    @JsonDeserialize(as = LinkedHashSet.class) // in the order they left/joined, also after a reload
    public Set<String> joined = new LinkedHashSet<>();

    /** The steps, in topological order. */
    public Map<String, StepState> steps = new LinkedHashMap<>();

    /** The topological order in layers. */
    public List<List<String>> layers = new ArrayList<>();

    /** The clusters that count: the snapshot minus those that left. */
    public List<ClusterRef> countedClusters() {
        return clusters.stream().filter(c -> !departed.contains(c.name())).toList();
    }

    public StepState step(String service) {
        return steps.get(service);
    }
}
