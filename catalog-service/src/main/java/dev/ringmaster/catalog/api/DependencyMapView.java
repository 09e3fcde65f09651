package dev.ringmaster.catalog.api;

import java.util.List;
import java.util.Map;

/**
 * An application's dependency map.
 *
 * @param layers the topological order: every service comes after all it depends on; the services of one layer can
 *     roll out together
 * @param dependsOn each service and the services it depends on
 */
public record DependencyMapView(List<List<String>> layers, Map<String, List<String>> dependsOn) {}
