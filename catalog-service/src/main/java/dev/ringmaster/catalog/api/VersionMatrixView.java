package dev.ringmaster.catalog.api;

import java.util.List;
import java.util.Map;

/**
 * Which version each ring runs, per service. A ring no rollout has reached yet runs the service's current version.
 *
 * @param rings the rings that have clusters or versions, in order
 */
public record VersionMatrixView(String application, List<Integer> rings, List<Row> services) {

    public record Row(String service, String currentVersion, String plannedVersion, Map<Integer, String> rings) {}
}
