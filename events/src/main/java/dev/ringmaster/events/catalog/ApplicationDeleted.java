package dev.ringmaster.events.catalog;

import java.util.List;

/**
 * An application was deleted, and with it its services and clusters (listed, so that consumers need no state).
 *
 * @param application the application's name
 * @param services the names of the services removed with it
 * @param clusters the clusters removed with it
 */
public record ApplicationDeleted(String application, List<String> services, List<ClusterRef> clusters) {}
