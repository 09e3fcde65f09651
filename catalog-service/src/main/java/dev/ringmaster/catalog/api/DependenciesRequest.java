package dev.ringmaster.catalog.api;

import java.util.List;

/** Body of {@code PUT .../services/{svc}/dependencies}: the complete new list. */
public record DependenciesRequest(List<String> dependsOn) {}
