package dev.ringmaster.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The live view of one rollout, from the catalog's server-sent events: a header (rollout, application, ring, phase,
 * elapsed) and one line per step (versions, phase, a bar of ready clusters n/m, failed clusters named). In a terminal
 * it redraws in place; otherwise it prints a step's line each time it changes. The stream replays the rollout's
 * timeline first, so the view is folded from the start every time; it ends when the rollout is over.
 */
final class RolloutWatch {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "ERRORED", "ABORTED");
    private static final int BAR = 20;
    private static final long REDRAW_MILLIS = 100;

    private final Api api;
    private final PrintWriter out;
    private final boolean tty;

    private String id;
    private String application;
    private int ring;
    private OffsetDateTime requestedAt;
    private OffsetDateTime lastEventAt;
    private String phase;
    private String reason;
    private final Map<String, Step> steps = new LinkedHashMap<>();
    private final Map<String, String> printed = new LinkedHashMap<>();
    private int drawnLines;
    private long lastDraw;

    private static final class Step {
        final String service;
        final String from;
        final String to;
        String phase = "WAITING";
        int ready;
        int failed;
        int total;
        final Map<String, String> failures = new LinkedHashMap<>();

        Step(String service, String from, String to) {
            this.service = service;
            this.from = from;
            this.to = to;
        }
    }

    RolloutWatch(Api api, PrintWriter out, boolean tty) {
        this.api = api;
        this.out = out;
        this.tty = tty;
    }

    /** Follows the rollout to its end; the exit code says how it ended. */
    int watch(String rolloutId) {
        return watch(rolloutId, null);
    }

    /** Follows the rollout to its end or until {@code timeout} (null: no limit) passes, which is exit code 1. */
    int watch(String rolloutId, Duration timeout) {
        JsonNode view = api.get("/rollouts/" + Api.seg(rolloutId));
        init(view);
        AtomicBoolean timedOut = new AtomicBoolean();
        try (Stream<String> lines = api.stream("/rollouts/" + Api.seg(rolloutId) + "/events")) {
            if (timeout != null) {
                Thread timer = new Thread(
                        () -> {
                            try {
                                Thread.sleep(timeout.toMillis()); // the watch's time limit, not a wait for a condition
                                timedOut.set(true);
                                lines.close(); // ends the blocked read
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "ringctl-watch-timeout");
                timer.setDaemon(true);
                timer.start();
            }
            StringBuilder data = new StringBuilder();
            for (Iterator<String> it = lines.iterator(); hasNext(it, timedOut); ) {
                String line = it.next();
                if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n")
                            .append(line.substring(5).stripLeading());
                } else if (line.isEmpty() && !data.isEmpty()) {
                    apply(parse(data.toString()));
                    data.setLength(0);
                    render(false);
                }
            }
            if (!data.isEmpty()) {
                apply(parse(data.toString()));
            }
        }
        render(true);
        if (timedOut.get() && !TERMINAL.contains(phase)) {
            out.println("error: timed out after " + timeout.toSeconds() + " s; the rollout is " + phase);
            out.flush();
            return ExitCodes.ERROR;
        }
        if ("SUCCEEDED".equals(phase)) {
            return ExitCodes.OK;
        }
        if (TERMINAL.contains(phase)) {
            return ExitCodes.ROLLOUT_NOT_SUCCEEDED;
        }
        out.println("error: the event stream ended before the rollout did (phase " + phase + ")");
        out.flush();
        return ExitCodes.ERROR;
    }

    private static boolean hasNext(Iterator<String> it, AtomicBoolean timedOut) {
        try {
            return !timedOut.get() && it.hasNext();
        } catch (java.io.UncheckedIOException e) {
            if (timedOut.get()) {
                return false;
            }
            throw new ApiException(
                    ExitCodes.ERROR, "the event stream broke: " + e.getCause().getMessage());
        }
    }

    private void init(JsonNode view) {
        id = view.path("id").asText();
        application = view.path("application").asText();
        ring = view.path("ring").asInt();
        requestedAt = OffsetDateTime.parse(view.path("requestedAt").asText());
        lastEventAt = requestedAt;
        phase = "PENDING";
        reason = null;
        steps.clear();
        for (JsonNode s : view.path("steps")) {
            String service = s.path("service").asText();
            steps.put(service, new Step(service, text(s, "fromVersion"), text(s, "toVersion")));
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Api.JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ApiException(ExitCodes.ERROR, "the event stream sent something that is not JSON");
        }
    }

    /** Folds one timeline entry ({seq, time, type, summary, data}) into the view. */
    void apply(JsonNode entry) {
        String type = entry.path("type").asText();
        JsonNode d = entry.path("data");
        if (entry.hasNonNull("time")) {
            lastEventAt = OffsetDateTime.parse(entry.get("time").asText());
        }
        Step step = d.hasNonNull("service") ? steps.get(d.get("service").asText()) : null;
        switch (type) {
            case "started" -> phase = "RUNNING";
            case "step-started" -> {
                if (step != null) {
                    step.phase = "COMMITTING";
                }
            }
            case "step-committed" -> {
                if (step != null) {
                    step.phase = "DEPLOYING";
                    step.total = d.path("clusters").asInt();
                    step.ready = 0;
                    step.failed = 0;
                    step.failures.clear();
                }
            }
            case "clusters-ready", "cluster-ready" /* the latter: one per cluster, before clusters-ready */ -> {
                if (step != null) {
                    step.ready = d.path("ready").asInt();
                    step.total = d.path("total").asInt();
                    d.path("clusters").forEach(c -> step.failures.remove(c.asText()));
                    step.failures.remove(d.path("cluster").asText());
                }
            }
            case "cluster-failed" -> {
                if (step != null) {
                    step.failed = d.path("failed").asInt();
                    step.total = d.path("total").asInt();
                    step.failures.put(
                            d.path("cluster").asText(), d.path("state").asText());
                }
            }
            case "step-completed" -> {
                if (step != null) {
                    step.phase = d.path("phase").asText();
                    step.ready = d.path("ready").asInt();
                    step.failed = d.path("failed").asInt();
                    step.total = d.path("total").asInt();
                }
            }
            case "step-failed" -> {
                if (step != null) {
                    step.phase = "FAILED";
                }
            }
            case "paused" -> {
                phase = "PAUSED";
                reason = text(d, "reason");
            }
            case "resumed" -> {
                phase = "RUNNING";
                reason = null;
                steps.values().forEach(s -> {
                    if (s.phase.equals("FAILED")) {
                        s.phase = "DEPLOYING";
                        s.failed = 0;
                    }
                });
            }
            case "succeeded" -> phase = "SUCCEEDED";
            case "failed", "errored", "aborted" -> {
                phase = type.toUpperCase();
                reason = text(d, "reason");
            }
            default -> {}
        }
    }

    private void render(boolean last) {
        List<String> lines = new ArrayList<>();
        lines.add(header());
        steps.values().forEach(s -> lines.add(line(s)));
        if (tty) {
            long now = System.nanoTime() / 1_000_000;
            if (!last && now - lastDraw < REDRAW_MILLIS) {
                return;
            }
            lastDraw = now;
            StringBuilder b = new StringBuilder();
            if (drawnLines > 0) {
                b.append("\033[").append(drawnLines).append('A'); // back to the top of what we drew
            }
            for (String l : lines) {
                b.append('\r').append("\033[2K").append(l).append('\n');
            }
            out.print(b);
            drawnLines = lines.size();
        } else {
            // a line each time it changes (the elapsed time alone is no change)
            String h = header();
            if (!h.replaceAll("\\s+\\S+$", "").equals(printed.get(""))) {
                out.println(h);
                printed.put("", h.replaceAll("\\s+\\S+$", ""));
            }
            for (Step s : steps.values()) {
                String l = line(s);
                if (!l.equals(printed.get(s.service))) {
                    out.println("[" + elapsed() + "] " + l);
                    printed.put(s.service, l);
                }
            }
        }
        out.flush();
    }

    private String header() {
        return "rollout " + id + "  " + application + " ring " + ring + "  " + phase
                + (reason == null || reason.isBlank() ? "" : " (" + reason + ")") + "  " + elapsed();
    }

    private String line(Step s) {
        int width = steps.keySet().stream().mapToInt(String::length).max().orElse(1);
        String versions = (s.from == null ? "-" : s.from) + " -> " + (s.to == null ? "-" : s.to);
        String bar = s.total <= 0
                ? ".".repeat(BAR)
                : "#".repeat(s.ready * BAR / s.total) + ".".repeat(BAR - s.ready * BAR / s.total);
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "  %-" + width + "s  %-18s %-10s [%s] %d/%d", s.service, versions, s.phase, bar, s.ready, s.total));
        if (!s.failures.isEmpty()) {
            b.append("  failed: ");
            List<String> named = new ArrayList<>();
            s.failures.forEach((c, st) -> named.add(c + " (" + st + ")"));
            b.append(String.join(", ", named.subList(0, Math.min(5, named.size()))));
            if (named.size() > 5) {
                b.append(" and ").append(named.size() - 5).append(" more");
            }
        }
        return b.toString();
    }

    private String elapsed() {
        Duration d = Duration.between(requestedAt, lastEventAt);
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        long s = d.toSeconds();
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%02d:%02d", s / 60, s % 60);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
