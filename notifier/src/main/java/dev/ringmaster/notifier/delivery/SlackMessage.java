package dev.ringmaster.notifier.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ringmaster.events.CloudEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rollout event as a Slack Block Kit message: a header (application, ring, what happened), fields (application,
 * ring, service, versions, clusters ready n/m, phase), the reason or message when there is one, and a link to the
 * rollout. {@code text} is the fallback Slack shows in notifications.
 */
public final class SlackMessage {

    private static final int MAX_TEXT = 2000;

    private final ObjectMapper json;
    private final String consoleUrl;

    public SlackMessage(ObjectMapper json, String consoleUrl) {
        this.json = json;
        this.consoleUrl = consoleUrl.replaceAll("/+$", "");
    }

    public String render(CloudEvent event) {
        JsonNode d = event.data();
        String what = headline(event.type());
        String app = text(d, "application");
        String ring = d.has("ring") ? d.get("ring").asText() : null;
        String rolloutId = text(d, "rolloutId");

        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "Application", app);
        put(fields, "Ring", ring);
        put(fields, "Service", text(d, "service"));
        put(fields, "Cluster", text(d, "cluster"));
        put(fields, "Clusters", readyNames(d));
        put(fields, "Version", versions(d));
        clusters(d, fields);
        put(fields, "Phase", phase(event.type(), d));

        ObjectNode msg = json.createObjectNode();
        msg.put(
                "text",
                app + " ring " + ring + ": " + what + (d.has("service") ? " (" + text(d, "service") + ")" : ""));
        ArrayNode blocks = msg.putArray("blocks");
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text")
                .put("type", "plain_text")
                .put("text", limit(app + " · ring " + ring + " · " + what, 150));
        ObjectNode section = blocks.addObject().put("type", "section");
        ArrayNode f = section.putArray("fields");
        fields.forEach((k, v) -> f.addObject().put("type", "mrkdwn").put("text", "*" + k + "*\n" + escape(v)));
        String reason = text(d, "reason") != null ? text(d, "reason") : text(d, "message");
        if (reason != null && !reason.isBlank()) {
            blocks.addObject()
                    .put("type", "section")
                    .putObject("text")
                    .put("type", "mrkdwn")
                    .put("text", limit(escape(reason), MAX_TEXT));
        }
        ArrayNode context = blocks.addObject().put("type", "context").putArray("elements");
        String link = consoleUrl + "/api/v1/rollouts/" + rolloutId;
        context.addObject()
                .put("type", "mrkdwn")
                .put("text", "<" + link + "|Rollout " + escape(rolloutId) + "> · event " + escape(event.id()));
        return msg.toString();
    }

    static String headline(String type) {
        String t = type.replaceFirst("^ringmaster\\.rollout\\.", "").replaceFirst("\\.v\\d+$", "");
        return switch (t) {
            case "started" -> "Rollout started";
            case "step-started" -> "Step started";
            case "step-committed" -> "Version committed";
            case "cluster-ready" -> "Cluster ready";
            case "clusters-ready" -> "Clusters ready";
            case "cluster-failed" -> "Cluster failed";
            case "step-completed" -> "Step completed";
            case "step-failed" -> "Step failed";
            case "paused" -> "Rollout paused";
            case "resumed" -> "Rollout resumed";
            case "succeeded" -> "Rollout succeeded";
            case "failed" -> "Rollout failed";
            case "errored" -> "Rollout errored";
            case "aborted" -> "Rollout aborted";
            case "cluster-left-ring" -> "Cluster left the ring";
            case "cluster-joined-ring" -> "Cluster joined the ring";
            default -> t;
        };
    }

    /** The rollout's phase after this event. */
    static String phase(String type, JsonNode d) {
        String t = type.replaceFirst("^ringmaster\\.rollout\\.", "").replaceFirst("\\.v\\d+$", "");
        return switch (t) {
            case "paused" -> "PAUSED";
            case "succeeded" -> "SUCCEEDED";
            case "failed" -> "FAILED";
            case "errored" -> "ERRORED";
            case "aborted" -> "ABORTED";
            default -> "RUNNING";
        };
    }

    private static String versions(JsonNode d) {
        if (d.has("fromVersion") || d.has("toVersion")) {
            return orDash(text(d, "fromVersion")) + " → " + orDash(text(d, "toVersion"));
        }
        if (d.has("version")) {
            return text(d, "version");
        }
        if (d.has("versions") && d.get("versions").isObject()) {
            StringBuilder b = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = d.get("versions").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                b.append(b.isEmpty() ? "" : ", ")
                        .append(e.getKey())
                        .append(' ')
                        .append(e.getValue().asText());
            }
            return b.isEmpty() ? null : b.toString();
        }
        if (d.has("services") && d.get("services").isArray()) {
            StringBuilder b = new StringBuilder();
            for (JsonNode s : d.get("services")) {
                String from = text(s, "fromVersion");
                String to = text(s, "toVersion");
                if (to != null && !to.equals(from)) {
                    b.append(b.isEmpty() ? "" : ", ")
                            .append(text(s, "service"))
                            .append(' ')
                            .append(orDash(from))
                            .append(" → ")
                            .append(to);
                }
            }
            return b.isEmpty() ? "nothing to change" : b.toString();
        }
        return null;
    }

    /** The clusters a clusters-ready event names: the first five, then how many more. */
    private static String readyNames(JsonNode d) {
        if (!d.has("ready") || !d.path("clusters").isArray()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        d.get("clusters").forEach(c -> names.add(c.asText()));
        return String.join(", ", names.subList(0, Math.min(5, names.size())))
                + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
    }

    private static void clusters(JsonNode d, Map<String, String> fields) {
        if (d.has("ready") && d.has("total")) {
            put(
                    fields,
                    "Clusters ready",
                    d.get("ready").asInt() + "/" + d.get("total").asInt());
        } else if (d.has("failed") && d.has("total")) {
            put(
                    fields,
                    "Clusters failed",
                    d.get("failed").asInt() + "/" + d.get("total").asInt());
        } else if (d.has("clusters") && d.get("clusters").isInt()) {
            put(fields, "Clusters ready", "0/" + d.get("clusters").asInt());
        } else if (d.has("clusters") && d.get("clusters").isArray()) {
            put(fields, "Clusters", Integer.toString(d.get("clusters").size()));
        }
    }

    private static void put(Map<String, String> fields, String name, String value) {
        if (value != null && !value.isEmpty()) {
            fields.put(name, value);
        }
    }

    private static String text(JsonNode d, String field) {
        JsonNode v = d == null ? null : d.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    /** Slack's mrkdwn control characters. */
    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String limit(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
