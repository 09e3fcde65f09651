package dev.ringmaster.cli;

import static dev.ringmaster.cli.Api.seg;
import static dev.ringmaster.cli.AppCommand.putIf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "rollout",
        description = "Rollouts: one application on one ring, service by service in dependency order.",
        subcommands = {
            RolloutCommand.Create.class,
            RolloutCommand.Get.class,
            RolloutCommand.ListRollouts.class,
            RolloutCommand.Watch.class,
            RolloutCommand.Pause.class,
            RolloutCommand.Resume.class,
            RolloutCommand.Abort.class
        })
class RolloutCommand extends Group {

    static final Table HISTORY = new Table()
            .col("ID", "id")
            .col("APPLICATION", "application")
            .col("RING", "ring")
            .col("PHASE", "phase")
            .col("REQUESTED-BY", "requestedBy")
            .col("REQUESTED", "requestedAt")
            .col("UPDATED", "updatedAt")
            .col("REASON", "reason");

    static final Table STEPS = new Table()
            .col("SERVICE", "service")
            .col("FROM", "fromVersion")
            .col("TO", "toVersion")
            .col("PHASE", "phase")
            .col("READY", n -> n.path("ready").asInt() + "/" + n.path("total").asInt())
            .col("FAILED", "failed")
            .col(
                    "COMMIT",
                    n -> n.hasNonNull("commit")
                            ? n.get("commit")
                                    .asText()
                                    .substring(
                                            0,
                                            Math.min(
                                                    12, n.get("commit").asText().length()))
                            : "");

    /** Whether to redraw in place: forced by --tty/--no-tty or RINGCTL_TTY, else a console is attached. */
    static boolean tty(Boolean flag, Ringctl root) {
        if (flag != null) {
            return flag;
        }
        String env = root.env().get("RINGCTL_TTY");
        if (env != null) {
            return env.equals("1") || env.equalsIgnoreCase("true");
        }
        return System.console() != null;
    }

    @Command(name = "create", description = "Roll an application out on a ring (--dry-run shows the plan).")
    static class Create extends Leaf {
        @Parameters(paramLabel = "APP")
        String app;

        @Option(names = "--ring", required = true, paramLabel = "N")
        int ring;

        @Option(names = "--dry-run", description = "Show what would happen; change nothing.")
        boolean dryRun;

        @Option(names = "--tolerate", paramLabel = "N", description = "Failed clusters a step tolerates (default 0).")
        Integer tolerate;

        @Option(
                names = "--deadline",
                paramLabel = "DURATION",
                description = "Per cluster, e.g. 15m, 1h, PT90S (default 15m).")
        String deadline;

        @Option(
                names = "--on-failure",
                paramLabel = "pause|fail",
                description = "What a failed step does (default pause).")
        String onFailure;

        @Option(names = "--by", paramLabel = "WHO", description = "Who asks (default: $USER).")
        String by;

        @Option(
                names = {"-w", "--watch"},
                description = "Follow the rollout to its end.")
        boolean watch;

        @Option(
                names = "--tty",
                negatable = true,
                description = "Redraw in place (default: when a terminal is attached).")
        Boolean tty;

        @Override
        Integer run() {
            ObjectNode body = Api.JSON.createObjectNode().put("ring", ring);
            putIf(body, "requestedBy", by != null ? by : root().env().get("USER"));
            if (tolerate != null || deadline != null || onFailure != null) {
                ObjectNode policy = body.putObject("policy");
                if (tolerate != null) {
                    policy.put("toleratedFailures", tolerate);
                }
                putIf(policy, "clusterDeadline", deadline == null ? null : isoDuration(deadline));
                putIf(policy, "onFailure", onFailure == null ? null : onFailure.toUpperCase(Locale.ROOT));
            }
            String path = "/applications/" + seg(app) + "/rollouts";
            if (dryRun) {
                JsonNode plan = api().post(path + "?dryRun=true", body);
                if (Output.document(out(), format(), plan)) {
                    return ExitCodes.OK;
                }
                out().println("Plan for " + app + " ring " + ring + " ("
                        + plan.path("clusters").size() + " clusters):");
                List<JsonNode> rows = new ArrayList<>();
                int layer = 0;
                for (JsonNode l : plan.path("layers")) {
                    for (JsonNode svc : l) {
                        for (JsonNode s : plan.path("services")) {
                            if (s.path("service").asText().equals(svc.asText())) {
                                rows.add(((ObjectNode) s.deepCopy()).put("layer", layer));
                            }
                        }
                    }
                    layer++;
                }
                new Table()
                        .col("LAYER", "layer")
                        .col("SERVICE", "service")
                        .col("FROM", "fromVersion")
                        .col("TO", "toVersion")
                        .col("ACTION", "action")
                        .col("FILE", "file")
                        .print(out(), rows);
                return ExitCodes.OK;
            }
            JsonNode created = api().post(path, body);
            String id = created.path("id").asText();
            if (!watch) {
                return done(created, "rollout/" + id + " created (" + app + " ring " + ring + ")");
            }
            out().println("rollout/" + id + " created");
            return new RolloutWatch(api(), out(), RolloutCommand.tty(tty, root())).watch(id);
        }
    }

    /** 15m, 1h, 90s, 1h30m or an ISO-8601 duration, as ISO-8601. */
    static String isoDuration(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        try {
            return Duration.parse(t.startsWith("P") ? t : "PT" + t).toString();
        } catch (DateTimeParseException e) {
            throw new ApiException(ExitCodes.USAGE, "--deadline: not a duration: " + s + " (e.g. 15m, 1h, PT90S)");
        }
    }

    @Command(name = "get", description = "A rollout: phase, steps with ready clusters, and (-o json) its timeline.")
    static class Get extends Leaf {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        Integer run() {
            JsonNode r = api().get("/rollouts/" + seg(id));
            if (Output.document(out(), format(), r)) {
                return ExitCodes.OK;
            }
            out().println("Rollout:     " + r.path("id").asText());
            out().println("Application: " + r.path("application").asText() + "  ring "
                    + r.path("ring").asInt());
            out().println("Phase:       " + r.path("phase").asText()
                    + (r.hasNonNull("reason") ? " (" + r.get("reason").asText() + ")" : ""));
            out().println("Requested:   " + r.path("requestedAt").asText() + " by "
                    + r.path("requestedBy").asText());
            out().println("Clusters:    " + r.path("clusters").size());
            out().println();
            STEPS.print(out(), r.path("steps"));
            return ExitCodes.OK;
        }
    }

    @Command(
            name = "list",
            aliases = {"ls", "history"},
            description = "Rollout history, newest first: one application or all.")
    static class ListRollouts extends Leaf {
        @Option(
                names = {"-a", "--app"},
                paramLabel = "APP")
        String app;

        @Option(names = "--ring", paramLabel = "N")
        Integer ring;

        @Option(names = "--phase", paramLabel = "PHASE")
        String phase;

        @Option(names = "--limit", paramLabel = "N", description = "At most N (default 50, at most 500).")
        Integer limit;

        @Override
        Integer run() {
            List<String> q = new ArrayList<>();
            if (app != null) {
                q.add("application=" + seg(app));
            }
            if (ring != null) {
                q.add("ring=" + ring);
            }
            if (phase != null) {
                q.add("phase=" + seg(phase.toUpperCase(Locale.ROOT)));
            }
            if (limit != null) {
                q.add("size=" + limit);
            }
            return show(api().get("/rollouts" + (q.isEmpty() ? "" : "?" + String.join("&", q))), HISTORY);
        }
    }

    @Command(
            name = "watch",
            description = "Follow a rollout live until it ends: exit 0 when it succeeded, 5 when it failed, errored or"
                    + " was aborted.")
    static class Watch extends Leaf {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(
                names = "--tty",
                negatable = true,
                description = "Redraw in place (default: when a terminal is attached).")
        Boolean tty;

        @Option(
                names = "--timeout",
                paramLabel = "DURATION",
                description = "Give up after this long (exit 1), e.g. 10m.")
        String timeout;

        @Override
        Integer run() {
            Duration limit = timeout == null ? null : Duration.parse(isoDuration(timeout));
            return new RolloutWatch(api(), out(), RolloutCommand.tty(tty, root())).watch(id, limit);
        }
    }

    abstract static class Control extends Leaf {
        @Parameters(paramLabel = "ID")
        String id;

        @Option(names = "--reason", paramLabel = "TEXT")
        String reason;

        @Option(names = "--by", paramLabel = "WHO")
        String by;

        abstract String action();

        @Override
        Integer run() {
            ObjectNode body = Api.JSON.createObjectNode();
            putIf(body, "reason", reason);
            putIf(body, "requestedBy", by != null ? by : root().env().get("USER"));
            JsonNode r = api().post("/rollouts/" + seg(id) + "/" + action(), body);
            return done(r, "rollout/" + id + ": " + action() + " requested");
        }
    }

    @Command(name = "pause", description = "Start no new step; steps deploying finish.")
    static class Pause extends Control {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Continue a paused rollout; failed clusters are awaited again.")
    static class Resume extends Control {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "abort", aliases = "cancel", description = "End the rollout now; nothing is reverted.")
    static class Abort extends Control {
        @Override
        String action() {
            return "abort";
        }
    }
}
