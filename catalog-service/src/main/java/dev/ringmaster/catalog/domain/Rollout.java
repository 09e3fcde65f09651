package dev.ringmaster.catalog.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;

/** A rollout as the catalog knows it: the request and its snapshot, and the phase projected from rollout.events. */
@Entity
@Table(name = "rollout")
public class Rollout extends PanacheEntityBase {

    /** Phases after which nothing changes. */
    public static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "ERRORED", "ABORTED");

    @Id
    public String id;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "application_id")
    public Application application;

    @Column(nullable = false)
    public int ring;

    /** PENDING until the orchestrator starts it; then as rollout.events say. */
    @Column(nullable = false)
    public String phase;

    public String reason;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false)
    public OffsetDateTime requestedAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** The RolloutRequested payload, as JSON. */
    @Column(nullable = false)
    public String request;

    public boolean isTerminal() {
        return TERMINAL.contains(phase);
    }

    /** The rollout of an application and ring that is not over, if any. */
    public static java.util.Optional<Rollout> active(Application app, int ring) {
        return find("application = ?1 and ring = ?2 and phase not in ?3", app, ring, List.copyOf(TERMINAL))
                .firstResultOptional();
    }

    /** A rollout of the application, on any ring, that is not over. */
    public static java.util.Optional<Rollout> active(Application app) {
        return find("application = ?1 and phase not in ?2", app, List.copyOf(TERMINAL))
                .firstResultOptional();
    }
}
