package dev.ringmaster.events;

import dev.ringmaster.events.catalog.ApplicationCreated;
import dev.ringmaster.events.catalog.ApplicationDeleted;
import dev.ringmaster.events.catalog.ClusterRef;
import dev.ringmaster.events.catalog.ClusterRegistered;
import dev.ringmaster.events.catalog.ClusterRemoved;
import dev.ringmaster.events.catalog.ClusterRingChanged;
import dev.ringmaster.events.catalog.RolloutPlanSet;
import dev.ringmaster.events.catalog.ServiceCreated;
import dev.ringmaster.events.catalog.ServiceDeleted;
import dev.ringmaster.events.catalog.ServiceDependenciesChanged;
import dev.ringmaster.events.catalog.SubscriptionDeleted;
import dev.ringmaster.events.catalog.SubscriptionSaved;
import dev.ringmaster.events.fleet.AwaitReady;
import dev.ringmaster.events.fleet.ClusterTimedOut;
import dev.ringmaster.events.git.BumpVersion;
import dev.ringmaster.events.git.CommitFailed;
import dev.ringmaster.events.git.VersionCommitted;
import dev.ringmaster.events.rollout.ClusterJoinedRing;
import dev.ringmaster.events.rollout.ClusterLeftRing;
import dev.ringmaster.events.rollout.ClustersReady;
import dev.ringmaster.events.rollout.RolloutAborted;
import dev.ringmaster.events.rollout.RolloutControl;
import dev.ringmaster.events.rollout.RolloutErrored;
import dev.ringmaster.events.rollout.RolloutFailed;
import dev.ringmaster.events.rollout.RolloutPaused;
import dev.ringmaster.events.rollout.RolloutPolicy;
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.RolloutResumed;
import dev.ringmaster.events.rollout.RolloutStarted;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import dev.ringmaster.events.rollout.ServicePlan;
import dev.ringmaster.events.rollout.StepCommitted;
import dev.ringmaster.events.rollout.StepCompleted;
import dev.ringmaster.events.rollout.StepFailed;
import dev.ringmaster.events.rollout.StepStarted;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** One realistic payload per event type: the content of the golden files. */
final class Samples {

    static final String SHA = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
    static final String ROLLOUT = "6f1c2a9e-3b7d-4c1e-9a55-0d2f4b8e7c10";
    static final ClusterRef EDGE_1 = new ClusterRef("edge-1", 0, "fleet-default", "edge-1");

    static Map<EventType, Object> all() {
        return Map.ofEntries(
                Map.entry(
                        EventType.APPLICATION_CREATED,
                        new ApplicationCreated("shop", "The web shop", "ring", "ring-{n}")),
                Map.entry(
                        EventType.APPLICATION_DELETED,
                        new ApplicationDeleted("shop", List.of("api", "web"), List.of(EDGE_1))),
                Map.entry(
                        EventType.SERVICE_CREATED,
                        new ServiceCreated(
                                "shop",
                                "web",
                                "https://git.example.com/shop/web.git",
                                "main",
                                "deploy/fleet",
                                "helm.values.image.tag",
                                "1.4.0",
                                List.of("api"))),
                Map.entry(
                        EventType.SERVICE_DEPENDENCIES_CHANGED,
                        new ServiceDependenciesChanged("shop", "web", List.of("api", "auth"))),
                Map.entry(EventType.ROLLOUT_PLAN_SET, new RolloutPlanSet("shop", "web", "1.5.0")),
                Map.entry(
                        EventType.SERVICE_DELETED,
                        new ServiceDeleted("shop", "web", "https://git.example.com/shop/web.git")),
                Map.entry(EventType.CLUSTER_REGISTERED, new ClusterRegistered("shop", EDGE_1, "ring")),
                Map.entry(
                        EventType.CLUSTER_RING_CHANGED,
                        new ClusterRingChanged(
                                "shop", new ClusterRef("edge-1", 1, "fleet-default", "edge-1"), 0, "ring")),
                Map.entry(EventType.CLUSTER_REMOVED, new ClusterRemoved("shop", EDGE_1)),
                Map.entry(
                        EventType.SUBSCRIPTION_SAVED,
                        new SubscriptionSaved(
                                "ops-hook",
                                "WEBHOOK",
                                "https://hooks.example.com/ringmaster",
                                List.of("shop"),
                                List.of("ringmaster.rollout.succeeded.v1"),
                                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                                "whsec_aGVsbG8gd29ybGQgc2VjcmV0IDEyMzQ1Njc4",
                                OffsetDateTime.parse("2026-11-30T10:15:30Z"),
                                3)),
                Map.entry(EventType.SUBSCRIPTION_DELETED, new SubscriptionDeleted("ops-hook", 4)),
                Map.entry(
                        EventType.ROLLOUT_REQUESTED,
                        new RolloutRequested(
                                "6f1c2a9e-3b7d-4c1e-9a55-0d2f4b8e7c10",
                                "shop",
                                0,
                                OffsetDateTime.parse("2026-11-29T10:15:30.123Z"),
                                "alice",
                                "ring",
                                "ring-{n}",
                                new RolloutPolicy(Duration.ofMinutes(15), 0, RolloutPolicy.OnFailure.PAUSE),
                                List.of(
                                        new ServicePlan(
                                                "api",
                                                "https://git.example.com/shop/api.git",
                                                "main",
                                                ".",
                                                "helm.values.image.tag",
                                                "2.0.0",
                                                "2.1.0",
                                                List.of()),
                                        new ServicePlan(
                                                "web",
                                                "https://git.example.com/shop/web.git",
                                                "main",
                                                "deploy/fleet",
                                                "helm.values.image.tag",
                                                "1.4.0",
                                                "1.5.0",
                                                List.of("api"))),
                                List.of(EDGE_1, new ClusterRef("edge-2", 0, "fleet-default", "edge-2")))),
                Map.entry(
                        EventType.BUMP_VERSION,
                        new BumpVersion(
                                "2b0f7c1e-8d4a-4f3b-9c1d-5e6f7a8b9c0d",
                                ROLLOUT,
                                "shop",
                                "web",
                                0,
                                "https://git.example.com/shop/web.git",
                                "main",
                                "deploy/fleet",
                                "helm.values.image.tag",
                                "1.5.0",
                                "ring",
                                "ring-{n}")),
                Map.entry(
                        EventType.VERSION_COMMITTED,
                        new VersionCommitted(
                                "2b0f7c1e-8d4a-4f3b-9c1d-5e6f7a8b9c0d",
                                ROLLOUT,
                                "shop",
                                "web",
                                0,
                                "https://git.example.com/shop/web.git",
                                "1.5.0",
                                "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
                                true)),
                Map.entry(
                        EventType.COMMIT_FAILED,
                        new CommitFailed(
                                "2b0f7c1e-8d4a-4f3b-9c1d-5e6f7a8b9c0d",
                                ROLLOUT,
                                "shop",
                                "web",
                                0,
                                "https://git.example.com/shop/web.git",
                                "1.5.0",
                                "no fleet.yaml at deploy/fleet on branch main",
                                false)),
                Map.entry(
                        EventType.AWAIT_READY,
                        new AwaitReady(
                                ROLLOUT,
                                "shop",
                                "web",
                                "https://git.example.com/shop/web.git",
                                "deploy/fleet",
                                SHA,
                                "1.5.0",
                                EDGE_1,
                                OffsetDateTime.parse("2026-11-29T10:30:30.123Z"))),
                Map.entry(
                        EventType.FLEET_CLUSTER_READY,
                        new dev.ringmaster.events.fleet.ClusterReady(ROLLOUT, "web", "edge-1", SHA)),
                Map.entry(
                        EventType.FLEET_CLUSTER_FAILED,
                        new dev.ringmaster.events.fleet.ClusterFailed(
                                ROLLOUT, "web", "edge-1", "ErrApplied", "helm upgrade failed: timed out")),
                Map.entry(
                        EventType.FLEET_CLUSTER_TIMED_OUT,
                        new ClusterTimedOut(
                                ROLLOUT, "web", "edge-1", OffsetDateTime.parse("2026-11-29T10:30:30.123Z"))),
                Map.entry(
                        EventType.ROLLOUT_STARTED,
                        new RolloutStarted(
                                ROLLOUT,
                                "shop",
                                0,
                                List.of(new ServicePlan(
                                        "web",
                                        "https://git.example.com/shop/web.git",
                                        "main",
                                        ".",
                                        "helm.values.image.tag",
                                        "1.4.0",
                                        "1.5.0",
                                        List.of())),
                                List.of("edge-1", "edge-2"),
                                List.of(List.of("web")))),
                Map.entry(
                        EventType.STEP_STARTED,
                        new StepStarted(ROLLOUT, "shop", 0, "web", "1.4.0", "1.5.0", ROLLOUT + ":web:1")),
                Map.entry(
                        EventType.STEP_COMMITTED, new StepCommitted(ROLLOUT, "shop", 0, "web", "1.5.0", SHA, true, 2)),
                Map.entry(
                        EventType.CLUSTER_READY,
                        new dev.ringmaster.events.rollout.ClusterReady(ROLLOUT, "shop", 0, "web", "edge-1", 1, 2)),
                Map.entry(
                        EventType.CLUSTERS_READY,
                        new ClustersReady(ROLLOUT, "shop", 0, "web", List.of("edge-1", "edge-2"), 2, 2)),
                Map.entry(
                        EventType.CLUSTER_FAILED,
                        new dev.ringmaster.events.rollout.ClusterFailed(
                                ROLLOUT, "shop", 0, "web", "edge-2", "ErrApplied", "helm upgrade failed", 1, 2)),
                Map.entry(
                        EventType.STEP_COMPLETED,
                        new StepCompleted(ROLLOUT, "shop", 0, "web", "DONE", "1.5.0", 2, 0, 2)),
                Map.entry(
                        EventType.STEP_FAILED,
                        new StepFailed(ROLLOUT, "shop", 0, "web", "1 of 2 clusters failed; 0 tolerated", true)),
                Map.entry(EventType.ROLLOUT_PAUSED, new RolloutPaused(ROLLOUT, "shop", 0, "step web failed", "")),
                Map.entry(EventType.ROLLOUT_RESUMED, new RolloutResumed(ROLLOUT, "shop", 0, "bob")),
                Map.entry(
                        EventType.ROLLOUT_SUCCEEDED, new RolloutSucceeded(ROLLOUT, "shop", 0, Map.of("web", "1.5.0"))),
                Map.entry(EventType.ROLLOUT_FAILED, new RolloutFailed(ROLLOUT, "shop", 0, "step web failed")),
                Map.entry(
                        EventType.ROLLOUT_ERRORED,
                        new RolloutErrored(ROLLOUT, "shop", 0, "commit of web failed: no fleet.yaml")),
                Map.entry(EventType.ROLLOUT_ABORTED, new RolloutAborted(ROLLOUT, "shop", 0, "wrong version", "bob")),
                Map.entry(EventType.CLUSTER_LEFT_RING, new ClusterLeftRing(ROLLOUT, "shop", 0, "edge-2")),
                Map.entry(EventType.CLUSTER_JOINED_RING, new ClusterJoinedRing(ROLLOUT, "shop", 0, "edge-9")),
                Map.entry(
                        EventType.ROLLOUT_CONTROL,
                        new RolloutControl(
                                "6f1c2a9e-3b7d-4c1e-9a55-0d2f4b8e7c10",
                                RolloutControl.Action.PAUSE,
                                "edge-2 is being drained",
                                "bob")));
    }

    private Samples() {}
}
