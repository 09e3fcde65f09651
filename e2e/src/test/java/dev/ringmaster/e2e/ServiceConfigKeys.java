package dev.ringmaster.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables a service reads, from its sources: the {@code ${VAR:...}} placeholders and the keys of
 * its application.properties, and the keys of its {@code @ConfigMapping} interfaces (and those of the outbox when
 * it uses it), each in the environment form SmallRye Config maps them from ({@code ringmaster.git.workdir} ->
 * {@code RINGMASTER_GIT_WORKDIR}). A {@code Map<String, X>} member reads any variable under its prefix.
 */
final class ServiceConfigKeys {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([a-z.-]+)\"\\)");
    private static final Pattern INTERFACE = Pattern.compile("\\binterface (\\w+)");
    private static final Pattern MEMBER = Pattern.compile("^\\s*([\\w<>, ?]+?)\\s+(\\w+)\\(\\);");

    /** Exact names, and prefixes (ending in _) under which any name is read. */
    record Allowed(Set<String> names, Set<String> prefixes) {
        boolean allows(String env) {
            return names.contains(env) || prefixes.stream().anyMatch(env::startsWith);
        }
    }

    private ServiceConfigKeys() {}

    static Allowed of(Path root, String module) {
        Set<String> names = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        Path props = root.resolve(module).resolve("src/main/resources/application.properties");
        try {
            for (String line : Files.readAllLines(props)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                Matcher m = PLACEHOLDER.matcher(l);
                while (m.find()) {
                    names.add(m.group(1));
                }
                int eq = l.indexOf('=');
                if (eq > 0 && !l.startsWith("%")) {
                    names.add(env(l.substring(0, eq).strip()));
                }
            }
            mappings(root.resolve(module), names, prefixes);
            if (Files.readString(root.resolve(module).resolve("pom.xml")).contains("<artifactId>outbox</artifactId>")) {
                mappings(root.resolve("outbox"), names, prefixes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Allowed(names, prefixes);
    }

    static String env(String key) {
        return key.replace("\"", "").toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    private static void mappings(Path module, Set<String> names, Set<String> prefixes) throws IOException {
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                Matcher m = MAPPING.matcher(src);
                if (m.find()) {
                    keys(src, m.group(1), names, prefixes);
                }
            }
        }
    }

    /** Walks the interfaces of one mapping: members returning a nested interface descend into it. */
    private static void keys(String src, String prefix, Set<String> names, Set<String> prefixes) {
        Map<String, Map<String, String>> members = new LinkedHashMap<>(); // interface -> member -> type
        Deque<String[]> stack = new ArrayDeque<>(); // {interface, depth at which it opened}
        int depth = 0;
        String root = null;
        for (String line : src.split("\n")) {
            Matcher i = INTERFACE.matcher(line);
            if (i.find() && !line.strip().startsWith("*") && !line.strip().startsWith("/")) {
                stack.push(new String[] {i.group(1), String.valueOf(depth)});
                members.putIfAbsent(i.group(1), new LinkedHashMap<>());
                if (root == null) {
                    root = i.group(1);
                }
            }
            Matcher mm = MEMBER.matcher(line);
            if (mm.find() && !stack.isEmpty()) {
                members.get(stack.peek()[0]).put(mm.group(2), mm.group(1).strip());
            }
            for (char c : line.toCharArray()) {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                    if (!stack.isEmpty() && depth == Integer.parseInt(stack.peek()[1])) {
                        stack.pop();
                    }
                }
            }
        }
        walk(members, root, prefix, names, prefixes, new HashMap<>());
    }

    private static void walk(
            Map<String, Map<String, String>> members,
            String iface,
            String prefix,
            Set<String> names,
            Set<String> prefixes,
            Map<String, Boolean> seen) {
        for (Map.Entry<String, String> m : members.getOrDefault(iface, Map.of()).entrySet()) {
            String key = prefix + "." + kebab(m.getKey());
            String type = m.getValue();
            Matcher map = Pattern.compile("Map<String,\\s*(\\w+)>").matcher(type);
            if (members.containsKey(type)) {
                walk(members, type, key, names, prefixes, seen);
            } else if (map.find()) {
                prefixes.add(env(key) + "_");
            } else {
                names.add(env(key));
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    static List<String> services() {
        return List.of("catalog-service", "rollout-orchestrator", "git-committer", "fleet-watcher", "notifier");
    }
}
