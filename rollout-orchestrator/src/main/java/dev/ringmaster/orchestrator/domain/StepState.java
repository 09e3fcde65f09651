package dev.ringmaster.orchestrator.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ringmaster.events.rollout.ServicePlan;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

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
     * How many times {@link #status} changed {@link #clusters} since this object was made: with the map's identity it
     * tells the store that a step's statuses are as it last wrote them, without writing them out to compare. Not
     * stored.
     */
    @JsonIgnore
    public long changes;

    /**
     * Statuses are stored in chunks of this many clusters, in the map's order, once a step has more: a batch of
     * answers then rewrites the chunks it changed (at 10,000 clusters, a batch of three answers wrote the step's
     * whole ~0.4 MB before).
     */
    public static final int CHUNK = 256;

    /** The map {@link #position} describes; positions and chunk counts start again for another map. */
    @JsonIgnore
    private Map<String, ClusterStatus> indexed;

    @JsonIgnore
    private Map<String, Integer> position;

    /** Per chunk of {@link #clusters}: how many times {@link #status} changed it. Not stored. */
    @JsonIgnore
    private long[] chunkChanges;

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
        if (indexed != clusters) {
            index();
        }
        int at = position.computeIfAbsent(cluster, c -> clusters.size());
        clusters.put(cluster, status);
        changes++;
        int chunk = at / CHUNK;
        if (chunk >= chunkChanges.length) {
            chunkChanges = Arrays.copyOf(chunkChanges, Math.max(chunk + 1, chunkChanges.length * 2));
        }
        chunkChanges[chunk]++;
    }

    /** How many times {@link #status} changed chunk {@code chunk} of this map of statuses. */
    public long chunkChanges(int chunk) {
        return indexed == clusters && chunk < chunkChanges.length ? chunkChanges[chunk] : 0;
    }

    private void index() {
        position = new HashMap<>();
        for (String name : clusters.keySet()) {
            position.put(name, position.size());
        }
        chunkChanges = new long[clusters.size() / CHUNK + 1];
        indexed = clusters;
    }

    public String service() {
        return plan.service();
    }

    /** Whether the plan changes nothing for this ring. */
    public boolean nothingToDo() {
        return plan.toVersion() == null || plan.toVersion().equals(plan.fromVersion());
    }
}
