package dev.ringmaster.orchestrator.domain;

/**
 * A message the machine wants sent: an event record (its topic follows from its type) and the Kafka key.
 *
 * @param key BumpVersion: the repository URL; AwaitReady: the cluster; rollout events: the rollout id
 * @param payload one record of the events module
 */
public record Outgoing(String key, Object payload) {}
