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
import java.util.Map;
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

    /** Applies one event; empty when it was applied before or concerns no rollout of this catalog. */
    @Transactional
    public Optional<Applied> apply(CloudEvent event, String json) {
        if (RolloutEvent.count("eventId", event.id()) > 0) {
            return Optional.empty();
        }
        String rolloutId = event.data().path("rolloutId").asText(null);
        Rollout r = rolloutId == null ? null : em.find(Rollout.class, rolloutId, LockModeType.PESSIMISTIC_WRITE);
        if (r == null) {
            return Optional.empty();
        }
        RolloutEvent e = new RolloutEvent();
        e.rolloutId = rolloutId;
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
        em.flush();
        return Optional.of(new Applied(rolloutId, e, TERMINAL.contains(type)));
    }
}
