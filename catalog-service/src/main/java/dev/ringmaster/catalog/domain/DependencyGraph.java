package dev.ringmaster.catalog.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The services of one application and what each depends on. Pure: no framework, no I/O.
 *
 * <p>Edges point from a service to the services it depends on. A valid graph is a DAG; {@link #layers()} orders it
 * so that every service comes after all of its dependencies, and the services of one layer can roll out together.
 */
public final class DependencyGraph {

    private final Map<String, Set<String>> dependsOn;

    /** A graph of the given services; names are sorted so that every result is deterministic. */
    public DependencyGraph(Map<String, ? extends Collection<String>> dependsOn) {
        Map<String, Set<String>> copy = new TreeMap<>();
        dependsOn.forEach((service, deps) -> copy.put(service, Collections.unmodifiableSet(new TreeSet<>(deps))));
        this.dependsOn = Collections.unmodifiableMap(copy);
    }

    /** The graph with one service's dependencies replaced (or the service added). */
    public DependencyGraph with(String service, Collection<String> dependencies) {
        Map<String, Set<String>> next = new TreeMap<>(dependsOn);
        next.put(service, new TreeSet<>(dependencies));
        return new DependencyGraph(next);
    }

    /** The services every service depends on, by name. */
    public Map<String, Set<String>> dependencies() {
        return dependsOn;
    }

    /** Dependencies that name no service of the graph, as {@code service -> missing}. */
    public Map<String, Set<String>> unknownDependencies() {
        Map<String, Set<String>> unknown = new TreeMap<>();
        dependsOn.forEach((service, deps) -> deps.stream()
                .filter(d -> !dependsOn.containsKey(d))
                .forEach(d ->
                        unknown.computeIfAbsent(service, k -> new TreeSet<>()).add(d)));
        return unknown;
    }

    /** The services that depend directly on {@code service}, sorted. */
    public List<String> dependents(String service) {
        List<String> result = new ArrayList<>();
        dependsOn.forEach((s, deps) -> {
            if (deps.contains(service)) {
                result.add(s);
            }
        });
        return result;
    }

    /**
     * A cycle, if there is one, as the path that closes it: {@code [a, b, c, a]} means a depends on b, b on c and c on
     * a. Empty for a DAG. Deterministic: the search starts from the first service in name order.
     */
    public Optional<List<String>> findCycle() {
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        for (String start : dependsOn.keySet()) {
            if (!state.containsKey(start)) {
                List<String> path = new ArrayList<>();
                Optional<List<String>> cycle = visit(start, state, path);
                if (cycle.isPresent()) {
                    return cycle;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<List<String>> visit(String service, Map<String, Integer> state, List<String> path) {
        state.put(service, 1);
        path.add(service);
        for (String dep : dependsOn.getOrDefault(service, Set.of())) {
            Integer s = state.get(dep);
            if (s == null) {
                if (dependsOn.containsKey(dep)) {
                    Optional<List<String>> cycle = visit(dep, state, path);
                    if (cycle.isPresent()) {
                        return cycle;
                    }
                }
            } else if (s == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(dep), path.size()));
                cycle.add(dep);
                return Optional.of(cycle);
            }
        }
        path.remove(path.size() - 1);
        state.put(service, 2);
        return Optional.empty();
    }

    /**
     * The topological order in layers: layer 0 holds the services that depend on nothing, layer n those whose
     * dependencies are all in earlier layers. Names are sorted within a layer.
     *
     * @throws IllegalStateException if the graph has a cycle (check {@link #findCycle()} first)
     */
    public List<List<String>> layers() {
        Map<String, Integer> remaining = new TreeMap<>();
        Map<String, List<String>> dependents = new HashMap<>();
        dependsOn.forEach((service, deps) -> {
            int known = 0;
            for (String d : deps) {
                if (dependsOn.containsKey(d)) {
                    known++;
                    dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(service);
                }
            }
            remaining.put(service, known);
        });
        List<List<String>> layers = new ArrayList<>();
        List<String> current = new ArrayList<>();
        remaining.forEach((s, n) -> {
            if (n == 0) {
                current.add(s);
            }
        });
        int placed = 0;
        while (!current.isEmpty()) {
            layers.add(List.copyOf(current));
            placed += current.size();
            TreeSet<String> next = new TreeSet<>();
            for (String s : current) {
                for (String dependent : dependents.getOrDefault(s, List.of())) {
                    if (remaining.merge(dependent, -1, Integer::sum) == 0) {
                        next.add(dependent);
                    }
                }
            }
            current.clear();
            current.addAll(next);
        }
        if (placed != dependsOn.size()) {
            throw new IllegalStateException(
                    "dependency graph has a cycle: " + findCycle().orElse(List.of()));
        }
        return List.copyOf(layers);
    }
}
