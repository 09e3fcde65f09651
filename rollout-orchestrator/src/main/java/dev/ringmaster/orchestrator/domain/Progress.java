package dev.ringmaster.orchestrator.domain;

import dev.ringmaster.events.rollout.ClustersReady;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Progress events of inputs applied together, merged. The machine says "this cluster is ready" once per answer; a
 * batch of a thousand answers would send a thousand events that each the outbox stores, the relay publishes, the
 * catalog projects and the notifier offers to every subscription. Merged, it is one {@link ClustersReady} per
 * rollout and service with the clusters in their order and the count after the last of them.
 *
 * <p>Order is kept where it means something: a merged event takes the place of the first it merges, and any other
 * message of the same rollout (a step completed, a cluster failed, ...) closes the rollout's open merges, so nothing
 * that followed a ready cluster is ever reported before it.
 */
public final class Progress {

    private Progress() {}

    /** {@code messages} (in the order the machine made them) with the ClustersReady merged as described. */
    public static List<Outgoing> coalesce(List<Outgoing> messages) {
        List<Outgoing> out = new ArrayList<>(messages.size());
        List<Merge> merges = new ArrayList<>();
        Map<String, Map<String, Merge>> open = new HashMap<>(); // rollout -> service -> its open merge
        for (Outgoing o : messages) {
            if (o.payload() instanceof ClustersReady r) {
                Map<String, Merge> ofRollout = open.computeIfAbsent(r.rolloutId(), k -> new HashMap<>());
                Merge m = ofRollout.get(r.service());
                if (m == null) {
                    m = new Merge(out.size(), o.key());
                    ofRollout.put(r.service(), m);
                    merges.add(m);
                    out.add(o); // its place; replaced below when more are merged into it
                }
                m.add(r);
            } else {
                open.remove(o.key()); // rollout events are keyed by the rollout id
                out.add(o);
            }
        }
        for (Merge m : merges) {
            if (m.count > 1) {
                out.set(m.index, new Outgoing(m.key, m.merged()));
            }
        }
        return out;
    }

    private static final class Merge {
        final int index;
        final String key;
        final List<String> clusters = new ArrayList<>();
        int count;
        ClustersReady last;

        Merge(int index, String key) {
            this.index = index;
            this.key = key;
        }

        void add(ClustersReady r) {
            clusters.addAll(r.clusters());
            count++;
            last = r;
        }

        ClustersReady merged() {
            return new ClustersReady(
                    last.rolloutId(),
                    last.application(),
                    last.ring(),
                    last.service(),
                    clusters,
                    last.ready(),
                    last.total());
        }
    }
}
