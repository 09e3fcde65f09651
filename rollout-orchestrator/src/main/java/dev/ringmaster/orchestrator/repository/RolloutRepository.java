package dev.ringmaster.orchestrator.repository;

import dev.ringmaster.events.EventCodec;
import dev.ringmaster.orchestrator.domain.RolloutPhase;
import dev.ringmaster.orchestrator.domain.RolloutState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Loads and stores rollouts, and remembers which events were applied. Call inside a transaction. */
@ApplicationScoped
public class RolloutRepository {

    private static final List<String> TERMINAL = List.of(
            RolloutPhase.SUCCEEDED.name(),
            RolloutPhase.FAILED.name(),
            RolloutPhase.ERRORED.name(),
            RolloutPhase.ABORTED.name());

    /** Rollouts whose committed state this instance holds; more at once than this empties the cache. */
    static final int MAX_CACHED = 64;

    private final EntityManager em;
    private final StoredState format;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<String, Cached> committed = new ConcurrentHashMap<>();

    /** A state as committed at {@code version}, with its parts as written. */
    private record Cached(long version, RolloutState state, StoredState.Parts parts) {}

    public RolloutRepository(EntityManager em, EventCodec codec, TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.format = new StoredState(codec.mapper());
        this.transactions = transactions;
    }

    /**
     * Records that event {@code id} is being applied; false when it was applied before (a redelivery). In the
     * transaction of its effect, so an effect and its record commit or roll back together.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markProcessed(String id) {
        int inserted = em.createNativeQuery(
                        "INSERT INTO processed_event (event_id, processed_at) VALUES (?1, now()) ON CONFLICT DO NOTHING")
                .setParameter(1, id)
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * Records that the events {@code ids} are being applied, in one statement; returns those not applied before. In
     * the transaction of their effects, as {@link #markProcessed(String)}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Set<String> markAllProcessed(Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        // one statement with one array, whatever the batch's size
        var query = em.createNativeQuery("INSERT INTO processed_event (event_id, processed_at)"
                        + " SELECT unnest(cast(?1 as text[])), now() ON CONFLICT DO NOTHING RETURNING event_id")
                .setParameter(1, ids.toArray(String[]::new));
        return new HashSet<>((List<String>) query.getResultList());
    }

    /**
     * The rollout, locked until the transaction ends (inputs of one rollout apply one at a time).
     *
     * <p>Its state is the one this instance last committed when the row's version still matches (nobody else wrote it
     * since); otherwise it is read and parsed. At 10,000 clusters × 10 services the document is ~4 MB and a batch of
     * answers would otherwise parse it each time. The cached state is handed to this transaction and taken out of the
     * cache, so a transaction that rolls back after changing it leaves nothing behind; {@link #save} puts it back once
     * its transaction commits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<RolloutState> lock(String id) {
        List<?> version = em.createNativeQuery("SELECT version FROM rollout WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id)
                .getResultList();
        Cached cached = committed.remove(id);
        if (version.isEmpty()) {
            return Optional.empty();
        }
        if (cached != null && cached.version() == ((Number) version.get(0)).longValue()) {
            remember(id, cached.parts());
            return Optional.of(cached.state());
        }
        String head = (String) em.createNativeQuery("SELECT state FROM rollout WHERE id = ?1")
                .setParameter(1, id)
                .getSingleResult();
        Map<String, String> parts = new HashMap<>();
        for (Object row : em.createNativeQuery("SELECT name, body FROM rollout_part WHERE rollout_id = ?1")
                .setParameter(1, id)
                .getResultList()) {
            Object[] r = (Object[]) row;
            parts.put((String) r[0], (String) r[1]);
        }
        RolloutState state = format.read(head, parts);
        remember(id, StoredState.Parts.of(state, parts));
        return Optional.of(state);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean exists(String id) {
        return !em.createNativeQuery("SELECT 1 FROM rollout WHERE id = ?1")
                .setParameter(1, id)
                .getResultList()
                .isEmpty();
    }

    /** The ids of the rollouts of an application and ring that are not over. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<String> active(String application, int ring) {
        return em.createQuery(
                        "select r.id from RolloutRow r where r.application = ?1 and r.ring = ?2 and r.phase not in ?3",
                        String.class)
                .setParameter(1, application)
                .setParameter(2, ring)
                .setParameter(3, TERMINAL)
                .getResultList();
    }

    /**
     * Writes the state as a new version: its head, and those of its parts that differ from what is stored (see {@link
     * StoredState}). Once the transaction commits, this instance may reuse the state (see {@link #lock}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void save(RolloutState s) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        String text = format.head(s);
        List<Number> written = em.createNativeQuery(
                        "UPDATE rollout SET phase = ?1, state = ?2, updated_at = ?3, version = version + 1"
                                + " WHERE id = ?4 RETURNING version")
                .setParameter(1, s.phase.name())
                .setParameter(2, text)
                .setParameter(3, now)
                .setParameter(4, s.rolloutId)
                .getResultList();
        if (written.isEmpty()) {
            written = em.createNativeQuery(
                            "INSERT INTO rollout (id, application, ring, phase, state, created_at, updated_at, version)"
                                    + " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, 0) RETURNING version")
                    .setParameter(1, s.rolloutId)
                    .setParameter(2, s.application)
                    .setParameter(3, s.ring)
                    .setParameter(4, s.phase.name())
                    .setParameter(5, text)
                    .setParameter(6, now)
                    .getResultList();
        }
        long version = written.get(0).longValue();
        StoredState.Parts before = Objects.requireNonNullElse(
                (StoredState.Parts) transactions.getResource(partsKey(s.rolloutId)), StoredState.Parts.NONE);
        StoredState.Parts parts = format.parts(s, before);
        parts.json().forEach((name, body) -> {
            // the same String when the part was not written out again: equals() is then a reference check
            if (!body.equals(before.json().get(name))) {
                em.createNativeQuery("INSERT INTO rollout_part (rollout_id, name, body) VALUES (?1, ?2, ?3)"
                                + " ON CONFLICT (rollout_id, name) DO UPDATE SET body = EXCLUDED.body")
                        .setParameter(1, s.rolloutId)
                        .setParameter(2, name)
                        .setParameter(3, body)
                        .executeUpdate();
            }
        });
        remember(s.rolloutId, parts); // a second save in this transaction compares with what this one wrote
        if (!s.phase.isTerminal()) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {}

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        keep(s.rolloutId, new Cached(version, s, parts));
                    }
                }
            });
        }
    }

    /**
     * The parts of a rollout as they are stored, for this transaction only (the row lock makes it the one
     * transaction working on the rollout): {@link #save} writes those that differ.
     */
    private void remember(String rolloutId, StoredState.Parts parts) {
        transactions.putResource(partsKey(rolloutId), parts);
    }

    private static String partsKey(String rolloutId) {
        return RolloutRepository.class.getName() + "/parts/" + rolloutId;
    }

    private void keep(String id, Cached c) {
        if (committed.size() >= MAX_CACHED && !committed.containsKey(id)) {
            committed.clear(); // a handful of rollouts run at once; this only bounds a pathological case
        }
        committed.merge(id, c, (old, now) -> now.version() >= old.version() ? now : old);
    }
}
