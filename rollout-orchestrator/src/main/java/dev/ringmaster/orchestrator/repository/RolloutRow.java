package dev.ringmaster.orchestrator.repository;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A rollout as stored: its keys and phase as columns, the state machine's state as JSON. */
@Entity
@Table(name = "rollout")
public class RolloutRow extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String application;

    @Column(nullable = false)
    public int ring;

    @Column(nullable = false)
    public String phase;

    @Column(nullable = false)
    public String state;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** Incremented by each write of the state (see {@link RolloutRepository#lock}). */
    @Column(nullable = false)
    public long version;
}
