package dev.ringmaster.catalog.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** A Kubernetes cluster registered in one application, on one ring; mirrors a Fleet Cluster object. */
@Entity
@Table(name = "cluster")
public class Cluster extends PanacheEntityBase {

    public static final String DEFAULT_FLEET_NAMESPACE = "fleet-default";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "application_id")
    public Application application;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public int ring;

    /** Namespace of the Fleet Cluster object (the Fleet workspace). */
    @Column(name = "fleet_namespace", nullable = false)
    public String fleetNamespace;

    /** Name of the Fleet Cluster object. */
    @Column(name = "fleet_name", nullable = false)
    public String fleetName;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public static Optional<Cluster> find(Application app, String name) {
        return find("application = ?1 and name = ?2", app, name).firstResultOptional();
    }

    /** Clusters of an application, optionally on one ring, by name. */
    public static List<Cluster> listByApplication(Application app, Integer ring) {
        return ring == null
                ? list("application = ?1 order by name", app)
                : list("application = ?1 and ring = ?2 order by name", app, ring);
    }

    /** Clusters of every application, optionally on one ring, by application then name. */
    public static List<Cluster> listAll(Integer ring) {
        return ring == null
                ? list("order by application.name, name")
                : list("ring = ?1 order by application.name, name", ring);
    }
}
