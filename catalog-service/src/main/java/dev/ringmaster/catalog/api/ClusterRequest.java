package dev.ringmaster.catalog.api;

/**
 * Body of {@code POST /api/v1/applications/{app}/clusters}.
 *
 * @param name a DNS-1123 label, unique in the application
 * @param ring the ring, 0 to 999
 * @param fleetNamespace namespace of the Fleet Cluster it mirrors (default {@code fleet-default})
 * @param fleetName name of the Fleet Cluster (default: {@code name})
 */
public record ClusterRequest(String name, Integer ring, String fleetNamespace, String fleetName) {}
