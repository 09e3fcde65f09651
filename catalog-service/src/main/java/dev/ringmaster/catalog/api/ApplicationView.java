package dev.ringmaster.catalog.api;

import java.time.OffsetDateTime;
import java.util.List;

/** An application with its services, clusters and dependency map. */
public record ApplicationView(
        String name,
        String description,
        String ringLabel,
        String customizationPattern,
        OffsetDateTime createdAt,
        List<ServiceView> services,
        List<ClusterView> clusters,
        DependencyMapView dependencyMap) {}
