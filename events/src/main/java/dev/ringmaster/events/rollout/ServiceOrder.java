package dev.ringmaster.events.rollout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The order a rollout's services go in: the orchestrator runs it, the catalog shows it. Pure. */
public final class ServiceOrder {

    /**
     * The topological order of a snapshot's services in layers: each service comes after every service it depends
     * on; names are sorted within a layer; a dependency outside the snapshot counts as met.
     *
     * @throws IllegalArgumentException when the dependencies form a cycle (the catalog refuses those)
     */
    public static List<List<String>> layers(List<ServicePlan> services) {
        Map<String, List<String>> deps = new LinkedHashMap<>();
        services.forEach(p -> deps.put(p.service(), p.dependencies() == null ? List.of() : p.dependencies()));
        List<List<String>> layers = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        while (placed.size() < deps.size()) {
            TreeSet<String> layer = new TreeSet<>();
            deps.forEach((name, d) -> {
                if (!placed.contains(name) && d.stream().allMatch(x -> placed.contains(x) || !deps.containsKey(x))) {
                    layer.add(name);
                }
            });
            if (layer.isEmpty()) {
                throw new IllegalArgumentException("the services' dependencies form a cycle");
            }
            placed.addAll(layer);
            layers.add(List.copyOf(layer));
        }
        return layers;
    }

    private ServiceOrder() {}
}
