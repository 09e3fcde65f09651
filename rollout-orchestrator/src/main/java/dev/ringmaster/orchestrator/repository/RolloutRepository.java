package dev.ringmaster.orchestrator.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.orchestrator.domain.RolloutPhase;
import dev.ringmaster.orchestrator.domain.RolloutState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Loads and stores rollouts, and remembers which events were applied. Call inside a transaction. */
@ApplicationScoped
public class RolloutRepository {

    private static final List<String> TERMINAL = List.of(
            RolloutPhase.SUCCEEDED.name(),
            RolloutPhase.FAILED.name(),
            RolloutPhase.ERRORED.name(),
            RolloutPhase.ABORTED.name());

    private final EntityManager em;
    private final ObjectMapper json;

    public RolloutRepository(EntityManager em, EventCodec codec) {
        this.em = em;
        this.json = codec.mapper();
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
        StringBuilder sql = new StringBuilder("INSERT INTO processed_event (event_id, processed_at) VALUES ");
        int i = 1;
        for (String ignored : ids) {
            sql.append(i > 1 ? ", " : "").append("(?").append(i++).append(", now())");
        }
        sql.append(" ON CONFLICT DO NOTHING RETURNING event_id");
        var query = em.createNativeQuery(sql.toString());
        i = 1;
        for (String id : ids) {
            query.setParameter(i++, id);
        }
        return new HashSet<>((List<String>) query.getResultList());
    }

    /** The rollout, locked until the transaction ends (inputs of one rollout apply one at a time). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<RolloutState> lock(String id) {
        RolloutRow row = em.find(RolloutRow.class, id, LockModeType.PESSIMISTIC_WRITE);
        return Optional.ofNullable(row).map(r -> read(r.state));
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean exists(String id) {
        return em.find(RolloutRow.class, id) != null;
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

    @Transactional(Transactional.TxType.MANDATORY)
    public void save(RolloutState s) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        RolloutRow row = em.find(RolloutRow.class, s.rolloutId);
        boolean created = row == null;
        if (created) {
            row = new RolloutRow();
            row.id = s.rolloutId;
            row.application = s.application;
            row.ring = s.ring;
            row.createdAt = now;
        }
        row.phase = s.phase.name();
        row.state = write(s);
        row.updatedAt = now;
        if (created) {
            em.persist(row);
        }
    }

    private RolloutState read(String text) {
        try {
            return json.readValue(text, RolloutState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored rollout state is unreadable: " + e.getOriginalMessage(), e);
        }
    }

    private String write(RolloutState s) {
        try {
            return json.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store rollout " + s.rolloutId + ": " + e.getOriginalMessage(), e);
        }
    }
}
