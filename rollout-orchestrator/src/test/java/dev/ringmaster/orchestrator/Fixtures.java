package dev.ringmaster.orchestrator;

import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.rollout.RolloutPolicy;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.ServicePlan;
import java.time.OffsetDateTime;
import java.util.List;

/** The services, clusters and requests the orchestrator's tests roll out: application "shop", ring 0. */
public final class Fixtures {

    private Fixtures() {}

    /** A service moving from {@code from} to {@code to}, after {@code deps}. */
    public static ServicePlan plan(String name, String from, String to, String... deps) {
        return new ServicePlan(
                name,
                "https://git.example.com/" + name + ".git",
                "main",
                ".",
                "helm.values.image.tag",
                from,
                to,
                List.of(deps));
    }

    /** A service moving from 1.0 to 2.0, after {@code deps}. */
    public static ServicePlan upgraded(String name, String... deps) {
        return plan(name, "1.0", "2.0", deps);
    }

    /** A cluster of ring 0, registered in Fleet under its own name. */
    public static ClusterRef cluster(String name) {
        return new ClusterRef(name, 0, "fleet-default", name);
    }

    /** A request by alice to roll {@code plans} out on {@code ring}, requested at {@code at}. */
    public static RolloutRequested request(
            String id, OffsetDateTime at, RolloutPolicy policy, List<ServicePlan> plans, List<ClusterRef> ring) {
        return new RolloutRequested(id, "shop", 0, at, "alice", "ring", "ring-{n}", policy, plans, ring);
    }

    /** The same, requested now with the default policy. */
    public static RolloutRequested request(String id, List<ServicePlan> plans, List<ClusterRef> ring) {
        return request(id, OffsetDateTime.now(), RolloutPolicy.DEFAULT, plans, ring);
    }
}
