package dev.ringmaster.sandbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sample application of the sandbox: a web shop of six services, each in its own Git repository with a
 * fleet.yaml that has one targetCustomization per ring.
 */
public final class SampleApp {

    public static final String NAME = "shop";
    public static final String START_VERSION = "1.0.0";

    /** Each service and what it depends on: five layers (inventory and payments first, web last). */
    public static final Map<String, List<String>> SERVICES = new LinkedHashMap<>();

    static {
        SERVICES.put("inventory", List.of());
        SERVICES.put("payments", List.of());
        SERVICES.put("catalog", List.of("inventory"));
        SERVICES.put("cart", List.of("catalog"));
        SERVICES.put("checkout", List.of("cart", "payments"));
        SERVICES.put("web", List.of("catalog", "checkout"));
    }

    private SampleApp() {}

    /** The repository's files: a fleet.yaml (the version in each ring's targetCustomization) and a chart. */
    public static Map<String, String> files(String service, int rings) {
        StringBuilder y = new StringBuilder();
        y.append("# ")
                .append(service)
                .append(": deployed by Rancher Fleet; Ringmaster moves the versions ring by ring.\n");
        y.append("defaultNamespace: shop\n");
        y.append("helm:\n");
        y.append("  chart: ./chart\n");
        y.append("  releaseName: ").append(service).append('\n');
        y.append("  values:\n");
        y.append("    image:\n");
        y.append("      repository: registry.example.com/shop/").append(service).append('\n');
        y.append("      tag: \"").append(START_VERSION).append("\"\n");
        y.append("targetCustomizations:\n");
        for (int r = 0; r < rings; r++) {
            y.append("  - name: ring-").append(r).append('\n');
            y.append("    clusterSelector:\n");
            y.append("      matchLabels:\n");
            y.append("        ring: \"").append(r).append("\"\n");
            y.append("    helm:\n");
            y.append("      values:\n");
            y.append("        image:\n");
            y.append("          tag: \"").append(START_VERSION).append("\"\n");
        }
        Map<String, String> files = new LinkedHashMap<>();
        files.put("fleet.yaml", y.toString());
        files.put("chart/Chart.yaml", "apiVersion: v2\nname: " + service + "\nversion: 0.1.0\n");
        files.put(
                "chart/templates/deployment.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + service
                        + "\nspec:\n  template:\n    spec:\n      containers:\n        - name: " + service
                        + "\n          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n");
        return files;
    }
}
