package dev.ringmaster.events;

import dev.ringmaster.events.catalog.ApplicationCreated;
import dev.ringmaster.events.catalog.ApplicationDeleted;
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
import dev.ringmaster.events.rollout.RolloutRequested;
import dev.ringmaster.events.rollout.RolloutResumed;
import dev.ringmaster.events.rollout.RolloutStarted;
import dev.ringmaster.events.rollout.RolloutSucceeded;
import dev.ringmaster.events.rollout.StepCommitted;
import dev.ringmaster.events.rollout.StepCompleted;
import dev.ringmaster.events.rollout.StepFailed;
import dev.ringmaster.events.rollout.StepStarted;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every event type Ringmaster sends: its CloudEvents {@code type} string (versioned: a breaking change is a new
 * constant with {@code .v2}), the record that is its payload and the topic it travels on.
 */
public enum EventType {
    APPLICATION_CREATED("ringmaster.catalog.application.created.v1", ApplicationCreated.class, Topics.CATALOG_EVENTS),
    APPLICATION_DELETED("ringmaster.catalog.application.deleted.v1", ApplicationDeleted.class, Topics.CATALOG_EVENTS),
    SERVICE_CREATED("ringmaster.catalog.service.created.v1", ServiceCreated.class, Topics.CATALOG_EVENTS),
    SERVICE_DEPENDENCIES_CHANGED(
            "ringmaster.catalog.service.dependencies-changed.v1",
            ServiceDependenciesChanged.class,
            Topics.CATALOG_EVENTS),
    ROLLOUT_PLAN_SET("ringmaster.catalog.service.rollout-plan-set.v1", RolloutPlanSet.class, Topics.CATALOG_EVENTS),
    SERVICE_DELETED("ringmaster.catalog.service.deleted.v1", ServiceDeleted.class, Topics.CATALOG_EVENTS),
    CLUSTER_REGISTERED("ringmaster.catalog.cluster.registered.v1", ClusterRegistered.class, Topics.CATALOG_EVENTS),
    CLUSTER_RING_CHANGED("ringmaster.catalog.cluster.ring-changed.v1", ClusterRingChanged.class, Topics.CATALOG_EVENTS),
    CLUSTER_REMOVED("ringmaster.catalog.cluster.removed.v1", ClusterRemoved.class, Topics.CATALOG_EVENTS),
    SUBSCRIPTION_SAVED("ringmaster.catalog.subscription.saved.v1", SubscriptionSaved.class, Topics.CATALOG_EVENTS),
    SUBSCRIPTION_DELETED(
            "ringmaster.catalog.subscription.deleted.v1", SubscriptionDeleted.class, Topics.CATALOG_EVENTS),

    ROLLOUT_REQUESTED("ringmaster.rollout.requested.v1", RolloutRequested.class, Topics.ROLLOUT_REQUESTS),
    ROLLOUT_CONTROL("ringmaster.rollout.control.v1", RolloutControl.class, Topics.ROLLOUT_REQUESTS),

    BUMP_VERSION("ringmaster.git.bump-version.v1", BumpVersion.class, Topics.GIT_COMMANDS),
    VERSION_COMMITTED("ringmaster.git.version-committed.v1", VersionCommitted.class, Topics.GIT_EVENTS),
    COMMIT_FAILED("ringmaster.git.commit-failed.v1", CommitFailed.class, Topics.GIT_EVENTS),

    AWAIT_READY("ringmaster.fleet.await-ready.v1", AwaitReady.class, Topics.FLEET_WATCHES),
    FLEET_CLUSTER_READY(
            "ringmaster.fleet.cluster-ready.v1", dev.ringmaster.events.fleet.ClusterReady.class, Topics.FLEET_EVENTS),
    FLEET_CLUSTER_FAILED(
            "ringmaster.fleet.cluster-failed.v1", dev.ringmaster.events.fleet.ClusterFailed.class, Topics.FLEET_EVENTS),
    FLEET_CLUSTER_TIMED_OUT("ringmaster.fleet.cluster-timed-out.v1", ClusterTimedOut.class, Topics.FLEET_EVENTS),

    ROLLOUT_STARTED("ringmaster.rollout.started.v1", RolloutStarted.class, Topics.ROLLOUT_EVENTS),
    STEP_STARTED("ringmaster.rollout.step-started.v1", StepStarted.class, Topics.ROLLOUT_EVENTS),
    STEP_COMMITTED("ringmaster.rollout.step-committed.v1", StepCommitted.class, Topics.ROLLOUT_EVENTS),
    /** No longer sent (see {@link ClustersReady}); still read in stored histories. */
    CLUSTER_READY(
            "ringmaster.rollout.cluster-ready.v1",
            dev.ringmaster.events.rollout.ClusterReady.class,
            Topics.ROLLOUT_EVENTS),
    CLUSTER_FAILED(
            "ringmaster.rollout.cluster-failed.v1",
            dev.ringmaster.events.rollout.ClusterFailed.class,
            Topics.ROLLOUT_EVENTS),
    STEP_COMPLETED("ringmaster.rollout.step-completed.v1", StepCompleted.class, Topics.ROLLOUT_EVENTS),
    STEP_FAILED("ringmaster.rollout.step-failed.v1", StepFailed.class, Topics.ROLLOUT_EVENTS),
    ROLLOUT_PAUSED("ringmaster.rollout.paused.v1", RolloutPaused.class, Topics.ROLLOUT_EVENTS),
    ROLLOUT_RESUMED("ringmaster.rollout.resumed.v1", RolloutResumed.class, Topics.ROLLOUT_EVENTS),
    ROLLOUT_SUCCEEDED("ringmaster.rollout.succeeded.v1", RolloutSucceeded.class, Topics.ROLLOUT_EVENTS),
    ROLLOUT_FAILED("ringmaster.rollout.failed.v1", RolloutFailed.class, Topics.ROLLOUT_EVENTS),
    ROLLOUT_ERRORED("ringmaster.rollout.errored.v1", RolloutErrored.class, Topics.ROLLOUT_EVENTS),
    ROLLOUT_ABORTED("ringmaster.rollout.aborted.v1", RolloutAborted.class, Topics.ROLLOUT_EVENTS),
    CLUSTER_LEFT_RING("ringmaster.rollout.cluster-left-ring.v1", ClusterLeftRing.class, Topics.ROLLOUT_EVENTS),
    CLUSTER_JOINED_RING("ringmaster.rollout.cluster-joined-ring.v1", ClusterJoinedRing.class, Topics.ROLLOUT_EVENTS),
    // last, so that the ordinals (and the golden files' ids) of the types before it stay as they were
    CLUSTERS_READY("ringmaster.rollout.clusters-ready.v1", ClustersReady.class, Topics.ROLLOUT_EVENTS);

    private static final Map<String, EventType> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));
    private static final Map<Class<?>, EventType> BY_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::payloadClass, Function.identity()));

    private final String type;
    private final Class<?> payloadClass;
    private final String topic;

    EventType(String type, Class<?> payloadClass, String topic) {
        this.type = type;
        this.payloadClass = payloadClass;
        this.topic = topic;
    }

    /** The CloudEvents {@code type} attribute. */
    public String type() {
        return type;
    }

    /** The record the {@code data} attribute decodes to. */
    public Class<?> payloadClass() {
        return payloadClass;
    }

    /** The topic this event is published on. */
    public String topic() {
        return topic;
    }

    /** The event type of a CloudEvents {@code type} string; empty for a type this version does not know. */
    public static Optional<EventType> ofType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    /** The event type whose payload is the given record class. */
    public static EventType of(Class<?> payloadClass) {
        EventType t = BY_CLASS.get(payloadClass);
        if (t == null) {
            throw new IllegalArgumentException("not an event payload: " + payloadClass.getName());
        }
        return t;
    }
}
