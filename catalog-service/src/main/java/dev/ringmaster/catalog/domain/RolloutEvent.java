package dev.ringmaster.catalog.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;

/** One event of a rollout's timeline, as received from rollout.events. */
@Entity
@Table(name = "rollout_event")
public class RolloutEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "rollout_id", nullable = false)
    public String rolloutId;

    @Column(name = "event_id", nullable = false, unique = true)
    public String eventId;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public OffsetDateTime time;

    /** The structured-mode CloudEvent JSON. */
    @Column(nullable = false)
    public String payload;

    public static List<RolloutEvent> timeline(String rolloutId) {
        return list("rolloutId = ?1 order by seq", rolloutId);
    }
}
