package dev.ringmaster.events;

/**
 * Kafka topic names. A channel in a service is named after its topic, so these strings also appear in each
 * service's {@code application.properties}.
 *
 * <p>Keys: {@code catalog.events} by application; {@code rollout.requests} and {@code rollout.events} by rollout id;
 * {@code git.commands} and {@code git.events} by repository URL; {@code fleet.watches} by cluster;
 * {@code fleet.events} by rollout id.
 */
public final class Topics {
    /** Facts about applications, services and clusters, published by catalog-service. Key: application. */
    public static final String CATALOG_EVENTS = "catalog.events";
    /** Commands to start or steer a rollout (RolloutRequested, RolloutControl). Key: rollout id. */
    public static final String ROLLOUT_REQUESTS = "rollout.requests";
    /** Every state change of a rollout, published by rollout-orchestrator. Key: rollout id. */
    public static final String ROLLOUT_EVENTS = "rollout.events";
    /** Commands to git-committer (BumpVersion). Key: repository URL. */
    public static final String GIT_COMMANDS = "git.commands";
    /** Answers of git-committer (VersionCommitted, CommitFailed). Key: repository URL. */
    public static final String GIT_EVENTS = "git.events";
    /** Expectations for fleet-watcher (AwaitReady). Key: cluster. */
    public static final String FLEET_WATCHES = "fleet.watches";
    /** Answers of fleet-watcher (ClusterReady, ClusterFailed, ClusterTimedOut). Key: rollout id. */
    public static final String FLEET_EVENTS = "fleet.events";

    /** The dead-letter topic of a topic: where a consumer parks a message it cannot handle, with the reason. */
    public static String deadLetter(String topic) {
        return topic + ".dlq";
    }

    private Topics() {}
}
