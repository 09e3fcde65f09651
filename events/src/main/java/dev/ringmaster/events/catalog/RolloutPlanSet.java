package dev.ringmaster.events.catalog;

/**
 * The version a service is to be rolled out to was set (or cleared).
 *
 * @param application the owning application
 * @param service the service
 * @param plannedVersion the target version of the next rollouts; {@code null} when the plan was cleared
 */
public record RolloutPlanSet(String application, String service, String plannedVersion) {}
