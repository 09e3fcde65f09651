package dev.ringmaster.orchestrator.service;

import dev.ringmaster.events.catalog.ClusterRegistered;
import dev.ringmaster.events.catalog.ClusterRemoved;
import dev.ringmaster.events.catalog.ClusterRingChanged;
import dev.ringmaster.events.fleet.ClusterFailed;
import dev.ringmaster.events.fleet.ClusterReady;
import dev.ringmaster.events.fleet.ClusterTimedOut;
import dev.ringmaster.events.git.CommitFailed;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.events.rollout.RolloutControl;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.orchestrator.domain.Outgoing;
import dev.ringmaster.orchestrator.domain.Progress;
import dev.ringmaster.orchestrator.domain.RingMembership;
import dev.ringmaster.orchestrator.domain.RolloutMachine;
import dev.ringmaster.orchestrator.domain.RolloutState;
import dev.ringmaster.orchestrator.repository.RolloutRepository;
import dev.ringmaster.outbox.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Applies one incoming event to the rollouts it concerns, in one transaction: the event's id is recorded (a
 * redelivery changes nothing), the rollout is locked, changed by the state machine and stored, and what the machine
 * wants sent goes into the outbox — all or nothing.
 */
@ApplicationScoped
public class RolloutService {

    private static final Logger LOG = Logger.getLogger(RolloutService.class);

    private final RolloutRepository rollouts;
    private final Outbox outbox;
    private final RolloutMachine machine = new RolloutMachine(Clock.systemUTC());
    private final Counter oneStatement;
    private final Counter rolledBack;
    private final Counter locked;

    public RolloutService(RolloutRepository rollouts, Outbox outbox, MeterRegistry registry) {
        this.rollouts = rollouts;
        this.outbox = outbox;
        this.oneStatement = batches(registry, "one-statement");
        this.rolledBack = batches(registry, "rolled-back");
        this.locked = batches(registry, "locked");
    }

    /** Batches of answers applied by {@link #applyAll}, by how they were stored. */
    private static Counter batches(MeterRegistry registry, String how) {
        return Counter.builder("ringmaster.orchestrator.batches")
                .description("Batches of Fleet's answers applied: stored with one statement without a lock"
                        + " (one-statement); that statement found the rollout written since or an answer applied"
                        + " before (rolled-back, then applied locked); stored after locking (locked)")
                .tag("write", how)
                .register(registry);
    }

    /**
     * Applies the payload of event {@code eventId}.
     *
     * @return false when the event was applied before, or concerns no rollout of this orchestrator
     */
    @Transactional
    public boolean apply(String eventId, Object payload) {
        if (!rollouts.markProcessed(eventId)) {
            return false;
        }
        if (payload instanceof RolloutRequested req) {
            if (rollouts.exists(req.rolloutId())) {
                return false;
            }
            RolloutState s = new RolloutState();
            List<Outgoing> out = machine.start(req, s).messages();
            send(s.rolloutId, out);
            rollouts.save(s);
            LOG.infof("rollout %s of %s on ring %d started: %s", s.rolloutId, s.application, s.ring, s.phase);
            return true;
        }
        if (payload instanceof ClusterRingChanged c) {
            membership(
                    c.application(),
                    c.previousRing(),
                    new RingMembership(c.cluster().name(), false));
            membership(
                    c.application(),
                    c.cluster().ring(),
                    new RingMembership(c.cluster().name(), true));
            return true;
        }
        if (payload instanceof ClusterRemoved c) {
            return membership(
                    c.application(),
                    c.cluster().ring(),
                    new RingMembership(c.cluster().name(), false));
        }
        if (payload instanceof ClusterRegistered c) {
            return membership(
                    c.application(),
                    c.cluster().ring(),
                    new RingMembership(c.cluster().name(), true));
        }
        String rolloutId = rolloutIdOf(payload);
        return rolloutId != null && applyTo(rolloutId, payload);
    }

    /** An input: its event id and decoded payload. */
    public record Input(String eventId, Object payload) {}

    /**
     * Applies a batch of rollout inputs (fleet's answers) in one transaction (two when the first finds it cannot). The
     * effect is that of applying them one by one, except that the clusters found ready are reported in one {@code
     * ClustersReady} per rollout and service ({@link Progress#coalesce}); the cost is one read and one write of each
     * rollout's state per batch, not per input.
     *
     * <p>When every input concerns one rollout whose committed state this instance holds, they are applied to it
     * first and stored with one statement that checks the row is still at that version ({@link
     * RolloutRepository#saveIfUnchanged}): the answer a dependent service waits for does not wait for a lock's round
     * trip before it is applied, and the transaction is one statement and its commit. When that finds the rollout
     * written since, or an input applied before, it rolls back and the batch is applied the locking way ({@link
     * #applyLocked}), from the stored state.
     *
     * @return how many inputs changed a rollout
     */
    public int applyAll(List<Input> inputs) {
        Integer applied = applyWithoutLock(inputs);
        return applied != null ? applied : QuarkusTransaction.requiringNew().call(() -> applyLocked(inputs));
    }

    /** {@link #applyAll} with one statement, or null when it cannot be (nothing was changed then). */
    private Integer applyWithoutLock(List<Input> inputs) {
        String rolloutId = inputs.isEmpty() ? null : rolloutIdOf(inputs.get(0).payload());
        for (Input in : inputs) {
            if (rolloutId == null || !rolloutId.equals(rolloutIdOf(in.payload()))) {
                return null; // inputs of several rollouts, or of none
            }
        }
        RolloutRepository.Taken taken = rollouts.take(rolloutId).orElse(null);
        if (taken == null) {
            return null;
        }
        long start = System.nanoTime();
        Map<String, Input> byId = new LinkedHashMap<>(); // an id twice in one batch applies once
        inputs.forEach(in -> byId.putIfAbsent(in.eventId(), in));
        List<Outgoing> out = new ArrayList<>();
        int applied = 0;
        for (Input in : byId.values()) {
            List<Outgoing> made = machine.apply(taken.state(), in.payload()).messages();
            if (!made.isEmpty()) {
                out.addAll(made);
                applied++;
            }
        }
        Outbox.Rows sent = outbox.rows(Progress.coalesce(out).stream()
                .map(o -> new Outbox.Entry(o.key(), rolloutId, o.payload()))
                .toList());
        long madeAt = System.nanoTime();
        boolean stored;
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (!rollouts.saveIfUnchanged(taken, byId.keySet(), sent)) {
                    throw NotStored.INSTANCE; // rolls the transaction back
                }
                outbox.inserted(sent);
            });
            stored = true;
        } catch (NotStored e) {
            stored = false;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf(
                    "batch of %d (%d applied, %d sent) without a lock: apply %d µs, write and commit %d µs%s",
                    inputs.size(),
                    applied,
                    sent.events().size(),
                    (madeAt - start) / 1000,
                    (System.nanoTime() - madeAt) / 1000,
                    stored ? "" : "; rolled back: written since, or an input seen before");
        }
        (stored ? oneStatement : rolledBack).increment();
        return stored ? applied : null;
    }

    /** Rolls back a transaction whose one statement found the rollout written since, or an input applied before. */
    private static final class NotStored extends RuntimeException {
        static final NotStored INSTANCE = new NotStored();

        private NotStored() {
            super("written since, or an input applied before", null, false, false);
        }
    }

    /**
     * {@link #applyAll} taking locks: the inputs' ids are recorded and each rollout the fresh ones concern is locked
     * once (in id order, so that two batches cannot deadlock) in one statement, the inputs are applied in their order,
     * and each changed rollout is stored once (one statement each). In the caller's transaction.
     */
    private int applyLocked(List<Input> inputs) {
        locked.increment();
        long start = System.nanoTime();
        Map<String, String> rolloutOf = new LinkedHashMap<>();
        inputs.forEach(in -> rolloutOf.put(in.eventId(), rolloutIdOf(in.payload())));
        // one round trip: the ids recorded, the rollouts of the fresh ones locked
        RolloutRepository.Opened opened = rollouts.open(rolloutOf);
        Set<String> fresh = opened.fresh();
        Map<String, RolloutState> locked = opened.locked();
        long openedAt = System.nanoTime();
        List<Input> todo = new ArrayList<>();
        for (Input in : inputs) {
            if (fresh.remove(in.eventId())) { // remove: an id twice in one batch applies once
                todo.add(in);
            }
        }
        Map<String, List<Outgoing>> sent = new LinkedHashMap<>(); // by rollout, in the order made
        int applied = 0;
        for (Input in : todo) {
            String rolloutId = rolloutIdOf(in.payload());
            RolloutState s = rolloutId == null ? null : locked.get(rolloutId);
            if (s == null) {
                continue; // not an input of a rollout, or of none here
            }
            List<Outgoing> out = machine.apply(s, in.payload()).messages();
            if (!out.isEmpty()) {
                sent.computeIfAbsent(rolloutId, k -> new ArrayList<>()).addAll(out);
                applied++;
            }
        }
        long madeAt = System.nanoTime();
        List<Outbox.Entry> outgoing = new ArrayList<>();
        sent.forEach((rolloutId, out) ->
                Progress.coalesce(out).forEach(o -> outgoing.add(new Outbox.Entry(o.key(), rolloutId, o.payload()))));
        outbox.appendAll(outgoing);
        sent.keySet().forEach(id -> rollouts.save(locked.get(id)));
        if (LOG.isDebugEnabled()) {
            long written = System.nanoTime();
            LOG.debugf(
                    "batch of %d (%d applied, %d sent): open %d µs, apply %d µs, write %d µs",
                    inputs.size(),
                    applied,
                    outgoing.size(),
                    (openedAt - start) / 1000,
                    (madeAt - openedAt) / 1000,
                    (written - madeAt) / 1000);
        }
        return applied;
    }

    private boolean membership(String application, int ring, RingMembership m) {
        boolean any = false;
        for (String id : rollouts.active(application, ring)) {
            any |= applyTo(id, m);
        }
        return any;
    }

    private boolean applyTo(String rolloutId, Object input) {
        RolloutState s = rollouts.lock(rolloutId).orElse(null);
        if (s == null) {
            LOG.debugf(
                    "no rollout %s here; ignoring %s",
                    rolloutId, input.getClass().getSimpleName());
            return false;
        }
        List<Outgoing> out = machine.apply(s, input).messages();
        if (out.isEmpty()) {
            return false;
        }
        send(rolloutId, out);
        rollouts.save(s);
        return true;
    }

    /** Into the outbox in one statement: a committed step sends one AwaitReady per cluster of the ring. */
    private void send(String rolloutId, List<Outgoing> messages) {
        outbox.appendAll(messages.stream()
                .map(o -> new Outbox.Entry(o.key(), rolloutId, o.payload()))
                .toList());
    }

    private static String rolloutIdOf(Object payload) {
        if (payload instanceof RolloutControl c) {
            return c.rolloutId();
        } else if (payload instanceof VersionCommitted v) {
            return v.rolloutId();
        } else if (payload instanceof CommitFailed f) {
            return f.rolloutId();
        } else if (payload instanceof ClusterReady r) {
            return r.rolloutId();
        } else if (payload instanceof ClusterFailed f) {
            return f.rolloutId();
        } else if (payload instanceof ClusterTimedOut t) {
            return t.rolloutId();
        }
        return null; // a type the orchestrator does not act on
    }
}
