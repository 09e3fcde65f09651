package dev.ringmaster.events.catalog;

/**
 * A cluster was registered in an application, on a ring.
 *
 * @param application the owning application
 * @param cluster the cluster, its ring and the Fleet Cluster it mirrors
 * @param ringLabel the application's ring label key, for whoever writes the label on the Fleet Cluster
 */
public record ClusterRegistered(String application, ClusterRef cluster, String ringLabel) {}
