package dev.ringmaster.cli;

import static dev.ringmaster.cli.Api.seg;
import static dev.ringmaster.cli.AppCommand.putIf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "subscription",
        aliases = "sub",
        description = "Notifications: rollout events to a webhook (signed CloudEvents) or to Slack.",
        subcommands = {
            SubscriptionCommand.Add.class,
            SubscriptionCommand.Get.class,
            SubscriptionCommand.ListSubs.class,
            SubscriptionCommand.Remove.class,
            SubscriptionCommand.Deliveries.class,
            SubscriptionCommand.RotateSecret.class
        })
class SubscriptionCommand extends Group {

    static final Table SUBS = new Table()
            .col("NAME", "name")
            .col("KIND", "kind")
            .col("URL", "url")
            .col("APPLICATIONS", n -> n.path("applications").isEmpty() ? "*" : Table.text(n, "applications"))
            .col("EVENTS", n -> Integer.toString(n.path("events").size()))
            .col("SIGNED", "signed");

    @Command(name = "add", description = "Subscribe a webhook or Slack URL to rollout events.")
    static class Add extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--url", required = true, paramLabel = "URL")
        String url;

        @Option(
                names = "--kind",
                paramLabel = "webhook|slack",
                description = "Default: slack for hooks.slack.com, else webhook.")
        String kind;

        @Option(
                names = {"-a", "--app"},
                paramLabel = "APP",
                description = "Only these applications (repeatable; default all).")
        List<String> apps = new ArrayList<>();

        @Option(
                names = {"-e", "--event"},
                paramLabel = "TYPE",
                description = "Only these events, e.g. rollout.succeeded (repeatable).")
        List<String> events = new ArrayList<>();

        @Option(
                names = "--secret",
                paramLabel = "whsec_...",
                description = "Signing secret (default: generated, shown once).")
        String secret;

        @Override
        Integer run() {
            ObjectNode body = Api.JSON.createObjectNode().put("name", name).put("url", url);
            putIf(body, "kind", kind == null ? null : kind.toUpperCase());
            putIf(body, "secret", secret);
            if (!apps.isEmpty()) {
                ArrayNode a = body.putArray("applications");
                apps.forEach(a::add);
            }
            if (!events.isEmpty()) {
                ArrayNode e = body.putArray("events");
                events.forEach(e::add);
            }
            JsonNode created = api().post("/subscriptions", body);
            String message = "subscription/" + name + " created";
            if (created.hasNonNull("secret")) {
                message += "\nsigning secret (shown once): "
                        + created.get("secret").asText();
            }
            return done(created, message);
        }
    }

    @Command(name = "get", description = "A subscription.")
    static class Get extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            return show(api().get("/subscriptions/" + seg(name)), SUBS);
        }
    }

    @Command(name = "list", aliases = "ls", description = "Every subscription (or those following one application).")
    static class ListSubs extends Leaf {
        @Option(
                names = {"-a", "--app"},
                paramLabel = "APP")
        String app;

        @Override
        Integer run() {
            return show(api().get("/subscriptions" + (app == null ? "" : "?application=" + seg(app))), SUBS);
        }
    }

    @Command(name = "remove", aliases = "rm", description = "Delete a subscription; nothing more is sent to it.")
    static class Remove extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        Integer run() {
            api().delete("/subscriptions/" + seg(name));
            return done(Api.JSON.createObjectNode().put("removed", name), "subscription/" + name + " removed");
        }
    }

    @Command(name = "deliveries", description = "The delivery log: each event, its state and attempts, newest first.")
    static class Deliveries extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--limit", paramLabel = "N", description = "At most N (default 50).")
        Integer limit;

        @Override
        Integer run() {
            JsonNode log =
                    api().get("/subscriptions/" + seg(name) + "/deliveries" + (limit == null ? "" : "?limit=" + limit));
            return show(
                    log,
                    new Table()
                            .col("EVENT", "eventId")
                            .col(
                                    "TYPE",
                                    n -> n.path("type")
                                            .asText()
                                            .replace("ringmaster.rollout.", "")
                                            .replaceAll("\\.v\\d+$", ""))
                            .col("ROLLOUT", "rolloutId")
                            .col("STATE", "state")
                            .col("ATTEMPTS", "attempts")
                            .col(
                                    "LAST",
                                    n -> n.hasNonNull("lastError")
                                            ? n.get("lastError").asText()
                                            : Table.text(n, "lastStatus"))
                            .col(
                                    "AT",
                                    n -> n.hasNonNull("finishedAt")
                                            ? n.get("finishedAt").asText()
                                            : Table.text(n, "nextAttemptAt")));
        }
    }

    @Command(
            name = "rotate-secret",
            description = "A new signing secret; the old one still signs during the grace period.")
    static class RotateSecret extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(
                names = "--grace",
                paramLabel = "DURATION",
                description = "How long the old secret still signs (default 24h).")
        String grace;

        @Option(names = "--secret", paramLabel = "whsec_...", description = "The new secret (default: generated).")
        String secret;

        @Override
        Integer run() {
            ObjectNode body = Api.JSON.createObjectNode();
            putIf(body, "secret", secret);
            if (grace != null) {
                body.put(
                        "graceSeconds",
                        java.time.Duration.parse(RolloutCommand.isoDuration(grace))
                                .toSeconds());
            }
            JsonNode r = api().post("/subscriptions/" + seg(name) + "/rotate-secret", body);
            return done(
                    r,
                    "subscription/" + name + ": new signing secret (shown once): "
                            + r.path("secret").asText());
        }
    }
}
