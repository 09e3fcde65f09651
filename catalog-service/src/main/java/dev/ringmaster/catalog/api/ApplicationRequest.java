package dev.ringmaster.catalog.api;

/**
 * Body of {@code POST /api/v1/applications}.
 *
 * @param name a DNS-1123 label, unique
 * @param description free text (optional)
 * @param ringLabel the Fleet Cluster label that carries the ring (optional, default {@code ring})
 * @param customizationPattern the name of a ring's targetCustomization (optional, default {@code ring-{n}})
 */
public record ApplicationRequest(String name, String description, String ringLabel, String customizationPattern) {}
