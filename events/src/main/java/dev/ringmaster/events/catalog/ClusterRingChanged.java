package dev.ringmaster.events.catalog;

/**
 * A cluster moved to another ring. Fleet re-targets it as soon as its ring label changes.
 *
 * @param application the owning application
 * @param cluster the cluster, with its new ring
 * @param previousRing the ring it left
 * @param ringLabel the application's ring label key, for whoever writes the label on the Fleet Cluster
 */
public record ClusterRingChanged(String application, ClusterRef cluster, int previousRing, String ringLabel) {}
