package dev.ringmaster.events.rollout;

/**
 * The service's new version is in its repository; the orchestrator now waits for the ring's clusters.
 */
public record StepCommitted(
        String rolloutId,
        String application,
        int ring,
        String service,
        String version,
        String commit,
        boolean changed,
        int clusters) {}
