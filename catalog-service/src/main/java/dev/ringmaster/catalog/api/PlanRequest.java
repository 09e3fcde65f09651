package dev.ringmaster.catalog.api;

/** Body of {@code PUT .../services/{svc}/plan}: the version the next rollouts take the service to. */
public record PlanRequest(String version) {}
