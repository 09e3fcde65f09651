package dev.ringmaster.events.catalog;

/**
 * A cluster as Ringmaster names it, and the Fleet {@code Cluster} object it mirrors.
 *
 * @param name the cluster's name in Ringmaster (unique within its application)
 * @param ring the cluster's ring
 * @param fleetNamespace the namespace of the Fleet Cluster (its workspace, e.g. {@code fleet-default})
 * @param fleetName the name of the Fleet Cluster
 */
public record ClusterRef(String name, int ring, String fleetNamespace, String fleetName) {}
