package dev.ringmaster.events.catalog;

/**
 * An application was registered.
 *
 * @param application the application's name (a DNS-1123 label)
 * @param description free text, may be empty
 * @param ringLabel the Fleet Cluster label that carries the ring number (default {@code ring})
 * @param customizationPattern the name of a ring's targetCustomization in fleet.yaml, {@code {n}} standing for the
 *     ring number (default {@code ring-{n}})
 */
public record ApplicationCreated(
        String application, String description, String ringLabel, String customizationPattern) {}
