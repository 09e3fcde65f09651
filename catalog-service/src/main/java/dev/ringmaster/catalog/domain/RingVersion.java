package dev.ringmaster.catalog.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.List;

/** The version one ring runs of one service, since the rollout that put it there succeeded. */
@Entity
@Table(name = "ring_version")
public class RingVersion extends PanacheEntityBase {

    @Embeddable
    public record Key(
            @Column(name = "service_id") Long serviceId,
            @Column(name = "ring") Integer ring) implements Serializable {}

    @EmbeddedId
    public Key id;

    @Column(nullable = false)
    public String version;

    @Column(name = "rollout_id", nullable = false)
    public String rolloutId;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public static List<RingVersion> ofServices(List<Long> serviceIds) {
        return serviceIds.isEmpty() ? List.of() : list("id.serviceId in ?1", serviceIds);
    }
}
