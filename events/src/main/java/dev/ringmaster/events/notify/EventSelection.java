package dev.ringmaster.events.notify;

import dev.ringmaster.events.EventType;
import dev.ringmaster.events.Topics;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which rollout events a subscription receives. Every event of {@code rollout.events} can be chosen; a subscription
 * that chooses none gets its kind's default: a webhook every rollout event, Slack every one but the progress events
 * {@code clusters-ready} (a ring of 1,000 clusters would post hundreds of messages; Slack accepts about one a second).
 *
 * <p>{@code cluster-ready} (one event per cluster) is no longer sent and cannot be chosen; a subscription stored with
 * it, or a person who names it, gets {@code clusters-ready}, its successor.
 */
public final class EventSelection {

    private static final String PREFIX = "ringmaster.";
    private static final String SUFFIX = ".v1";

    private EventSelection() {}

    /** Every event type a subscription can choose, as CloudEvents types. */
    public static List<String> selectable() {
        return Arrays.stream(EventType.values())
                .filter(t -> t.topic().equals(Topics.ROLLOUT_EVENTS) && t != EventType.CLUSTER_READY)
                .map(EventType::type)
                .toList();
    }

    /** The types a subscription of {@code kind} receives when it chooses none. */
    public static List<String> defaults(String kind) {
        if ("SLACK".equals(kind)) {
            return selectable().stream()
                    .filter(t -> !t.equals(EventType.CLUSTERS_READY.type()))
                    .toList();
        }
        return selectable();
    }

    /** The types a subscription receives: its choice (the retired per-cluster type read as its successor), or its kind's default. */
    public static List<String> effective(String kind, List<String> chosen) {
        if (chosen == null || chosen.isEmpty()) {
            return defaults(kind);
        }
        return chosen.stream().map(EventSelection::successor).distinct().toList();
    }

    private static String successor(String type) {
        return type.equals(EventType.CLUSTER_READY.type()) ? EventType.CLUSTERS_READY.type() : type;
    }

    /**
     * The CloudEvents type a person meant: the full type ({@code ringmaster.rollout.succeeded.v1}) or its short form
     * ({@code rollout.succeeded}); empty when it is not a selectable type.
     */
    public static Optional<String> normalize(String given) {
        if (given == null) {
            return Optional.empty();
        }
        String g = given.trim().toLowerCase(Locale.ROOT);
        String full = successor(g.startsWith(PREFIX) ? g : PREFIX + g + SUFFIX);
        return selectable().contains(full) ? Optional.of(full) : Optional.empty();
    }
}
