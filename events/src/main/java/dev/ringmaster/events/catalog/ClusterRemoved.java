package dev.ringmaster.events.catalog;

/**
 * A cluster was removed from its application.
 *
 * @param application the owning application
 * @param cluster the cluster as it was
 */
public record ClusterRemoved(String application, ClusterRef cluster) {}
