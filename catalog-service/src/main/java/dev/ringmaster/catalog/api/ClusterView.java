package dev.ringmaster.catalog.api;

import java.time.OffsetDateTime;

/** A cluster as the API shows it. */
public record ClusterView(
        String application, String name, int ring, String fleetNamespace, String fleetName, OffsetDateTime createdAt) {}
