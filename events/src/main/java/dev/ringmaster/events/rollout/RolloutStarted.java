package dev.ringmaster.events.rollout;

import java.util.List;

/**
 * The orchestrator accepted a rollout and started it. {@code layers} is the order the services go in.
 */
public record RolloutStarted(
        String rolloutId,
        String application,
        int ring,
        List<ServicePlan> services,
        List<String> clusters,
        List<List<String>> layers) {}
