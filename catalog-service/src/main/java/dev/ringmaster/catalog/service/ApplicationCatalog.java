package dev.ringmaster.catalog.service;

import dev.ringmaster.catalog.api.ApplicationRequest;
import dev.ringmaster.catalog.api.ApplicationSummary;
import dev.ringmaster.catalog.api.ApplicationView;
import dev.ringmaster.catalog.api.DependencyMapView;
import dev.ringmaster.catalog.domain.Application;
import dev.ringmaster.catalog.domain.CatalogException;
import dev.ringmaster.catalog.domain.Cluster;
import dev.ringmaster.catalog.domain.DependencyGraph;
import dev.ringmaster.catalog.domain.Service;
import dev.ringmaster.catalog.domain.Validation;
import dev.ringmaster.events.catalog.ApplicationCreated;
import dev.ringmaster.events.catalog.ApplicationDeleted;
import dev.ringmaster.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Applications: create, read, delete. Every change commits together with its event in the outbox. */
@ApplicationScoped
public class ApplicationCatalog {

    private final Outbox outbox;

    public ApplicationCatalog(Outbox outbox) {
        this.outbox = outbox;
    }

    @Transactional
    public ApplicationView create(ApplicationRequest req) {
        Validation v = new Validation();
        v.name("name", req.name())
                .text("description", req.description(), 1024)
                .labelKey("ringLabel", Objects.requireNonNullElse(req.ringLabel(), Application.DEFAULT_RING_LABEL))
                .customizationPattern(
                        "customizationPattern",
                        Objects.requireNonNullElse(
                                req.customizationPattern(), Application.DEFAULT_CUSTOMIZATION_PATTERN));
        v.throwIfInvalid();
        if (Application.findByName(req.name()).isPresent()) {
            throw new CatalogException.Conflict(
                    "application '" + req.name() + "' already exists", Map.of("application", req.name()));
        }
        Application app = new Application();
        app.name = req.name();
        app.description = Objects.requireNonNullElse(req.description(), "");
        app.ringLabel = Objects.requireNonNullElse(req.ringLabel(), Application.DEFAULT_RING_LABEL);
        app.customizationPattern =
                Objects.requireNonNullElse(req.customizationPattern(), Application.DEFAULT_CUSTOMIZATION_PATTERN);
        app.createdAt = now();
        app.persistAndFlush();
        outbox.append(
                app.name,
                app.name,
                new ApplicationCreated(app.name, app.description, app.ringLabel, app.customizationPattern));
        return view(app);
    }

    @ReadOnly
    @Transactional
    public List<ApplicationSummary> list() {
        // the counts are the application row's own: no count over every cluster of every application per request
        return Application.listByName().stream()
                .map(a -> new ApplicationSummary(a.name, a.description, a.serviceCount, a.clusterCount, a.createdAt))
                .toList();
    }

    @ReadOnly
    @Transactional
    public ApplicationView get(String name) {
        return view(find(name));
    }

    @ReadOnly
    @Transactional
    public DependencyMapView dependencyMap(String name) {
        return Views.map(Views.graph(Service.listByApplication(find(name))));
    }

    /** Deletes an application with its services and clusters. */
    @Transactional
    public void delete(String name) {
        Application app = lock(name);
        dev.ringmaster.catalog.domain.Rollout.active(app).ifPresent(r -> {
            throw new CatalogException.Conflict(
                    "application '" + name + "' cannot be deleted while rollout " + r.id + " is " + r.phase,
                    Map.of("rollout", r.id, "phase", r.phase));
        });
        List<String> services =
                Service.listByApplication(app).stream().map(s -> s.name).toList();
        var clusters =
                Cluster.listByApplication(app, null).stream().map(Views::ref).toList();
        // The schema cascades to services, their dependencies and clusters.
        Application.delete("id", app.id);
        outbox.append(app.name, app.name, new ApplicationDeleted(app.name, services, clusters));
    }

    /** The application, or 404. */
    static Application find(String name) {
        return Application.findByName(name).orElseThrow(() -> new CatalogException.NotFound("application", name));
    }

    /** The application locked for this transaction, or 404. */
    static Application lock(String name) {
        return Application.lockByName(name).orElseThrow(() -> new CatalogException.NotFound("application", name));
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }

    private ApplicationView view(Application app) {
        List<Service> services = Service.listByApplication(app);
        DependencyGraph graph = Views.graph(services);
        return new ApplicationView(
                app.name,
                app.description,
                app.ringLabel,
                app.customizationPattern,
                app.createdAt,
                services.stream().map(s -> Views.service(s, graph)).toList(),
                Cluster.listByApplication(app, null).stream()
                        .map(Views::cluster)
                        .toList(),
                Views.map(graph));
    }
}
