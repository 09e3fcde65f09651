package dev.ringmaster.cli;

import static dev.ringmaster.cli.Api.seg;
import static dev.ringmaster.cli.AppCommand.putIf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "service",
        aliases = "svc",
        description = "Services: a Git repository with a fleet.yaml, and the services it depends on.",
        subcommands = {
            ServiceCommand.Create.class,
            ServiceCommand.Get.class,
            ServiceCommand.ListServices.class,
            ServiceCommand.Delete.class,
            ServiceCommand.SetDeps.class,
            ServiceCommand.Plan.class
        })
class ServiceCommand extends Group {

    static final Table SERVICES = new Table()
            .col("NAME", "name")
            .col("VERSION", "currentVersion")
            .col("PLANNED", "plannedVersion")
            .col("DEPENDS-ON", "dependsOn")
            .col("REPO", "repoUrl")
            .col("BRANCH", "branch")
            .col("PATH", "path");

    static final Table SERVICES_ALL = new Table()
            .col("APPLICATION", "application")
            .col("NAME", "name")
            .col("VERSION", "currentVersion")
            .col("PLANNED", "plannedVersion")
            .col("DEPENDS-ON", "dependsOn")
            .col("REPO", "repoUrl");

    @Command(name = "create", description = "Register a service of an application.")
    static class Create extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Option(names = "--repo", required = true, paramLabel = "URL", description = "Its Git repository.")
        String repo;

        @Option(names = "--version", required = true, paramLabel = "VERSION", description = "The version it runs now.")
        String version;

        @Option(names = "--branch", paramLabel = "BRANCH", description = "The branch Fleet follows (default: main).")
        String branch;

        @Option(names = "--path", paramLabel = "DIR", description = "Folder of its fleet.yaml (default: .).")
        String path;

        @Option(
                names = "--version-path",
                paramLabel = "KEYS",
                description = "Where the version lives in fleet.yaml (default: helm.values.image.tag).")
        String versionPath;

        @Option(names = "--depends-on", split = ",", paramLabel = "SERVICE", description = "Services it depends on.")
        List<String> dependsOn = new ArrayList<>();

        @Override
        Integer run() {
            ObjectNode body = Api.JSON
                    .createObjectNode()
                    .put("name", name)
                    .put("repoUrl", repo)
                    .put("currentVersion", version);
            putIf(body, "branch", branch);
            putIf(body, "path", path);
            putIf(body, "versionPath", versionPath);
            ArrayNode deps = body.putArray("dependsOn");
            dependsOn.forEach(deps::add);
            JsonNode created = api().post("/applications/" + seg(app) + "/services", body);
            return done(created, "service/" + name + " created in " + app);
        }
    }

    @Command(name = "get", description = "A service: repository, versions, dependencies and dependents.")
    static class Get extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            JsonNode s = api().get("/applications/" + seg(app) + "/services/" + seg(name));
            return show(
                    s,
                    new Table()
                            .col("NAME", "name")
                            .col("VERSION", "currentVersion")
                            .col("PLANNED", "plannedVersion")
                            .col("DEPENDS-ON", "dependsOn")
                            .col("DEPENDENTS", "dependents")
                            .col("REPO", "repoUrl")
                            .col("BRANCH", "branch")
                            .col("PATH", "path")
                            .col("VERSION-PATH", "versionPath"));
        }
    }

    @Command(name = "list", aliases = "ls", description = "The services of an application, or of all (--all).")
    static class ListServices extends Leaf {
        @ArgGroup(multiplicity = "1")
        Which which;

        static class Which {
            @Parameters(paramLabel = "APP")
            String app;

            @Option(
                    names = {"-A", "--all"},
                    description = "Services of every application.")
            boolean all;
        }

        @Override
        Integer run() {
            if (which.all) {
                return show(api().get("/services"), SERVICES_ALL);
            }
            return show(api().get("/applications/" + seg(which.app) + "/services"), SERVICES);
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a service (refused while others depend on it).")
    static class Delete extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            api().delete("/applications/" + seg(app) + "/services/" + seg(name));
            return done(Api.JSON.createObjectNode().put("deleted", name), "service/" + name + " deleted from " + app);
        }
    }

    @Command(name = "set-deps", description = "Replace what a service depends on (none: no dependencies).")
    static class SetDeps extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Parameters(index = "2..*", paramLabel = "DEPENDENCY", arity = "0..*")
        List<String> deps = new ArrayList<>();

        @Override
        Integer run() {
            ObjectNode body = Api.JSON.createObjectNode();
            ArrayNode d = body.putArray("dependsOn");
            deps.forEach(d::add);
            JsonNode s = api().put("/applications/" + seg(app) + "/services/" + seg(name) + "/dependencies", body);
            return done(s, "service/" + name + " depends on " + (deps.isEmpty() ? "nothing" : String.join(", ", deps)));
        }
    }

    @Command(name = "plan", description = "Set the version the next rollout brings (or --clear it).")
    static class Plan extends Leaf {
        @Parameters(index = "0", paramLabel = "APP")
        String app;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Parameters(index = "2", paramLabel = "VERSION", arity = "0..1")
        String version;

        @Option(names = "--clear", description = "Remove the plan.")
        boolean clear;

        @Override
        Integer run() {
            String path = "/applications/" + seg(app) + "/services/" + seg(name) + "/plan";
            if (clear == (version != null)) {
                throw new ApiException(ExitCodes.USAGE, "give either VERSION or --clear");
            }
            if (clear) {
                // DELETE answers the service: read it back through get for -o json
                api().delete(path);
                JsonNode s = api().get("/applications/" + seg(app) + "/services/" + seg(name));
                return done(s, "service/" + name + ": plan cleared");
            }
            JsonNode s = api().put(path, Api.JSON.createObjectNode().put("version", version));
            return done(s, "service/" + name + ": next rollout brings " + version);
        }
    }
}
