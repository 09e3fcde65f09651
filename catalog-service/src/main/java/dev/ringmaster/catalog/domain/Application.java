package dev.ringmaster.catalog.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** An application: owns its services, clusters and rollouts. */
@Entity
@Table(name = "application")
public class Application extends PanacheEntityBase {

    public static final String DEFAULT_RING_LABEL = "ring";
    public static final String DEFAULT_CUSTOMIZATION_PATTERN = "ring-{n}";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String name;

    @Column(nullable = false)
    public String description;

    /** The Fleet Cluster label that carries the ring number. */
    @Column(name = "ring_label", nullable = false)
    public String ringLabel;

    /** The name of a ring's targetCustomization in fleet.yaml, {n} standing for the ring. */
    @Column(name = "customization_pattern", nullable = false)
    public String customizationPattern;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    /** How many services it has: changed with them, under {@link #lockByName}'s lock. */
    @Column(name = "service_count", nullable = false)
    public int serviceCount;

    /** How many clusters it has: changed with them, under {@link #lockByName}'s lock. */
    @Column(name = "cluster_count", nullable = false)
    public int clusterCount;

    public static Optional<Application> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    /**
     * The application, locked until the transaction ends. Every change to an application's services or clusters
     * takes this lock first, so that two concurrent changes cannot together create a cycle, and the events of one
     * application enter the outbox in the order their transactions commit.
     */
    public static Optional<Application> lockByName(String name) {
        return find("name", name).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public static List<Application> listByName() {
        return list("order by name");
    }
}
