package dev.ringmaster.cli;

import static dev.ringmaster.cli.Api.seg;
import static dev.ringmaster.cli.AppCommand.putIf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "cluster",
        description = "Clusters: a Fleet Cluster of an application, on a ring.",
        subcommands = {
            ClusterCommand.Add.class,
            ClusterCommand.Get.class,
            ClusterCommand.ListClusters.class,
            ClusterCommand.Siblings.class,
            ClusterCommand.SetRing.class,
            ClusterCommand.Remove.class
        })
class ClusterCommand extends Group {

    static final Table CLUSTERS = new Table()
            .col("NAME", "name")
            .col("RING", "ring")
            .col("FLEET-NAMESPACE", "fleetNamespace")
            .col("FLEET-NAME", "fleetName")
            .col("CREATED", "createdAt");

    static final Table CLUSTERS_ALL = new Table()
            .col("APPLICATION", "application")
            .col("NAME", "name")
            .col("RING", "ring")
            .col("FLEET-NAMESPACE", "fleetNamespace")
            .col("FLEET-NAME", "fleetName");

    @Command(name = "add", description = "Register a cluster of an application on a ring.")
    static class Add extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = "--ring", required = true, paramLabel = "N", description = "Its ring (0 goes first).")
        int ring;

        @Option(
                names = "--fleet-namespace",
                paramLabel = "NS",
                description = "Namespace of the Fleet Cluster (default: fleet-default).")
        String fleetNamespace;

        @Option(names = "--fleet-name", paramLabel = "NAME", description = "Name of the Fleet Cluster (default: NAME).")
        String fleetName;

        @Override
        Integer run() {
            ObjectNode body = Api.JSON.createObjectNode().put("name", name).put("ring", ring);
            putIf(body, "fleetNamespace", fleetNamespace);
            putIf(body, "fleetName", fleetName);
            JsonNode c = api().post("/applications/" + seg(app) + "/clusters", body);
            return done(c, "cluster/" + name + " added to " + app + " on ring " + ring);
        }
    }

    @Command(name = "get", description = "A cluster.")
    static class Get extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            return show(api().get("/applications/" + seg(app) + "/clusters/" + seg(name)), CLUSTERS);
        }
    }

    @Command(name = "list", aliases = "ls", description = "The clusters of an application, or of all (--all).")
    static class ListClusters extends Leaf {
        @ArgGroup(multiplicity = "1")
        Which which;

        static class Which {
            @Parameters(paramLabel = "APP")
            String app;

            @Option(
                    names = {"-A", "--all"},
                    description = "Clusters of every application.")
            boolean all;
        }

        @Option(names = "--ring", paramLabel = "N", description = "Only this ring.")
        Integer ring;

        @Override
        Integer run() {
            String q = ring == null ? "" : "?ring=" + ring;
            if (which.all) {
                return show(api().get("/clusters" + q), CLUSTERS_ALL);
            }
            return show(api().get("/applications/" + seg(which.app) + "/clusters" + q), CLUSTERS);
        }
    }

    @Command(name = "siblings", description = "The other clusters of the same application on the same ring.")
    static class Siblings extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            return show(api().get("/applications/" + seg(app) + "/clusters/" + seg(name) + "/siblings"), CLUSTERS);
        }
    }

    @Command(name = "set-ring", description = "Move a cluster to another ring.")
    static class SetRing extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Parameters(index = "2", paramLabel = "RING")
        int ring;

        @Override
        Integer run() {
            JsonNode c = api().put(
                            "/applications/" + seg(app) + "/clusters/" + seg(name) + "/ring",
                            Api.JSON.createObjectNode().put("ring", ring));
            return done(c, "cluster/" + name + " is on ring " + ring);
        }
    }

    @Command(name = "remove", aliases = "rm", description = "Remove a cluster from its application.")
    static class Remove extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            api().delete("/applications/" + seg(app) + "/clusters/" + seg(name));
            return done(Api.JSON.createObjectNode().put("removed", name), "cluster/" + name + " removed from " + app);
        }
    }
}
