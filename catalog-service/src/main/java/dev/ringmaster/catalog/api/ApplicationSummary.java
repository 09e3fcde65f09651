package dev.ringmaster.catalog.api;

import java.time.OffsetDateTime;

/** One row of the application list. */
public record ApplicationSummary(
        String name, String description, long services, long clusters, OffsetDateTime createdAt) {}
