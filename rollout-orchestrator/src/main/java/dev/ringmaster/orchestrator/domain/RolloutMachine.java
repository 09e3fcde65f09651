package dev.ringmaster.orchestrator.domain;

import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.fleet.ClusterTimedOut;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.CommitFailed;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.events.rollout.ClusterJoinedRing;
import dev.ringmaster.events.rollout.ClusterLeftRing;
import dev.ringmaster.events.rollout.RolloutAborted;
import dev.ringmaster.events.rollout.RolloutControl;
import dev.ringmaster.events.rollout.RolloutErrored;
import dev.ringmaster.events.rollout.RolloutFailed;
import dev.ringmaster.events.rollout.RolloutPaused;
import dev.ringmaster.events.rollout.RolloutPolicy;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.RolloutResumed;
import dev.ringmaster.events.rollout.RolloutStarted;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import dev.ringmaster.events.rollout.ServiceOrder;
import dev.ringmaster.events.rollout.ServicePlan;
import dev.ringmaster.events.rollout.StepCommitted;
import dev.ringmaster.events.rollout.StepCompleted;
import dev.ringmaster.events.rollout.StepFailed;
import dev.ringmaster.events.rollout.StepStarted;
import dev.ringmaster.orchestrator.domain.StepState.ClusterStatus;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The rollout state machine. Pure: no I/O, no framework; the clock is given. {@link #start} makes a rollout from its
 * request; {@link #apply} takes the rollout and one input, changes the rollout in place and returns what to send.
 *
 * <p>Idempotent by construction: an input that does not fit the current state (a duplicate, a late answer to an
 * earlier attempt, anything after the end) changes nothing and sends nothing. Command ids are derived from the
 * rollout, the service and the attempt, so a replay sends the same ids.
 *
 * <p>Inputs: {@link RolloutControl}, {@link VersionCommitted}, {@link CommitFailed}, fleet's {@code ClusterReady},
 * {@code ClusterFailed} and {@link ClusterTimedOut}, and {@link RingMembership}.
 */
public final class RolloutMachine {

    private final Clock clock;

    public RolloutMachine(Clock clock) {
        this.clock = clock;
    }

    /** The outcome of an input: the messages to send, in order. */
    public record Decision(List<Outgoing> messages) {
        public boolean isEmpty() {
            return messages.isEmpty();
        }
    }

    // ---- start

    /** A new rollout from its request, RUNNING, with its first steps started. */
    public Decision start(RolloutRequested req, RolloutState s) {
        s.rolloutId = req.rolloutId();
        s.application = req.application();
        s.ring = req.ring();
        s.ringLabel = req.ringLabel();
        s.customizationPattern = req.customizationPattern();
        s.requestedBy = req.requestedBy();
        s.policy = req.policy() == null ? RolloutPolicy.DEFAULT : req.policy();
        s.clusters = List.copyOf(req.clusters()); // never changed in place: the store relies on it
        s.layers = ServiceOrder.layers(req.services());
        for (List<String> layer : s.layers) {
            for (String name : layer) {
                StepState step = new StepState();
                step.plan = req.services().stream()
                        .filter(p -> p.service().equals(name))
                        .findFirst()
                        .orElseThrow();
                s.steps.put(name, step);
            }
        }
        s.phase = RolloutPhase.RUNNING;
        List<Outgoing> out = new ArrayList<>();
        out.add(event(
                s,
                new RolloutStarted(
                        s.rolloutId,
                        s.application,
                        s.ring,
                        List.copyOf(req.services()),
                        s.clusters.stream().map(ClusterRef::name).toList(),
                        s.layers)));
        for (StepState step : s.steps.values()) {
            if (step.nothingToDo()) {
                step.phase = StepPhase.SKIPPED;
                out.add(event(
                        s,
                        new StepCompleted(
                                s.rolloutId,
                                s.application,
                                s.ring,
                                step.service(),
                                "SKIPPED",
                                step.plan.fromVersion(),
                                0,
                                0,
                                0)));
            }
        }
        advance(s, out);
        return new Decision(out);
    }

    // ---- inputs

    /** Applies one input to the rollout (changing it in place) and returns what to send. */
    public Decision apply(RolloutState s, Object input) {
        List<Outgoing> out = new ArrayList<>();
        if (input instanceof RolloutControl c) {
            control(s, c, out);
        } else if (s.phase.isTerminal()) {
            return new Decision(List.of());
        } else if (input instanceof VersionCommitted v) {
            committed(s, v, out);
        } else if (input instanceof CommitFailed f) {
            commitFailed(s, f, out);
        } else if (input instanceof dev.ringmaster.events.fleet.ClusterReady r) {
            clusterResult(s, r.service(), r.cluster(), ClusterStatus.READY, out);
        } else if (input instanceof dev.ringmaster.events.fleet.ClusterFailed f) {
            clusterResult(
                    s, f.service(), f.cluster(), new ClusterStatus(ClusterPhase.FAILED, f.state(), f.message()), out);
        } else if (input instanceof ClusterTimedOut t) {
            clusterResult(
                    s,
                    t.service(),
                    t.cluster(),
                    new ClusterStatus(ClusterPhase.TIMED_OUT, "TimedOut", "not ready by " + t.deadline()),
                    out);
        } else if (input instanceof RingMembership m) {
            membership(s, m, out);
        } else {
            throw new IllegalArgumentException(
                    "not an input of a rollout: " + input.getClass().getName());
        }
        return new Decision(out);
    }

    private void control(RolloutState s, RolloutControl c, List<Outgoing> out) {
        String by = Objects.requireNonNullElse(c.requestedBy(), "");
        switch (c.action()) {
            case PAUSE -> {
                if (s.phase == RolloutPhase.RUNNING) {
                    s.phase = RolloutPhase.PAUSED;
                    s.reason = reasonOr(c.reason(), "paused by " + (by.isEmpty() ? "a person" : by));
                    out.add(event(s, new RolloutPaused(s.rolloutId, s.application, s.ring, s.reason, by)));
                }
            }
            case RESUME -> {
                if (s.phase == RolloutPhase.PAUSED) {
                    s.phase = RolloutPhase.RUNNING;
                    s.reason = null;
                    out.add(event(s, new RolloutResumed(s.rolloutId, s.application, s.ring, by)));
                    retryFailedSteps(s, out);
                    advance(s, out);
                }
            }
            case ABORT -> {
                if (!s.phase.isTerminal()) {
                    s.phase = RolloutPhase.ABORTED;
                    s.reason = reasonOr(c.reason(), "aborted by " + (by.isEmpty() ? "a person" : by));
                    out.add(event(s, new RolloutAborted(s.rolloutId, s.application, s.ring, s.reason, by)));
                }
            }
        }
    }

    private void committed(RolloutState s, VersionCommitted v, List<Outgoing> out) {
        StepState step = s.step(v.service());
        if (step == null || step.phase != StepPhase.COMMITTING || !v.commandId().equals(step.commandId)) {
            return; // a duplicate, or the answer to an earlier attempt
        }
        step.commit = v.commit();
        step.changed = v.changed();
        step.phase = StepPhase.DEPLOYING;
        step.clusters = new LinkedHashMap<>();
        step.tally = null;
        List<ClusterRef> counted = s.countedClusters();
        counted.forEach(c -> step.status(c.name(), ClusterStatus.PENDING));
        out.add(event(
                s,
                new StepCommitted(
                        s.rolloutId,
                        s.application,
                        s.ring,
                        step.service(),
                        step.plan.toVersion(),
                        v.commit(),
                        v.changed(),
                        counted.size())));
        counted.forEach(c -> out.add(await(s, step, c, null)));
        settle(s, step, out);
    }

    private void commitFailed(RolloutState s, CommitFailed f, List<Outgoing> out) {
        StepState step = s.step(f.service());
        if (step == null || step.phase != StepPhase.COMMITTING || !f.commandId().equals(step.commandId)) {
            return;
        }
        step.phase = StepPhase.FAILED;
        step.reason = "commit of " + step.service() + " " + step.plan.toVersion() + " failed: " + f.reason();
        step.retryable = f.retryable();
        out.add(event(
                s, new StepFailed(s.rolloutId, s.application, s.ring, step.service(), step.reason, f.retryable())));
        if (!f.retryable()) {
            s.phase = RolloutPhase.ERRORED;
            s.reason = step.reason;
            out.add(event(s, new RolloutErrored(s.rolloutId, s.application, s.ring, s.reason)));
        } else if (s.phase == RolloutPhase.RUNNING) {
            s.phase = RolloutPhase.PAUSED;
            s.reason = step.reason + "; resume to try again";
            out.add(event(s, new RolloutPaused(s.rolloutId, s.application, s.ring, s.reason, "")));
        }
    }

    private void clusterResult(
            RolloutState s, String service, String cluster, ClusterStatus result, List<Outgoing> out) {
        StepState step = s.step(service);
        if (step == null || !step.clusters.containsKey(cluster) || s.departed.contains(cluster)) {
            return;
        }
        ClusterStatus current = step.clusters.get(cluster);
        if (current.phase() != ClusterPhase.PENDING) {
            return; // a duplicate, or a late answer: the first answer for an expectation counts
        }
        step.status(cluster, result);
        if (step.tally != null) { // PENDING (counted in the total only) -> result
            step.tally[0] += result.phase() == ClusterPhase.READY ? 1 : 0;
            step.tally[1] += result.phase().isFailure() ? 1 : 0;
        }
        if (step.phase != StepPhase.DEPLOYING && step.phase != StepPhase.FAILED) {
            return;
        }
        int[] c = counts(s, step);
        if (result.phase() == ClusterPhase.READY) {
            out.add(event(
                    s,
                    new dev.ringmaster.events.rollout.ClustersReady(
                            s.rolloutId, s.application, s.ring, service, List.of(cluster), c[0], c[2])));
        } else {
            out.add(event(
                    s,
                    new dev.ringmaster.events.rollout.ClusterFailed(
                            s.rolloutId,
                            s.application,
                            s.ring,
                            service,
                            cluster,
                            result.state(),
                            result.message(),
                            c[1],
                            c[2])));
        }
        settle(s, step, out);
    }

    private void membership(RolloutState s, RingMembership m, List<Outgoing> out) {
        boolean inSnapshot = s.clusters.stream().anyMatch(c -> c.name().equals(m.cluster()));
        if (!m.joined()) {
            if (inSnapshot && s.departed.add(m.cluster())) {
                s.steps.values().forEach(st -> st.tally = null); // it no longer counts anywhere
                out.add(event(s, new ClusterLeftRing(s.rolloutId, s.application, s.ring, m.cluster())));
                for (StepState step : s.steps.values()) {
                    settle(s, step, out);
                }
            }
        } else if ((!inSnapshot || s.departed.contains(m.cluster())) && s.joined.add(m.cluster())) {
            out.add(event(s, new ClusterJoinedRing(s.rolloutId, s.application, s.ring, m.cluster())));
        }
    }

    // ---- progress

    /** After a cluster result: is the step done, or failed beyond the tolerance? */
    private void settle(RolloutState s, StepState step, List<Outgoing> out) {
        if (step.phase != StepPhase.DEPLOYING) {
            return;
        }
        int[] c = counts(s, step);
        int ready = c[0];
        int failed = c[1];
        int total = c[2];
        if (failed > s.policy.toleratedFailures()) {
            step.phase = StepPhase.FAILED;
            step.retryable = true;
            step.reason = failed + " of " + total + " clusters failed for " + step.service() + " (tolerated: "
                    + s.policy.toleratedFailures() + "): " + failures(s, step);
            out.add(event(s, new StepFailed(s.rolloutId, s.application, s.ring, step.service(), step.reason, true)));
            if (s.policy.onFailure() == RolloutPolicy.OnFailure.FAIL) {
                s.phase = RolloutPhase.FAILED;
                s.reason = step.reason;
                out.add(event(s, new RolloutFailed(s.rolloutId, s.application, s.ring, s.reason)));
            } else if (s.phase == RolloutPhase.RUNNING) {
                s.phase = RolloutPhase.PAUSED;
                s.reason = step.reason;
                out.add(event(s, new RolloutPaused(s.rolloutId, s.application, s.ring, s.reason, "")));
            }
            return;
        }
        if (ready + failed == total) {
            step.phase = StepPhase.DONE;
            out.add(event(
                    s,
                    new StepCompleted(
                            s.rolloutId,
                            s.application,
                            s.ring,
                            step.service(),
                            "DONE",
                            step.plan.toVersion(),
                            ready,
                            failed,
                            total)));
            if (s.phase == RolloutPhase.RUNNING) {
                advance(s, out);
            }
        }
    }

    /** Starts every waiting step whose dependencies are done; ends the rollout when every step is done. */
    private void advance(RolloutState s, List<Outgoing> out) {
        if (s.phase != RolloutPhase.RUNNING) {
            return;
        }
        for (StepState step : s.steps.values()) {
            if (step.phase == StepPhase.WAITING && dependenciesDone(s, step)) {
                step.attempt++;
                step.commandId = s.rolloutId + ":" + step.service() + ":" + step.attempt;
                step.phase = StepPhase.COMMITTING;
                step.reason = null;
                out.add(event(
                        s,
                        new StepStarted(
                                s.rolloutId,
                                s.application,
                                s.ring,
                                step.service(),
                                step.plan.fromVersion(),
                                step.plan.toVersion(),
                                step.commandId)));
                ServicePlan p = step.plan;
                out.add(new Outgoing(
                        p.repoUrl(),
                        new BumpVersion(
                                step.commandId,
                                s.rolloutId,
                                s.application,
                                p.service(),
                                s.ring,
                                p.repoUrl(),
                                p.branch(),
                                p.path(),
                                p.versionPath(),
                                p.toVersion(),
                                s.ringLabel,
                                s.customizationPattern)));
            }
        }
        if (s.steps.values().stream().allMatch(st -> st.phase.isDone())) {
            s.phase = RolloutPhase.SUCCEEDED;
            s.reason = null;
            Map<String, String> versions = new LinkedHashMap<>();
            s.steps
                    .values()
                    .forEach(st -> versions.put(
                            st.service(), st.phase == StepPhase.SKIPPED ? st.plan.fromVersion() : st.plan.toVersion()));
            out.add(event(s, new RolloutSucceeded(s.rolloutId, s.application, s.ring, versions)));
        }
    }

    /** On resume: a failed commit is sent again (a new attempt); failed clusters are awaited again. */
    private void retryFailedSteps(RolloutState s, List<Outgoing> out) {
        for (StepState step : s.steps.values()) {
            if (step.phase != StepPhase.FAILED) {
                continue;
            }
            step.reason = null;
            if (step.commit == null) {
                step.phase = StepPhase.WAITING; // advance() sends the BumpVersion again
                continue;
            }
            step.phase = StepPhase.DEPLOYING;
            for (ClusterRef c : s.countedClusters()) {
                ClusterStatus st = step.clusters.get(c.name());
                if (st == null || st.phase().isFailure()) {
                    step.status(c.name(), ClusterStatus.PENDING);
                    step.tally = null;
                    // Fleet may still show the failure that paused us: only a newer one counts.
                    out.add(await(s, step, c, OffsetDateTime.now(clock)));
                }
            }
            settle(s, step, out);
        }
    }

    private boolean dependenciesDone(RolloutState s, StepState step) {
        for (String dep : step.plan.dependencies()) {
            StepState d = s.step(dep);
            if (d != null && !d.phase.isDone()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {ready, failed, total} over the clusters that still count. Kept in the step between inputs (a ring of 10,000
     * clusters would otherwise walk them all for every answer), counted afresh after any other change.
     */
    private static int[] counts(RolloutState s, StepState step) {
        if (step.tally == null) {
            step.tally = countAll(s, step);
        }
        return step.tally.clone();
    }

    private static int[] countAll(RolloutState s, StepState step) {
        int ready = 0;
        int failed = 0;
        int total = 0;
        for (var e : step.clusters.entrySet()) {
            if (s.departed.contains(e.getKey())) {
                continue;
            }
            total++;
            if (e.getValue().phase() == ClusterPhase.READY) {
                ready++;
            } else if (e.getValue().phase().isFailure()) {
                failed++;
            }
        }
        return new int[] {ready, failed, total};
    }

    private static String failures(RolloutState s, StepState step) {
        List<String> named = new ArrayList<>();
        step.clusters.forEach((name, st) -> {
            if (st.phase().isFailure() && !s.departed.contains(name)) {
                named.add(name + " " + st.state() + (st.message() == null ? "" : " (" + st.message() + ")"));
            }
        });
        return String.join(", ", named.subList(0, Math.min(5, named.size())))
                + (named.size() > 5 ? " and " + (named.size() - 5) + " more" : "");
    }

    private Outgoing await(RolloutState s, StepState step, ClusterRef c, OffsetDateTime failuresSince) {
        ServicePlan p = step.plan;
        OffsetDateTime deadline = OffsetDateTime.now(clock).plus(s.policy.clusterDeadline());
        return new Outgoing(
                c.name(),
                new AwaitReady(
                        s.rolloutId,
                        s.application,
                        p.service(),
                        p.repoUrl(),
                        p.path(),
                        step.commit,
                        p.toVersion(),
                        c,
                        deadline,
                        failuresSince));
    }

    private static Outgoing event(RolloutState s, Object payload) {
        return new Outgoing(s.rolloutId, payload);
    }

    private static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason;
    }
}
