package dev.ringmaster.events.rollout;

/**
 * A service's step began: its dependencies are done and its BumpVersion was sent.
 */
public record StepStarted(
        String rolloutId,
        String application,
        int ring,
        String service,
        String fromVersion,
        String toVersion,
        String commandId) {}
