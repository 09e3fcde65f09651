package dev.ringmaster.catalog.messaging;

import dev.ringmaster.catalog.domain.RingVersion;
import dev.ringmaster.catalog.domain.Rollout;
import dev.ringmaster.catalog.domain.RolloutEvent;
import dev.ringmaster.catalog.domain.Service;
import dev.ringmaster.catalog.service.RolloutViews;
import dev.ringmaster.events.CloudEvent;
import dev.ringmaster.events.EventCodec;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Projects rollout.events into the catalog: the timeline, the rollout's phase and reason, and, when a rollout
 * succeeds, the version matrix (the ring's versions of its services). Idempotent: an event id already stored changes
 * nothing.
 */
@ApplicationScoped
public class RolloutProjection {

    private static final Map<String, String> PHASES = Map.of(
            "started", "RUNNING",
            "paused", "PAUSED",
            "resumed", "RUNNING",
            "succeeded", "SUCCEEDED",
            "failed", "FAILED",
            "errored", "ERRORED",
            "aborted", "ABORTED");
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "errored", "aborted");

    private final EventCodec codec;
    private final EntityManager em;

    public RolloutProjection(EventCodec codec, EntityManager em) {
        this.codec = codec;
        this.em = em;
    }

    /** What one applied event means for subscribers. */
    public record Applied(String rolloutId, RolloutEvent event, boolean terminal) {}

    /** One event as it came: decoded, and its JSON (stored as it came). */
    public record Received(CloudEvent event, String json) {}

    /** Applies one event; empty when it was applied before or concerns no rollout of this catalog. */
    @Transactional
    public Optional<Applied> apply(CloudEvent event, String json) {
        return applyAll(List.of(new Received(event, json))).stream().findFirst();
    }

    /**
     * Applies a batch of events in one transaction, in order: the ids already stored are found in one query, each
     * rollout concerned is locked once (in id order, so two batches cannot deadlock) and written once. At 10,000
     * clusters a rollout sends ~10 events per cluster and service; one transaction per event made the catalog's view
     * minutes late.
     *
     * @return the events newly applied, in order
     */
    @Transactional
    public List<Applied> applyAll(List<Received> batch) {
        Set<String> ids = new LinkedHashSet<>();
        batch.forEach(b -> ids.add(b.event().id()));
        Set<String> seen =
                new HashSet<>(em.createQuery("select e.eventId from RolloutEvent e where e.eventId in ?1", String.class)
                        .setParameter(1, ids)
                        .getResultList());
        Map<String, Rollout> rollouts = new HashMap<>();
        batch.stream()
                .map(b -> b.event().data().path("rolloutId").asText(null))
                .filter(Objects::nonNull)
                .sorted()
                .distinct()
                .forEach(id -> rollouts.put(id, em.find(Rollout.class, id, LockModeType.PESSIMISTIC_WRITE)));
        List<Applied> applied = new ArrayList<>();
        for (Received b : batch) {
            String rolloutId = b.event().data().path("rolloutId").asText(null);
            Rollout r = rolloutId == null ? null : rollouts.get(rolloutId);
            if (r != null && seen.add(b.event().id())) {
                applied.add(applyTo(r, b.event(), b.json()));
            }
        }
        em.flush();
        return applied;
    }

    private Applied applyTo(Rollout r, CloudEvent event, String json) {
        RolloutEvent e = new RolloutEvent();
        e.rolloutId = r.id;
        e.eventId = event.id();
        e.type = event.type();
        e.time = event.time() == null ? OffsetDateTime.now(ZoneOffset.UTC) : event.time();
        e.payload = json;
        e.persist();
        String type = RolloutViews.shortType(event.type());
        String phase = PHASES.get(type);
        if (phase != null && !r.isTerminal()) {
            r.phase = phase;
            r.reason = event.data().hasNonNull("reason")
                    ? event.data().get("reason").asText()
                    : null;
        }
        r.updatedAt = OffsetDateTime.now(ZoneOffset.UTC);
        if (type.equals("succeeded")) {
            RolloutSucceeded s = codec.payload(event, RolloutSucceeded.class);
            s.versions()
                    .forEach((service, version) -> Service.find(r.application, service)
                            .ifPresent(svc -> {
                                RingVersion rv = RingVersion.findById(new RingVersion.Key(svc.id, r.ring));
                                if (rv == null) {
                                    rv = new RingVersion();
                                    rv.id = new RingVersion.Key(svc.id, r.ring);
                                    rv.version = version;
                                    rv.rolloutId = r.id;
                                    rv.updatedAt = r.updatedAt;
                                    rv.persist();
                                } else {
                                    rv.version = version;
                                    rv.rolloutId = r.id;
                                    rv.updatedAt = r.updatedAt;
                                }
                            }));
        }
        return new Applied(r.id, e, TERMINAL.contains(type));
    }
}
