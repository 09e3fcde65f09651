package dev.ringmaster.catalog.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A service: one Git repository (branch, folder of its fleet.yaml), its versions and its dependencies. */
@Entity
@Table(name = "service")
public class Service extends PanacheEntityBase {

    public static final String DEFAULT_BRANCH = "main";
    public static final String DEFAULT_PATH = ".";
    public static final String DEFAULT_VERSION_PATH = "helm.values.image.tag";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(optional = false, fetch = FetchType.LAZY)
    @JoinColumn(name = "application_id")
    public Application application;

    @Column(nullable = false)
    public String name;

    @Column(name = "repo_url", nullable = false)
    public String repoUrl;

    @Column(nullable = false)
    public String branch;

    /** The folder of the service's fleet.yaml inside the repository; "." for the root. */
    @Column(nullable = false)
    public String path;

    /** Where the version lives in fleet.yaml, dotted. */
    @Column(name = "version_path", nullable = false)
    public String versionPath;

    /** The version the service runs (before the next rollout). */
    @Column(name = "current_version", nullable = false)
    public String currentVersion;

    /** The version the next rollout takes it to; null when there is no plan. */
    @Column(name = "planned_version")
    public String plannedVersion;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(
            name = "service_dependency",
            joinColumns = @JoinColumn(name = "service_id"),
            inverseJoinColumns = @JoinColumn(name = "depends_on_id"))
    public Set<Service> dependsOn = new HashSet<>();

    public static List<Service> listByApplication(Application app) {
        // one query for the services and their dependencies (which are services of the same application)
        return list("from Service s left join fetch s.dependsOn where s.application = ?1 order by s.name", app);
    }

    public static List<Service> listAll(String orderedBy) {
        return list("order by " + orderedBy);
    }

    public static Optional<Service> find(Application app, String name) {
        return find("application = ?1 and name = ?2", app, name).firstResultOptional();
    }

    /** The names of the services this one depends on, sorted. */
    public List<String> dependencyNames() {
        return dependsOn.stream().map(s -> s.name).sorted().toList();
    }
}
