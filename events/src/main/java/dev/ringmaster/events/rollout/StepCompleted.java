package dev.ringmaster.events.rollout;

/**
 * A service's step is done ({@code phase} DONE), or had nothing to do ({@code phase} SKIPPED).
 */
public record StepCompleted(
        String rolloutId,
        String application,
        int ring,
        String service,
        String phase,
        String version,
        int ready,
        int failed,
        int total) {}
