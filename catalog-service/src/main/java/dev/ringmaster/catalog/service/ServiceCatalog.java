package dev.ringmaster.catalog.service;

import dev.ringmaster.catalog.api.ServiceRequest;
import dev.ringmaster.catalog.api.ServiceView;
import dev.ringmaster.catalog.domain.Application;
import dev.ringmaster.catalog.domain.CatalogException;
import dev.ringmaster.catalog.domain.DependencyGraph;
import dev.ringmaster.catalog.domain.Service;
import dev.ringmaster.catalog.domain.Validation;
import dev.ringmaster.events.catalog.RolloutPlanSet;
import dev.ringmaster.events.catalog.ServiceCreated;
import dev.ringmaster.events.catalog.ServiceDeleted;
import dev.ringmaster.events.catalog.ServiceDependenciesChanged;
import dev.ringmaster.outbox.Outbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Services of an application: create, read, replace dependencies, set the rollout plan, delete. The dependency map
 * stays a DAG: a change that would close a cycle is refused with the cycle's path, and nothing is stored.
 */
@ApplicationScoped
public class ServiceCatalog {

    private final Outbox outbox;

    public ServiceCatalog(Outbox outbox) {
        this.outbox = outbox;
    }

    @Transactional
    public ServiceView create(String application, ServiceRequest req) {
        Application app = ApplicationCatalog.lock(application);
        String branch = Objects.requireNonNullElse(req.branch(), Service.DEFAULT_BRANCH);
        String path = Objects.requireNonNullElse(req.path(), Service.DEFAULT_PATH);
        String versionPath = Objects.requireNonNullElse(req.versionPath(), Service.DEFAULT_VERSION_PATH);
        Set<String> deps = dependencySet(req.dependsOn());
        Validation v = new Validation();
        v.name("name", req.name())
                .repoUrl("repoUrl", req.repoUrl())
                .branch("branch", branch)
                .repoPath("path", path)
                .versionPath("versionPath", versionPath)
                .version("currentVersion", req.currentVersion());
        validateNames(v, deps);
        v.throwIfInvalid();

        List<Service> services = Service.listByApplication(app);
        if (services.stream().anyMatch(s -> s.name.equals(req.name()))) {
            throw new CatalogException.Conflict(
                    "service '" + req.name() + "' already exists in application '" + application + "'",
                    Map.of("application", application, "service", req.name()));
        }
        DependencyGraph graph = Views.graph(services).with(req.name(), deps);
        checkGraph(graph);

        Service s = new Service();
        s.application = app;
        s.name = req.name();
        s.repoUrl = req.repoUrl();
        s.branch = branch;
        s.path = path;
        s.versionPath = versionPath;
        s.currentVersion = req.currentVersion();
        s.createdAt = ApplicationCatalog.now();
        s.dependsOn = resolve(services, deps);
        s.persistAndFlush();
        app.serviceCount++;
        outbox.append(
                application,
                application,
                new ServiceCreated(
                        application,
                        s.name,
                        s.repoUrl,
                        s.branch,
                        s.path,
                        s.versionPath,
                        s.currentVersion,
                        s.dependencyNames()));
        return Views.service(s, graph);
    }

    @ReadOnly
    @Transactional
    public ServiceView get(String application, String name) {
        Application app = ApplicationCatalog.find(application);
        List<Service> services = Service.listByApplication(app);
        return Views.service(find(services, application, name), Views.graph(services));
    }

    /** The services of one application, by name. */
    @ReadOnly
    @Transactional
    public List<ServiceView> list(String application) {
        List<Service> services = Service.listByApplication(ApplicationCatalog.find(application));
        DependencyGraph graph = Views.graph(services);
        return services.stream().map(s -> Views.service(s, graph)).toList();
    }

    /** The services of every application, by application, then name. */
    @ReadOnly
    @Transactional
    public List<ServiceView> listAll() {
        Map<Application, List<Service>> byApp = Service.listAll("application.name, name").stream()
                .collect(Collectors.groupingBy(s -> s.application, java.util.LinkedHashMap::new, Collectors.toList()));
        return byApp.values().stream()
                .flatMap(services -> {
                    DependencyGraph graph = Views.graph(services);
                    return services.stream().map(s -> Views.service(s, graph));
                })
                .toList();
    }

    /** Replaces the dependencies of a service. Unchanged dependencies change nothing and send no event. */
    @Transactional
    public ServiceView setDependencies(String application, String name, List<String> dependsOn) {
        Application app = ApplicationCatalog.lock(application);
        Set<String> deps = dependencySet(dependsOn);
        Validation v = new Validation();
        validateNames(v, deps);
        v.throwIfInvalid();
        List<Service> services = Service.listByApplication(app);
        Service s = find(services, application, name);
        DependencyGraph graph = Views.graph(services).with(name, deps);
        checkGraph(graph);
        if (!new TreeSet<>(s.dependencyNames()).equals(deps)) {
            s.dependsOn = resolve(services, deps);
            outbox.append(
                    application, application, new ServiceDependenciesChanged(application, name, s.dependencyNames()));
        }
        return Views.service(s, graph);
    }

    /** Sets (or, with null, clears) the version the next rollouts take the service to. */
    @Transactional
    public ServiceView setPlan(String application, String name, String version) {
        if (version != null) {
            Validation v = new Validation();
            v.version("version", version);
            v.throwIfInvalid();
        }
        Application app = ApplicationCatalog.lock(application);
        List<Service> services = Service.listByApplication(app);
        Service s = find(services, application, name);
        if (!Objects.equals(s.plannedVersion, version)) {
            s.plannedVersion = version;
            outbox.append(application, application, new RolloutPlanSet(application, name, version));
        }
        return Views.service(s, Views.graph(services));
    }

    /** Deletes a service; refused while other services depend on it. */
    @Transactional
    public void delete(String application, String name) {
        Application app = ApplicationCatalog.lock(application);
        List<Service> services = Service.listByApplication(app);
        Service s = find(services, application, name);
        List<String> dependents = Views.graph(services).dependents(name);
        if (!dependents.isEmpty()) {
            throw new CatalogException.Conflict(
                    "service '" + name + "' cannot be deleted: " + String.join(", ", dependents) + " depend"
                            + (dependents.size() == 1 ? "s" : "") + " on it",
                    Map.of("application", application, "service", name, "dependents", dependents));
        }
        s.delete();
        app.serviceCount--;
        outbox.append(application, application, new ServiceDeleted(application, name, s.repoUrl));
    }

    private static Service find(List<Service> services, String application, String name) {
        return services.stream()
                .filter(s -> s.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new CatalogException.NotFound("service", application + "/" + name));
    }

    private static Set<String> dependencySet(List<String> dependsOn) {
        return dependsOn == null
                ? Set.of()
                : new TreeSet<>(dependsOn.stream().map(d -> d == null ? "" : d).toList());
    }

    private static void validateNames(Validation v, Set<String> deps) {
        deps.forEach(d -> v.name("dependsOn[" + d + "]", d));
    }

    /** Refuses unknown dependencies and cycles, each with what a person needs to fix it. */
    private static void checkGraph(DependencyGraph graph) {
        Map<String, Set<String>> unknown = graph.unknownDependencies();
        if (!unknown.isEmpty()) {
            Set<String> missing =
                    unknown.values().stream().flatMap(Set::stream).collect(Collectors.toCollection(TreeSet::new));
            throw new CatalogException.Invalid(
                    "unknown dependencies: " + String.join(", ", missing) + " (no such service in the application)",
                    Map.of("unknownServices", List.copyOf(missing)));
        }
        graph.findCycle().ifPresent(cycle -> {
            throw new CatalogException.Invalid(
                    "dependency cycle: " + String.join(" -> ", cycle), Map.of("cycle", cycle));
        });
    }

    private static Set<Service> resolve(List<Service> services, Set<String> names) {
        Map<String, Service> byName = services.stream().collect(Collectors.toMap(s -> s.name, Function.identity()));
        Set<Service> resolved = new HashSet<>();
        names.forEach(n -> resolved.add(byName.get(n)));
        return resolved;
    }
}
