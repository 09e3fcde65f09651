package dev.ringmaster.orchestrator.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ringmaster.events.rollout.ServicePlan;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** One service inside a rollout. Mutable; owned by its {@link RolloutState}. */
public final class StepState {

    /** What to do: repository, versions, dependencies. */
    public ServicePlan plan;

    public StepPhase phase = StepPhase.WAITING;

    /** How many times its BumpVersion was sent (a resume after a failed commit sends it again). */
    public int attempt;

    /** The id of the BumpVersion in flight: {@code <rolloutId>:<service>:<attempt>}, stable across replays. */
    public String commandId;

    /** The commit that holds the new version, once committed. */
    public String commit;

    /** Whether the commit changed the repository (false: the version was there already). */
    public boolean changed;

    /** Why it failed, when it did. */
    public String reason;

    /** Whether a failed commit may succeed when tried again. */
    public boolean retryable;

    /** Per cluster of the snapshot, once deploying. Change a status with {@link #status}, not in place. */
    public Map<String, ClusterStatus> clusters = new LinkedHashMap<>();

    /**
     * The map of statuses as the store last read or wrote it, and the clusters {@link #status} changed in it since:
     * the store writes the rows of those clusters only (a batch of answers touches a few of a step's clusters, in no
     * particular order). Not stored.
     */
    @JsonIgnore
    private Map<String, ClusterStatus> stored;

    @JsonIgnore
    private Set<String> dirty = new LinkedHashSet<>();

    /** Each cluster's position in {@link #positioned}, made when asked for. */
    @JsonIgnore
    private Map<String, Integer> position;

    @JsonIgnore
    private Map<String, ClusterStatus> positioned;

    /**
     * {ready, failed, total} of {@link #clusters} that still count, as {@code RolloutMachine} last counted them; null
     * when it must count again. Not stored: it follows from the clusters.
     */
    @JsonIgnore
    public int[] tally;

    /**
     * A cluster's phase and, for a failure, Fleet's state and message. Stored without its nulls: a step holds one per
     * cluster of the ring, and {@code {"phase":"READY"}} is most of them.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterStatus(ClusterPhase phase, String state, String message) {
        public static final ClusterStatus PENDING = new ClusterStatus(ClusterPhase.PENDING, null, null);
        public static final ClusterStatus READY = new ClusterStatus(ClusterPhase.READY, null, null);
    }

    /** Sets one cluster's status (a new cluster goes last: a cluster's position never changes). */
    public void status(String cluster, ClusterStatus status) {
        clusters.put(cluster, status);
        if (stored == clusters) {
            dirty.add(cluster);
        }
    }

    /**
     * For the store: the clusters whose status changed since it stored {@link #clusters} ({@link #storedAsIs}), or
     * null when {@link #clusters} is not the map it stored (a new one, or one it never saw), to be written whole.
     */
    public Set<String> changedSinceStored() {
        return stored == clusters ? dirty : null;
    }

    /** For the store: {@link #clusters} is stored as it is now. */
    public void storedAsIs() {
        stored = clusters;
        dirty = new LinkedHashSet<>();
    }

    /** A cluster's position in {@link #clusters}: the order statuses were first set in, kept by the store. */
    public int position(String cluster) {
        if (positioned != clusters || position.size() != clusters.size()) {
            position = new HashMap<>();
            for (String name : clusters.keySet()) {
                position.put(name, position.size());
            }
            positioned = clusters;
        }
        return position.get(cluster);
    }

    public String service() {
        return plan.service();
    }

    /** Whether the plan changes nothing for this ring. */
    public boolean nothingToDo() {
        return plan.toVersion() == null || plan.toVersion().equals(plan.fromVersion());
    }
}
