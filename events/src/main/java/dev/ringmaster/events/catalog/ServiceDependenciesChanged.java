package dev.ringmaster.events.catalog;

import java.util.List;

/**
 * A service's dependencies were replaced.
 *
 * @param application the owning application
 * @param service the service
 * @param dependencies the new, complete list of services it depends on
 */
public record ServiceDependenciesChanged(String application, String service, List<String> dependencies) {}
