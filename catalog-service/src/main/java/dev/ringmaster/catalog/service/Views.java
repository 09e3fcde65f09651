package dev.ringmaster.catalog.service;

import dev.ringmaster.catalog.api.ClusterView;
import dev.ringmaster.catalog.api.DependencyMapView;
import dev.ringmaster.catalog.api.ServiceView;
import dev.ringmaster.catalog.domain.Cluster;
import dev.ringmaster.catalog.domain.DependencyGraph;
import dev.ringmaster.catalog.domain.Service;
import dev.ringmaster.events.catalog.ClusterRef;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Maps entities to API types, inside the transaction that loaded them. */
final class Views {

    static ServiceView service(Service s, DependencyGraph graph) {
        return new ServiceView(
                s.application.name,
                s.name,
                s.repoUrl,
                s.branch,
                s.path,
                s.versionPath,
                s.currentVersion,
                s.plannedVersion,
                s.dependencyNames(),
                graph.dependents(s.name),
                s.createdAt);
    }

    static ClusterView cluster(Cluster c) {
        return new ClusterView(c.application.name, c.name, c.ring, c.fleetNamespace, c.fleetName, c.createdAt);
    }

    static ClusterRef ref(Cluster c) {
        return new ClusterRef(c.name, c.ring, c.fleetNamespace, c.fleetName);
    }

    static DependencyGraph graph(Collection<Service> services) {
        return new DependencyGraph(services.stream().collect(Collectors.toMap(s -> s.name, Service::dependencyNames)));
    }

    static DependencyMapView map(DependencyGraph graph) {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        graph.dependencies().forEach((s, d) -> deps.put(s, List.copyOf(d)));
        return new DependencyMapView(graph.layers(), deps);
    }

    private Views() {}
}
