package dev.ringmaster.catalog.service;

import dev.ringmaster.catalog.api.ClusterRequest;
import dev.ringmaster.catalog.api.ClusterView;
import dev.ringmaster.catalog.domain.Application;
import dev.ringmaster.catalog.domain.CatalogException;
import dev.ringmaster.catalog.domain.Cluster;
import dev.ringmaster.catalog.domain.Validation;
import dev.ringmaster.events.catalog.ClusterRegistered;
import dev.ringmaster.events.catalog.ClusterRemoved;
import dev.ringmaster.events.catalog.ClusterRingChanged;
import dev.ringmaster.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Clusters of an application: register, read, list by ring, siblings, change ring, remove. */
@ApplicationScoped
public class ClusterCatalog {

    private final Outbox outbox;

    public ClusterCatalog(Outbox outbox) {
        this.outbox = outbox;
    }

    @Transactional
    public ClusterView register(String application, ClusterRequest req) {
        Application app = ApplicationCatalog.lock(application);
        String fleetNamespace = Objects.requireNonNullElse(req.fleetNamespace(), Cluster.DEFAULT_FLEET_NAMESPACE);
        String fleetName = Objects.requireNonNullElse(req.fleetName(), req.name());
        Validation v = new Validation();
        v.name("name", req.name())
                .ring("ring", req.ring())
                .name("fleetNamespace", fleetNamespace)
                .objectName("fleetName", fleetName);
        v.throwIfInvalid();
        if (Cluster.find(app, req.name()).isPresent()) {
            throw new CatalogException.Conflict(
                    "cluster '" + req.name() + "' already exists in application '" + application + "'",
                    Map.of("application", application, "cluster", req.name()));
        }
        Cluster c = new Cluster();
        c.application = app;
        c.name = req.name();
        c.ring = req.ring();
        c.fleetNamespace = fleetNamespace;
        c.fleetName = fleetName;
        c.createdAt = ApplicationCatalog.now();
        c.persistAndFlush();
        app.clusterCount++;
        outbox.append(application, application, new ClusterRegistered(application, Views.ref(c), app.ringLabel));
        return Views.cluster(c);
    }

    @ReadOnly
    @Transactional
    public ClusterView get(String application, String name) {
        return Views.cluster(find(ApplicationCatalog.find(application), name));
    }

    /** The clusters of one application, optionally on one ring. */
    @ReadOnly
    @Transactional
    public List<ClusterView> list(String application, Integer ring) {
        checkRingFilter(ring);
        return views(ApplicationCatalog.find(application), ring);
    }

    /** The clusters of every application, optionally on one ring. */
    @ReadOnly
    @Transactional
    public List<ClusterView> listAll(Integer ring) {
        checkRingFilter(ring);
        return Cluster.listAll(ring).stream().map(Views::cluster).toList();
    }

    /** The other clusters of the same application on the same ring. */
    @ReadOnly
    @Transactional
    public List<ClusterView> siblings(String application, String name) {
        Application app = ApplicationCatalog.find(application);
        Cluster c = find(app, name);
        return views(app, c.ring).stream().filter(o -> !o.name().equals(name)).toList();
    }

    /**
     * The views of an application's clusters (optionally of one ring) by name, read as rows rather than entities: a
     * list of a thousand clusters is a read path, and entities would cost their bookkeeping for nothing.
     */
    private static List<ClusterView> views(Application app, Integer ring) {
        TypedQuery<ClusterView> q = Cluster.getEntityManager()
                .createQuery(
                        "select new dev.ringmaster.catalog.api.ClusterView("
                                + "a.name, c.name, c.ring, c.fleetNamespace, c.fleetName, c.createdAt)"
                                + " from Cluster c join c.application a where a = :app"
                                + (ring == null ? "" : " and c.ring = :ring")
                                + " order by c.name",
                        ClusterView.class)
                .setParameter("app", app);
        return (ring == null ? q : q.setParameter("ring", ring)).getResultList();
    }

    /** Moves a cluster to another ring; moving it to the ring it is on changes nothing and sends no event. */
    @Transactional
    public ClusterView setRing(String application, String name, Integer ring) {
        Validation v = new Validation();
        v.ring("ring", ring);
        v.throwIfInvalid();
        Application app = ApplicationCatalog.lock(application);
        Cluster c = find(app, name);
        if (c.ring != ring) {
            int previous = c.ring;
            c.ring = ring;
            outbox.append(
                    application,
                    application,
                    new ClusterRingChanged(application, Views.ref(c), previous, app.ringLabel));
        }
        return Views.cluster(c);
    }

    @Transactional
    public void remove(String application, String name) {
        Application app = ApplicationCatalog.lock(application);
        Cluster c = find(app, name);
        c.delete();
        app.clusterCount--;
        outbox.append(application, application, new ClusterRemoved(application, Views.ref(c)));
    }

    private static Cluster find(Application app, String name) {
        return Cluster.find(app, name)
                .orElseThrow(() -> new CatalogException.NotFound("cluster", app.name + "/" + name));
    }

    private static void checkRingFilter(Integer ring) {
        if (ring != null) {
            Validation v = new Validation();
            v.ring("ring", ring);
            v.throwIfInvalid();
        }
    }
}
