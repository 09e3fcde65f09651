package dev.ringmaster.orchestrator.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.rollout.ClusterFailed;
import dev.ringmaster.events.rollout.ClustersReady;
import dev.ringmaster.events.rollout.StepCompleted;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private static Outgoing ready(String rollout, String service, String cluster, int ready) {
        return new Outgoing(rollout, new ClustersReady(rollout, "shop", 0, service, List.of(cluster), ready, 10));
    }

    /** Each message as text: "rollout service [clusters] ready" for a ClustersReady, its type otherwise. */
    private static List<String> show(List<Outgoing> messages) {
        return messages.stream()
                .map(o -> o.payload() instanceof ClustersReady r
                        ? r.rolloutId() + " " + r.service() + " " + r.clusters() + " " + r.ready()
                        : o.key() + " " + o.payload().getClass().getSimpleName())
                .toList();
    }

    @Test
    void readyClustersOfOneServiceBecomeOneEventWithTheLastCount() {
        List<Outgoing> in = List.of(ready("r1", "a", "c1", 1), ready("r1", "a", "c2", 2), ready("r1", "a", "c3", 3));
        assertThat(show(Progress.coalesce(in))).containsExactly("r1 a [c1, c2, c3] 3");
    }

    @Test
    void servicesAndRolloutsAreMergedApartAndKeepTheirPlaces() {
        List<Outgoing> in = List.of(
                ready("r1", "a", "c1", 1),
                ready("r1", "b", "c1", 1),
                ready("r2", "a", "c9", 1),
                ready("r1", "a", "c2", 2),
                ready("r2", "a", "c8", 2),
                ready("r1", "b", "c2", 2));
        assertThat(show(Progress.coalesce(in)))
                .containsExactly("r1 a [c1, c2] 2", "r1 b [c1, c2] 2", "r2 a [c9, c8] 2");
    }

    @Test
    void anotherEventOfTheRolloutIsNeverOvertakenByAReadyClusterAfterIt() {
        List<Outgoing> in = List.of(
                ready("r1", "a", "c1", 1),
                new Outgoing("c5", await("r1")), // a command keyed by cluster: not an event of the rollout
                ready("r2", "a", "c9", 1),
                ready("r1", "a", "c2", 2),
                new Outgoing("r1", new ClusterFailed("r1", "shop", 0, "a", "c3", "ErrApplied", "x", 1, 10)),
                ready("r1", "a", "c4", 3),
                ready("r2", "a", "c8", 2),
                ready("r1", "a", "c5", 4),
                new Outgoing("r1", new StepCompleted("r1", "shop", 0, "a", "DONE", "2.0", 4, 1, 5)));
        assertThat(show(Progress.coalesce(in)))
                .containsExactly(
                        "r1 a [c1, c2] 2",
                        "c5 AwaitReady",
                        "r2 a [c9, c8] 2",
                        "r1 ClusterFailed",
                        "r1 a [c4, c5] 4",
                        "r1 StepCompleted");
    }

    @Test
    void aThousandAnswersAreOneEventWithEveryClusterInOrder() {
        List<Outgoing> in = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            in.add(ready("r1", "a", "c" + i, i));
            names.add("c" + i);
        }
        List<Outgoing> out = Progress.coalesce(in);
        assertThat(out).hasSize(1);
        ClustersReady r = (ClustersReady) out.get(0).payload();
        assertThat(r.clusters()).isEqualTo(names);
        assertThat(r.ready()).isEqualTo(1000);
        assertThat(out.get(0).key()).isEqualTo("r1");
    }

    private static AwaitReady await(String rollout) {
        return new AwaitReady(rollout, "shop", "a", "https://git/a.git", ".", "sha", "2.0", null, null, null);
    }
}
