package dev.ringmaster.catalog.api;

/** Body of {@code POST /api/v1/rollouts/{id}/pause|resume|abort} (optional). */
public record ControlRequest(String reason, String requestedBy) {}
