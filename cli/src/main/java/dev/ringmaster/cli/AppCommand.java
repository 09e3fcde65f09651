package dev.ringmaster.cli;

import static dev.ringmaster.cli.Api.seg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "app",
        aliases = "application",
        description = "Applications: a set of services rolled out together, ring by ring.",
        subcommands = {
            AppCommand.Create.class,
            AppCommand.Get.class,
            AppCommand.ListApps.class,
            AppCommand.Delete.class,
            AppCommand.MapCmd.class,
            AppCommand.Versions.class
        })
class AppCommand extends Group {

    static final Table APPS = new Table()
            .col("NAME", "name")
            .col("SERVICES", "services")
            .col("CLUSTERS", "clusters")
            .col("CREATED", "createdAt")
            .col("DESCRIPTION", "description");

    @Command(name = "create", description = "Create an application.")
    static class Create extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--description", paramLabel = "TEXT")
        String description;

        @Option(
                names = "--ring-label",
                paramLabel = "KEY",
                description = "Fleet Cluster label holding the ring (default: ring).")
        String ringLabel;

        @Option(
                names = "--customization-pattern",
                paramLabel = "PATTERN",
                description = "targetCustomization name of a ring, {n} for its number (default: ring-{n}).")
        String customizationPattern;

        @Override
        Integer run() {
            ObjectNode body = Api.JSON.createObjectNode().put("name", name);
            putIf(body, "description", description);
            putIf(body, "ringLabel", ringLabel);
            putIf(body, "customizationPattern", customizationPattern);
            JsonNode created = api().post("/applications", body);
            return done(created, "application/" + name + " created");
        }
    }

    @Command(name = "get", description = "An application with its services, clusters and dependency layers.")
    static class Get extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            JsonNode app = api().get("/applications/" + seg(name));
            if (Output.document(out(), format(), app)) {
                return ExitCodes.OK;
            }
            out().println("Name:          " + app.path("name").asText());
            out().println("Description:   " + app.path("description").asText());
            out().println("Ring label:    " + app.path("ringLabel").asText());
            out().println("Customization: " + app.path("customizationPattern").asText());
            out().println("Created:       " + app.path("createdAt").asText());
            out().println();
            out().println("Services:");
            ServiceCommand.SERVICES.print(out(), app.path("services"));
            out().println();
            out().println("Clusters:");
            ClusterCommand.CLUSTERS.print(out(), app.path("clusters"));
            out().println();
            out().println("Layers (rollout order):");
            printLayers(app.path("dependencyMap").path("layers"));
            out().flush();
            return ExitCodes.OK;
        }

        private void printLayers(JsonNode layers) {
            int i = 0;
            for (JsonNode layer : layers) {
                out().println("  " + i++ + ": " + Table.joined(layer));
            }
        }
    }

    @Command(name = "list", aliases = "ls", description = "Every application.")
    static class ListApps extends Leaf {
        @Override
        Integer run() {
            return show(api().get("/applications"), APPS);
        }
    }

    @Command(
            name = "delete",
            aliases = "rm",
            description = "Delete an application with its services, clusters and history.")
    static class Delete extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            api().delete("/applications/" + seg(name));
            return done(Api.JSON.createObjectNode().put("deleted", name), "application/" + name + " deleted");
        }
    }

    @Command(
            name = "map",
            description = "The dependency map: the layers services roll out in, and who depends on whom."
                    + " -o dot prints a Graphviz graph.")
    static class MapCmd extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            JsonNode map = api().get("/applications/" + seg(name) + "/map");
            if (format() == Output.Format.dot) {
                out().print(dot(name, map));
                out().flush();
                return ExitCodes.OK;
            }
            if (Output.document(out(), format(), map)) {
                return ExitCodes.OK;
            }
            List<JsonNode> rows = new ArrayList<>();
            int layer = 0;
            for (JsonNode l : map.path("layers")) {
                for (JsonNode svc : l) {
                    ObjectNode row = Api.JSON.createObjectNode();
                    row.put("layer", layer);
                    row.put("service", svc.asText());
                    row.set("dependsOn", map.path("dependsOn").path(svc.asText()));
                    rows.add(row);
                }
                layer++;
            }
            new Table()
                    .col("LAYER", "layer")
                    .col("SERVICE", "service")
                    .col("DEPENDS-ON", "dependsOn")
                    .print(out(), rows);
            return ExitCodes.OK;
        }

        /** A Graphviz digraph: an edge from each service to what it depends on; one rank per layer. */
        static String dot(String app, JsonNode map) {
            StringBuilder b = new StringBuilder();
            b.append("digraph \"").append(app).append("\" {\n  rankdir=LR;\n  node [shape=box];\n");
            int i = 0;
            for (JsonNode layer : map.path("layers")) {
                b.append("  subgraph layer_").append(i++).append(" { rank=same;");
                layer.forEach(s -> b.append(" \"").append(s.asText()).append('"'));
                b.append(" }\n");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it =
                            map.path("dependsOn").fields();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                for (JsonNode dep : e.getValue()) {
                    b.append("  \"")
                            .append(e.getKey())
                            .append("\" -> \"")
                            .append(dep.asText())
                            .append("\";\n");
                }
            }
            return b.append("}\n").toString();
        }
    }

    @Command(name = "versions", description = "The version matrix: each service's version on each ring.")
    static class Versions extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            JsonNode m = api().get("/applications/" + seg(name) + "/versions");
            if (Output.document(out(), format(), m)) {
                return ExitCodes.OK;
            }
            Table t = new Table()
                    .col("SERVICE", "service")
                    .col("CURRENT", "currentVersion")
                    .col("PLANNED", "plannedVersion");
            for (JsonNode ring : m.path("rings")) {
                String r = ring.asText();
                t.col("RING-" + r, n -> n.path("rings").path(r).asText(""));
            }
            t.print(out(), m.path("services"));
            return ExitCodes.OK;
        }
    }

    static void putIf(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
