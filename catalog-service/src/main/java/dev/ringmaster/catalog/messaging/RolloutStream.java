package dev.ringmaster.catalog.messaging;

import dev.ringmaster.catalog.api.TimelineEntry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live rollout events for server-sent-event subscribers, fed by the projection after each commit. A subscriber is
 * registered when {@link #follow} is called and buffers from then on, so a caller can read the stored timeline after
 * following and miss nothing in between (it drops what it already read by {@code seq}).
 */
@ApplicationScoped
public class RolloutStream {

    private final Map<String, Set<UnicastProcessor<TimelineEntry>>> subscribers = new ConcurrentHashMap<>();

    /** The entries of {@code rolloutId} from this call on. */
    public Multi<TimelineEntry> follow(String rolloutId) {
        UnicastProcessor<TimelineEntry> p = UnicastProcessor.create();
        subscribers
                .computeIfAbsent(rolloutId, id -> ConcurrentHashMap.newKeySet())
                .add(p);
        return p.onTermination().invoke(() -> unsubscribe(rolloutId, p));
    }

    /** Stops buffering for a subscriber that will not read (e.g. the rollout was over already). */
    public void unsubscribe(String rolloutId, UnicastProcessor<TimelineEntry> p) {
        subscribers.computeIfPresent(rolloutId, (id, set) -> {
            set.remove(p);
            return set.isEmpty() ? null : set;
        });
    }

    /** Hands a committed entry to the rollout's subscribers; ends their streams when the rollout is over. */
    public void publish(String rolloutId, TimelineEntry entry, boolean terminal) {
        Set<UnicastProcessor<TimelineEntry>> set =
                terminal ? subscribers.remove(rolloutId) : subscribers.get(rolloutId);
        if (set == null) {
            return;
        }
        for (UnicastProcessor<TimelineEntry> p : set) {
            p.onNext(entry);
            if (terminal) {
                p.onComplete();
            }
        }
    }
}
