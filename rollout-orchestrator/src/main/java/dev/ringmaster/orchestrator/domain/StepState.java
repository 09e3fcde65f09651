package dev.ringmaster.orchestrator.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ringmaster.events.rollout.ServicePlan;
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

    /** Sets one cluster's status. */
    public void status(String cluster, ClusterStatus status) {
        clusters.put(cluster, status);
        changes++;
    }

    public String service() {
        return plan.service();
    }

    /** Whether the plan changes nothing for this ring. */
    public boolean nothingToDo() {
        return plan.toVersion() == null || plan.toVersion().equals(plan.fromVersion());
    }
}
