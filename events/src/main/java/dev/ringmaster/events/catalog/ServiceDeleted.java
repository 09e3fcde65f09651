package dev.ringmaster.events.catalog;

/**
 * A service was removed from its application.
 *
 * @param application the owning application
 * @param service the removed service
 * @param repoUrl its repository, so that consumers can clean up what they keep for it
 */
public record ServiceDeleted(String application, String service, String repoUrl) {}
