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

    public RolloutService(RolloutRepository rollouts, Outbox outbox) {
        this.rollouts = rollouts;
        this.outbox = outbox;
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
     * Applies a batch of rollout inputs (fleet's answers) in one transaction: their ids are recorded and each rollout
     * the fresh ones concern is locked once (in id order, so that two batches cannot deadlock) in one statement, the
     * inputs are applied in their order, and each changed rollout is stored once (one statement each). The effect is
     * that of applying them one by one,
     * except that the clusters found ready are reported in one {@code ClustersReady} per rollout and service
     * ({@link Progress#coalesce}); the cost is one read and one write of each rollout's state per batch, not per
     * input.
     *
     * @return how many inputs changed a rollout
     */
    @Transactional
    public int applyAll(List<Input> inputs) {
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
