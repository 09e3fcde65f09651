package dev.ringmaster.catalog.api;

/** Body of {@code PUT .../clusters/{cluster}/ring}. */
public record RingRequest(Integer ring) {}
