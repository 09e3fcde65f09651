package dev.ringmaster.gitcommitter.domain;

import java.util.List;

/**
 * Where one ring's version lives in a fleet.yaml: the targetCustomization named by the application's pattern (e.g.
 * {@code ring-1}), selecting the ring's clusters by {@code clusterSelector.matchLabels {<ringLabel>: "<ring>"}}, and
 * the version at {@code versionPath} inside it (e.g. {@code helm.values.image.tag}).
 */
public record RingOverride(int ring, String customizationName, String ringLabel, List<String> versionPath) {

    /** The override for {@code ring}, with the customization name made from {@code pattern} ({@code {n}} = ring). */
    public static RingOverride of(int ring, String pattern, String ringLabel, String dottedVersionPath) {
        return new RingOverride(
                ring, pattern.replace("{n}", String.valueOf(ring)), ringLabel, List.of(dottedVersionPath.split("\\.")));
    }
}
